// The fields query_data and compare_data share about where their result is shown: the session's dataset the
// person's page (or the chat app) now displays. view_data says the same of a file in its own words.
import { z } from 'zod';

export const ShownResultFields = {
  session: z.string(),
  display: z
    .enum(['app', 'browser'])
    .describe("Where the person sees it: 'app' = in the chat, by this client's MCP Apps view (no browser tab was opened; url opens it in a browser); 'browser' = a browser tab at url."),
  dataset_id: z.number().describe("The data server's id of this result (the chat view reads it by this id)."),
  browser_action: z.string(),
  hints: z.array(z.string()),
};
