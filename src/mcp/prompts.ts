// The `view` prompt: a one-line way for a person to ask their agent to show a file.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'view',
    {
      title: 'View a data file',
      description: 'Show a CSV/TSV/Parquet/JSON file as an interactive table and summarise it.',
      argsSchema: z.object({ path: z.string().describe('Path of the data file') }),
    },
    ({ path }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Call view_data with path ${JSON.stringify(path)} to show me the file, then summarise what is in it.` },
        },
      ],
    }),
  );
}
