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

/**
 * `text` ending like a sentence, so another can follow it: messages from sources and upstreams
 * do not always end with a full stop ("... run kinit").
 */
export function asSentence(text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === '' || /[.!?…]["'`)\]]*$/.test(trimmed)) return trimmed;
  return `${trimmed}.`;
}
