/**
 * An error meant for a person: `message` says what happened and what to do about it.
 * `status` is the HTTP status the server answers with; `code` is a stable machine-readable name.
 */
export class RolecallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RolecallError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
