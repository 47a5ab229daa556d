import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Looking for secrets where they must not be: every file under a directory, what a process shows
 * the rest of the machine, and any text a test collected (logs, answers).
 */

export interface FoundFile {
  path: string;
  /** The bytes as latin1, so no byte sequence is lost or merged; '' for a directory. */
  text: string;
  mode: number;
  directory: boolean;
}

/** `root` itself and every file and directory under it. */
export async function filesUnder(root: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const rootStat = await stat(root);
  found.push({ path: root, text: '', mode: rootStat.mode, directory: true });
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    // A socket (a running server's instance lock) or a pipe holds no bytes at rest.
    if (!info.isFile() && !info.isDirectory()) continue;
    found.push({
      path,
      text: info.isDirectory() ? '' : (await readFile(path)).toString('latin1'),
      mode: info.mode,
      directory: info.isDirectory(),
    });
  }
  return found;
}

/** What a running process shows the rest of the machine: its command line and environment. */
export async function processView(pid: number): Promise<string[]> {
  return Promise.all(
    ['cmdline', 'environ'].map(async (name) =>
      (await readFile(`/proc/${pid}/${name}`)).toString('latin1'),
    ),
  );
}

/** A text to search, and what to call it when a secret is found in it. */
export interface Place {
  where: string;
  text: string;
}

/** Text collected under one name: `log 0`, `log 1`, …  */
export function placesOf(name: string, texts: readonly string[]): Place[] {
  return texts.map((text, index) => ({ where: `${name} ${index}`, text }));
}

/** Every place a secret is found in, as `<where>: <the secret's start>…` (never all of it). */
export function whereFound(secrets: readonly string[], places: readonly Place[]): string[] {
  return places.flatMap(({ where, text }) =>
    secrets
      .filter((secret) => text.includes(secret))
      .map((secret) => `${where}: ${secret.slice(0, 10)}…`),
  );
}
