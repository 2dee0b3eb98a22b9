// The /health answer: the one contract every version of the client and server must keep readable.
// `version` + `protocol` let a client decide to reuse, replace or defer to a running server.

import { z } from 'zod';

export const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  protocol: z.number().int(),
  pid: z.number().int().positive(),
  started: z.string(),
  uptime_s: z.number(),
  port: z.number().int(),
  exe: z.string(),
  assets: z.array(z.object({ name: z.string(), bytes: z.number(), hash: z.string() })).optional(),
});
export type Health = z.infer<typeof HealthSchema>;
