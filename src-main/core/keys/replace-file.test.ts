import {
  chmod,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceFile } from './replace-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-replace-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (text: string) => Buffer.from(text);

describe('replaceFile', () => {
  it.each([0o600, 0o640, 0o644, 0o400])(
    'writes the new content with the old mode %o',
    async (mode) => {
      const path = join(dir, 'credentials');
      await writeFile(path, 'old\n');
      await chmod(path, mode);
      await replaceFile(path, bytes('old\n'), bytes('new\n'));
      expect(await readFile(path, 'utf8')).toBe('new\n');
      expect((await stat(path)).mode & 0o777).toBe(mode);
      expect(await readdir(dir)).toEqual(['credentials']);
    },
  );

  it('follows a symbolic link, so the link stays and its target changes', async () => {
    const real = join(dir, 'dotfiles-credentials');
    const link = join(dir, 'credentials');
    await writeFile(real, 'old\n');
    await symlink(real, link);
    await replaceFile(link, bytes('old\n'), bytes('new\n'));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('new\n');
  });

  it('leaves a file that changed since it was read as it is, with no temporary file behind', async () => {
    const path = join(dir, 'credentials');
    await writeFile(path, 'edited meanwhile\n');
    await expect(replaceFile(path, bytes('old\n'), bytes('new\n'))).rejects.toThrow(
      `${path} changed while Rolecall was rewriting it, so it was left as it is now; run the command again.`,
    );
    expect(await readFile(path, 'utf8')).toBe('edited meanwhile\n');
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  it('says in a sentence when the file cannot be rewritten', async () => {
    const path = join(dir, 'gone');
    await expect(replaceFile(path, bytes('old\n'), bytes('new\n'))).rejects.toThrow(
      `Could not rewrite ${path} (it is not there any more), so it was left as it is.`,
    );
  });
});
