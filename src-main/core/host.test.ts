import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from './host';
import { BEARER_TOKEN_ACCOUNT } from './bearer-token';
import { askInstanceHolder } from './runtime/instance-lock';
import { readRuntimeFile, runtimeFilePath } from './runtime/runtime-file';
import type { LoginItem } from './settings/settings-service';
import { createMemoryStore } from './secrets/memory-store';
import { freePort, listenOn } from '../../test/helpers/free-port';

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
    expect(host.core.broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });

    await host.setServing(true);
    const again = host.currentInfo()!;
    expect((await fetch(again.url)).status).toBe(401);
    expect(await exists(runtimeFilePath(home))).toBe(true);
  });

  it('tells a second start with the same home which Rolecall has it and where it serves', async () => {
    host = await startHost({
      home,
      app: 'desktop',
      secrets: createMemoryStore(),
      port: 0,
      profileFiles: { configFile: join(home, 'none'), credentialsFile: join(home, 'none') },
    });
    // Nothing loaded yet: the default slot is told as empty (a shell prompt reads it).
    expect(await askInstanceHolder(home)).toEqual({
      pid: process.pid,
      app: 'desktop',
      url: host.info.url,
      defaultSlot: null,
    });
    await expect(startHost({ home, secrets: createMemoryStore(), port: 0 })).rejects.toThrow(
      `The Rolecall desktop app is already running (pid ${process.pid}) with this ROLECALL_HOME (${home}), serving credentials at ${host.info.url}.`,
    );
    await host.setServing(false);
    expect(await askInstanceHolder(home)).toEqual({
      pid: process.pid,
      app: 'desktop',
      defaultSlot: null,
    });
  });

  it("refuses to start when the keychain is not usable, with the keychain's own words", async () => {
    const secrets = createMemoryStore();
    secrets.failWith('The OS keychain is not usable: the keyring is locked.');
    await expect(startHost({ home, secrets, port: 0 })).rejects.toThrow('the keyring is locked');
  });

  it('rotates the bearer token in the keychain and the running server at once', async () => {
    const secrets = createMemoryStore();
    host = await startHost({ home, secrets, port: 0, profileFiles: noProfiles() });
    const before = await host.core.api.revealToken(undefined);
    expect(await statusWith(host, before.authorization)).toBe(404);

    const after = await host.core.api.rotateToken(undefined);
    expect(after.token).not.toBe(before.token);
    expect(after.authorization).toBe(`Bearer ${after.token}`);
    expect(await secrets.get(BEARER_TOKEN_ACCOUNT)).toBe(after.token);
    expect(await statusWith(host, before.authorization)).toBe(401);
    expect(await statusWith(host, after.authorization)).toBe(404);
  });

  it("moves the desktop app's server to a new port, and stays put when the port is taken", async () => {
    host = await startHost({
      home,
      secrets: createMemoryStore(),
      port: 0,
      profileFiles: noProfiles(),
      applyServerSettingsLive: true,
    });
    const { authorization } = await host.core.api.revealToken(undefined);
    const port = await freePort();
    const view = await host.core.api.updateSettings({ server: { port } });
    expect(view.inEffect).toEqual({ port, tls: false });
    expect(view.server).toEqual({ port, tls: false });
    expect(await statusWith(host, authorization)).toBe(404);
    expect((await readRuntimeFile(home))?.port).toBe(port);

    const blocker = await listenOn(0);
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(host.core.api.updateSettings({ server: { port: taken } })).rejects.toMatchObject(
        {
          code: 'port-in-use',
        },
      );
    } finally {
      blocker.close();
    }
    expect(host.currentInfo()?.port).toBe(port);
    expect(await statusWith(host, authorization)).toBe(404);
    expect(JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'))).toEqual({
      server: { port },
    });
  });

  it('saves server changes of `rolecall serve` for its next start, and says so', async () => {
    host = await startHost({
      home,
      secrets: createMemoryStore(),
      port: 0,
      profileFiles: noProfiles(),
    });
    const port = await freePort();
    const view = await host.core.api.updateSettings({ server: { port }, refreshLeadMinutes: 30 });
    expect(view.server.port).toBe(port);
    expect(view.inEffect.port).toBe(host.info.port);
    expect(view.refreshLeadMinutes).toBe(30);
    expect(view.serverNote).toContain('when `rolecall serve` starts again');
    expect(view.serverNote).toContain('--port or ROLECALL_PORT');
    expect(view.launchAtLogin).toBeNull();
    await expect(host.core.api.updateSettings({ launchAtLogin: true })).rejects.toMatchObject({
      status: 501,
    });
  });

  it("switches launch at login through the desktop app's login item", async () => {
    let enabled = false;
    const loginItem: LoginItem = {
      isEnabled: async () => enabled,
      setEnabled: async (on) => {
        enabled = on;
      },
    };
    host = await startHost({
      home,
      secrets: createMemoryStore(),
      port: 0,
      profileFiles: noProfiles(),
      loginItem,
    });
    expect((await host.core.api.getSettings(undefined)).launchAtLogin).toBe(false);
    expect((await host.core.api.updateSettings({ launchAtLogin: true })).launchAtLogin).toBe(true);
    expect(enabled).toBe(true);
  });
});

function noProfiles() {
  return { configFile: join(home, 'none'), credentialsFile: join(home, 'none') };
}

async function statusWith(running: RunningHost, authorization: string): Promise<number> {
  const response = await fetch(running.currentInfo()!.url, { headers: { authorization } });
  return response.status;
}
