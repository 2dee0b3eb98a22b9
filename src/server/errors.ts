// One error class for the HTTP API: a status, a stable code and a sentence for the person reading it.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function errorResponse(err: ApiError): Response {
  const body: Record<string, string> = { error_code: err.code, message: err.message };
  if (err.hint) body.hint = err.hint;
  return jsonResponse(body, err.status);
}
