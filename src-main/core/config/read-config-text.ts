import { readFile } from 'node:fs/promises';

export type ConfigText =
  { state: 'missing' } | { state: 'unreadable'; problem: string } | { state: 'read'; text: string };

/**
 * Reads a config file ourselves before the SDK does, only to tell "missing" (fine: no profiles)
 * from "there but unreadable" (worth a warning) — the SDK's loader swallows both into `{}` — and
 * to let `sectionWarnings` see the section headers. The values still come from the SDK's parser.
 */
export async function readConfigText(path: string): Promise<ConfigText> {
  try {
    return { state: 'read', text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable', problem: describeReadError(code, error) };
  }
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
