import { randomBytes } from 'node:crypto';
import { link, rename, rm } from 'node:fs/promises';

/**
 * Takes a stale lock file out of the way by renaming it, which only one process can do; should
 * the renamed file turn out to be a newer, live one (another process replaced the stale one in
 * between: its `id` is not the one `seen` when it was judged stale), it is put back unless yet
 * another has taken the place.
 */
export async function removeStaleFile(
  path: string,
  seen: { id: string } | null,
  read: (path: string) => Promise<{ id: string } | null | undefined>,
): Promise<void> {
  const grave = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, grave);
  } catch {
    return;
  }
  const moved = await read(grave);
  if (moved && seen && moved.id !== seen.id) await link(grave, path).catch(() => undefined);
  await rm(grave, { force: true });
}
