import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directoryTrustStore } from './trust-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-trust-'));
});
afterEach(async () => {
  await chmod(join(dir, 'anchors'), 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function setup() {
  const anchors = join(dir, 'anchors');
  await import('node:fs/promises').then((fs) => fs.mkdir(anchors));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const updates: string[][] = [];
  const store = directoryTrustStore({
    name: 'the test CA store',
    anchorDir: anchors,
    update: ['update-ca-certificates', '--fresh'],
    runner: async (command, args) => void updates.push([command, ...args]),
  });
  return { anchors, caFile, updates, store };
}

describe('directory trust store (Debian/Fedora style, in a temporary directory)', () => {
  it('makes the anchor readable by every program, whatever the mode of the CA file', async () => {
    const { anchors, caFile, store } = await setup();
    await chmod(caFile, 0o600);
    await store.add(caFile);
    expect((await stat(join(anchors, 'rolecall-local-ca.crt'))).mode & 0o777).toBe(0o644);
  });

  it('adds the CA as an anchor and refreshes the store, and takes it out again', async () => {
    const { anchors, caFile, updates, store } = await setup();
    await store.add(caFile);
    expect(await readdir(anchors)).toEqual(['rolecall-local-ca.crt']);
    expect(await readFile(join(anchors, 'rolecall-local-ca.crt'), 'utf8')).toBe(
      await readFile(caFile, 'utf8'),
    );
    await store.remove();
    expect(await readdir(anchors)).toEqual([]);
    expect(updates).toEqual([
      ['update-ca-certificates', '--fresh'],
      ['update-ca-certificates', '--fresh'],
    ]);
  });

  it('says it needs administrator rights when the store is not writable', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere; simulate the refusal the way the update tool reports it.
      const { caFile } = await setup();
      const store = directoryTrustStore({
        name: 'the test CA store',
        anchorDir: join(dir, 'anchors'),
        update: ['x'],
        runner: async () => {
          throw Object.assign(new Error('failed'), {
            stderr: 'update-ca-certificates: Permission denied',
          });
        },
      });
      await expect(store.add(caFile)).rejects.toThrow(
        'Changing the test CA store needs administrator rights.',
      );
      return;
    }
    const { anchors, caFile, store } = await setup();
    await chmod(anchors, 0o555);
    await expect(store.add(caFile)).rejects.toThrow('needs administrator rights');
  });
});
