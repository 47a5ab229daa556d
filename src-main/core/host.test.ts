import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from './host';
import { runtimeFilePath } from './runtime/runtime-file';
import { createMemoryStore } from './secrets/memory-store';

let home: string;
let host: RunningHost | undefined;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-host-'));
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  await rm(home, { recursive: true, force: true });
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('startHost', () => {
  it('turns the credentials server off and on while the core keeps running', async () => {
    host = await startHost({
      home,
      secrets: createMemoryStore(),
      port: 0,
      profileFiles: { configFile: join(home, 'none'), credentialsFile: join(home, 'none') },
    });
    const first = host.info;
    expect(host.serving()).toBe(true);
    expect((await fetch(first.url)).status).toBe(401);

    await host.setServing(false);
    expect(host.serving()).toBe(false);
    expect(host.currentInfo()).toBeNull();
    expect(await exists(runtimeFilePath(home))).toBe(false);
    await expect(fetch(first.url)).rejects.toThrow();
    expect(host.core.broker.snapshot()).toEqual({ defaultProfile: null, slots: [], entries: [] });

    await host.setServing(true);
    const again = host.currentInfo()!;
    expect((await fetch(again.url)).status).toBe(401);
    expect(await exists(runtimeFilePath(home))).toBe(true);
  });

  it("refuses to start when the keychain is not usable, with the keychain's own words", async () => {
    const secrets = createMemoryStore();
    secrets.failWith('The OS keychain is not usable: the keyring is locked.');
    await expect(startHost({ home, secrets, port: 0 })).rejects.toThrow('the keyring is locked');
  });
});
