// Session ids: minted by view_data (one per MCP process) or by /load, carried in page URLs and file names, so
// only one shape is ever accepted, by every route and by the session registry.

import crypto from 'node:crypto';

/** 128 random bits in base64url are 22 characters; ids a client chose may be longer, never path-like. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
/** The rule in a sentence, for the errors that refuse an id. */
export const SESSION_ID_RULE = 'A session id is 8 to 128 letters, digits, "-" or "_".';

export function isValidSessionId(id: string | undefined): id is string {
  return id !== undefined && SESSION_ID_PATTERN.test(id);
}

export function newSessionId(): string {
  return crypto.randomBytes(16).toString('base64url');
}
