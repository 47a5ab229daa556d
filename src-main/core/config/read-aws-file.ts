import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export type AwsFileBytes =
  | { state: 'missing' }
  | { state: 'unreadable'; problem: string }
  | { state: 'read'; bytes: Uint8Array };

/**
 * Reads an AWS config or credentials file as bytes (the reader decodes them, so it can say which
 * line holds a byte that is not UTF-8), telling "missing" (fine: no profiles) from "there but
 * unreadable" (worth a warning). The AWS CLI treats both as a file with nothing in it.
 */
export async function readAwsFile(path: string): Promise<AwsFileBytes> {
  try {
    return { state: 'read', bytes: await readFile(path) };
  } catch (error) {
    return notRead(error);
  }
}

/** The same, synchronously, for the check made just before an AWS SDK client reads the files. */
export function readAwsFileSync(path: string): AwsFileBytes {
  try {
    return { state: 'read', bytes: readFileSync(path) };
  } catch (error) {
    return notRead(error);
  }
}

function notRead(error: unknown): AwsFileBytes {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { state: 'missing' };
  return { state: 'unreadable', problem: describeReadError(code, error) };
}

function describeReadError(code: string | undefined, error: unknown): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ENOTDIR':
      return 'a folder in its path is a file';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
