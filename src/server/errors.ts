// The HTTP API's answers: JSON bodies, and the body of an ApiError (one error class, shared with the page).

import { ApiError } from '../contract/api-error.ts';
import type { ApiErrorBody } from '../contract/data-api.ts';

export { ApiError };

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function errorResponse(err: ApiError): Response {
  const body: ApiErrorBody = { error_code: err.code, message: err.message };
  if (err.hint) body.hint = err.hint;
  return jsonResponse(body, err.status);
}
