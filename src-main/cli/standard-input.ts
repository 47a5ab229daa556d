import { RolecallError } from '../core/errors';

/** What a command reads from a pipe, and why a larger input cannot be it. */
export interface StdinLimit {
  bytes: number;
  /** What was expected, for the refusal: "a key ID and its secret". */
  expected: string;
}

/**
 * Reads a whole stream (standard input piped in by a script) as UTF-8 text, refusing more than
 * the limit as soon as it is passed, so an endless or mistaken pipe is never held in memory.
 */
export async function readStream(
  stream: AsyncIterable<Buffer | string>,
  limit: StdinLimit,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit.bytes) {
      throw new RolecallError(
        'input-too-long',
        `Standard input has more than ${limit.bytes} bytes, far more than ${limit.expected}; pipe in only that.`,
        400,
      );
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}
