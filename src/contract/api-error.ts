// One error of the HTTP API: a status, a stable code, a sentence for the person reading it and maybe a hint.
// The server throws it and answers with its body ({error_code, message, hint}); the page rebuilds it from
// that answer and shows the sentence as it is. Free of dependencies, so the page bundle can use it.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(status: number, code: string, message: string, hint?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}
