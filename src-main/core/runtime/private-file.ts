import { chmod, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file only its owner can read (0600), atomically: a crash mid-write leaves the old
 * file, never half of a new one. Its directory is made 0700, and nobody else may list or change
 * it; one Rolecall made passable for others (ROLECALL_HOME, so that another user can read the
 * public CA certificate in it) stays passable, which opens no 0600 file.
 */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  if ((await stat(directory)).mode & 0o066) await chmod(directory, 0o700);
  await writeAtomically(path, content, 0o600);
}

/** Writes a file anyone may read (0644), atomically; for certificates, never for a secret. */
export async function writePublicFile(path: string, content: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o755 });
  await chmod(directory, 0o755);
  await writeAtomically(path, content, 0o644);
}

async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  // The umask may have taken bits away from a public file.
  await chmod(temporary, mode);
  await rename(temporary, path);
}
