import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeFederation } from '../../../test/fixtures/fake-federation';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import type { AwsCredentials } from '../credentials';
import { createCore, type CoreOptions } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { ConsoleLinks } from '../server/console-links';

const MINUTE = 60_000;
let dir: string;
let clock: ManualClock;
let fake: FakeFederation;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-console-'));
  await writeFile(
    join(dir, 'config'),
    '[profile helper]\ncredential_process = /bin/false\n\n[profile other]\ncredential_process = /bin/false\n',
  );
  await writeFile(join(dir, 'credentials'), '');
  clock = new ManualClock(Date.now());
  fake = await FakeFederation.start({ now: clock.now });
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** Credentials the fake endpoint knows, expiring in `minutes`. */
function known(minutes: number): AwsCredentials {
  const credentials = fakeCredentials({ expiresAt: clock.now() + minutes * MINUTE });
  fake.know(credentials as Required<AwsCredentials>, 'role');
  return credentials;
}

function core(sources: FakeSource[], extra: Partial<CoreOptions> = {}) {
  const links = new ConsoleLinks(clock);
  return {
    links,
    core: createCore({
      secrets: createMemoryStore(),
      clock,
      profileFiles: { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') },
      resolveSource: resolverFor(...sources),
      serverInfo: () => ({
        url: 'http://127.0.0.1:4144/',
        host: '127.0.0.1',
        port: 4144,
        tls: false,
        pid: process.pid,
        version: 'test',
        startedAt: new Date(clock.now()).toISOString(),
      }),
      console: {
        sessionSeconds: () => 3600,
        signInUrlOverride: () => ({ url: fake.url, from: 'ROLECALL_SIGNIN_URL' }),
        link: (serverUrl, url, urlExpiresAt) => links.add(serverUrl, url, urlExpiresAt),
      },
      ...extra,
    }),
  };
}

const signedInAs = (url: string) =>
  fake.token(new URL(url).searchParams.get('SigninToken')!)?.accessKeyId;

describe('consoleSignIn over the core', () => {
  it('loads a profile Rolecall does not hold into its own slot, leaving the default slot as it was', async () => {
    const other = new FakeSource('other', known(60));
    const helper = new FakeSource('helper', known(60));
    const { core: running } = core([other, helper]);
    await running.api.loadProfile({ profile: 'other' });

    const signIn = await running.api.consoleSignIn({ profile: 'helper', deliver: 'url' });

    expect(signIn.loadedIntoSlot).toBe(true);
    expect(running.broker.snapshot()).toMatchObject({ defaultProfile: 'other', slots: ['helper'] });
    expect(signedInAs(signIn.url)).toBe((await helper.fetch()).accessKeyId);
  });

  it('uses credentials held in any slot as they are, without running the source again', async () => {
    const credentials = known(60);
    const helper = new FakeSource('helper', credentials);
    const { core: running } = core([helper]);
    await running.api.loadProfile({ profile: 'helper' });

    const signIn = await running.api.consoleSignIn({ profile: 'helper', deliver: 'url' });

    expect(helper.calls).toBe(1);
    expect(signIn.loadedIntoSlot).toBe(false);
    expect(running.broker.snapshot()).toMatchObject({ defaultProfile: 'helper', slots: [] });
    expect(signedInAs(signIn.url)).toBe(credentials.accessKeyId);
    expect(signIn.sessionEndsAt).toBe(new Date(credentials.expiresAt!).toISOString());
  });

  it('renews credentials that end within 15 minutes first, so the console session is not cut short', async () => {
    const ending = known(10);
    const renewed = known(60);
    const helper = new FakeSource('helper', ending, renewed);
    const { core: running } = core([helper]);
    await running.api.loadProfile({ profile: 'helper', slot: true });

    const signIn = await running.api.consoleSignIn({ profile: 'helper', deliver: 'url' });

    expect(helper.calls).toBe(2);
    expect(signedInAs(signIn.url)).toBe(renewed.accessKeyId);
  });

  it('hands out a one-time link to the server instead of the sign-in URL, when asked', async () => {
    const { core: running, links } = core([new FakeSource('helper', known(60))]);

    const signIn = await running.api.consoleSignIn({ profile: 'helper', deliver: 'link' });

    expect(signIn.delivered).toBe('link');
    const match = /^http:\/\/127\.0\.0\.1:4144\/console\/([\w-]{43})$/.exec(signIn.url);
    expect(match).not.toBeNull();
    expect(signIn.expiresAt).toBe(new Date(clock.now() + 2 * MINUTE).toISOString());
    const target = links.take(match![1]!);
    expect(target && signedInAs(target)).toBeTruthy();
    expect(links.take(match![1]!)).toBeNull();
  });

  it('says a link needs the server listening, before fetching anything', async () => {
    const helper = new FakeSource('helper', known(60));
    const { core: running } = core([helper], { serverInfo: () => null });
    await expect(running.api.consoleSignIn({ profile: 'helper', deliver: 'link' })).rejects.toThrow(
      'Opening the console in a browser goes through the credentials server, which is off; turn it on, or ask for the sign-in URL itself (`rolecall console --print`).',
    );
    expect(helper.calls).toBe(0);
  });

  it('names a profile that does not exist as loading it would', async () => {
    const { core: running } = core([]);
    await expect(running.api.consoleSignIn({ profile: 'nope', deliver: 'url' })).rejects.toThrow(
      /^There is no profile named nope in /,
    );
  });
});
