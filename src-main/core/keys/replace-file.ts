import { randomUUID } from 'node:crypto';
import { open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RolecallError } from '../errors';

/**
 * Replaces a file the user owns (an AWS credentials or config file) with new content, so that
 * every reader sees either the old file or the new one, never a part: a temporary file beside it
 * gets the new bytes with the old file's mode (created owner-only, so it is never more readable
 * than the original, even for a moment) and owner, reaches the disk, and is renamed over the
 * original. A symbolic link (dotfiles kept elsewhere) is followed, so the link stays a link.
 * Nothing is replaced when the file changed since `expected` was read; no copy of the old file
 * is kept anywhere.
 */
export async function replaceFile(
  path: string,
  expected: Uint8Array,
  content: Uint8Array,
): Promise<void> {
  try {
    await replace(path, expected, content);
  } catch (error) {
    if (error instanceof RolecallError) throw error;
    throw new RolecallError(
      'file-not-rewritten',
      `Could not rewrite ${path} (${reason(error)}), so it was left as it is.`,
      500,
      { cause: error },
    );
  }
}

function reason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENOENT':
      return 'it is not there any more';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

async function replace(path: string, expected: Uint8Array, content: Uint8Array): Promise<void> {
  const target = await realpath(path);
  const { mode, uid, gid } = await stat(target);
  const temporary = join(dirname(target), `.${basename(target)}.rolecall-${randomUUID()}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content);
      await handle.chmod(mode & 0o7777);
      if (process.getuid && (uid !== process.getuid() || gid !== process.getgid!())) {
        await handle.chown(uid, gid).catch((error: unknown) => {
          throw new RolecallError(
            'file-owner',
            `${path} belongs to another user, and Rolecall could not give the rewritten file the same owner (${(error as NodeJS.ErrnoException).code}); nothing was changed.`,
            409,
          );
        });
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!Buffer.from(await readFile(target)).equals(expected)) {
      throw new RolecallError(
        'file-changed',
        `${path} changed while Rolecall was rewriting it, so it was left as it is now; run the command again.`,
        409,
      );
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(target));
}

/** Makes the rename itself durable; not every system lets a directory be opened, so best effort. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory; the rename is already done.
  }
}
