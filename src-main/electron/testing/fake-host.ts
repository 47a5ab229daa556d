import type { BearerToken } from '../../core/bearer-token';
import type { ServerInfo } from '../../../src-shared/server-info';
import { FakeSource, resolverFor } from '../../../test/helpers/fake-source';
import type { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore, type CoreOptions } from '../../core/core';
import { ConsoleLinks } from '../../core/server/console-links';
import type { RunningHost } from '../../core/host';
import { createMemoryStore } from '../../core/secrets/memory-store';
import type { Settings } from '../../core/settings/settings';
import { createSsoServices, type SsoServices } from '../../core/sso/sso-services';
import type { SsoSessionRef } from '../../core/sso/types';

export interface FakeHostOptions {
  home: string;
  clock: ManualClock;
  sources: FakeSource[];
  /** The AWS config its profiles and sso-sessions come from. */
  profileFiles: { configFile: string; credentialsFile: string };
  settings?: Settings;
  /** Opening the console: the session length and where to sign in (a fake endpoint). */
  console?: Omit<NonNullable<CoreOptions['console']>, 'link'>;
}

export interface FakeHost extends RunningHost {
  /** Sessions signed in through `sso.signInAndDiscover`, in order. */
  signIns: string[];
  /** The one-time console links handed out, as the server would redeem them. */
  consoleLinks: ConsoleLinks;
}

/**
 * What `startHost` gives the desktop shell, without a listening server: a real core (broker,
 * RolecallApi, IAM Identity Center sessions on an in-memory keychain) over fake sources and a
 * clock the test moves. Signing in skips the browser and stores a token, as a finished sign-in
 * does; turning the server off and on only flips the flag the shell reads.
 */
export function createFakeHost(options: FakeHostOptions): FakeHost {
  const secrets = createMemoryStore();
  const settings: Settings = options.settings ?? {};
  const realSso = createSsoServices({
    home: options.home,
    secrets,
    profileFiles: options.profileFiles,
    settings: { ...settings, sso: { ...settings.sso, shareWithAwsCli: false } },
  });
  const signIns: string[] = [];
  const signedIn = new Set<(session: SsoSessionRef) => void>();
  const sso: SsoServices = {
    ...realSso,
    async signInAndDiscover(session) {
      const token = {
        accessToken: 'fake-access-token',
        expiresAt: Date.now() + 8 * 3_600_000,
        startUrl: session.startUrl,
        region: session.region,
      };
      await realSso.tokenStore.save(session, token);
      signIns.push(session.name ?? session.startUrl);
      for (const listener of signedIn) listener(session);
      return { token, accounts: 0, roles: 0 };
    },
    onSignedIn(listener) {
      signedIn.add(listener);
      return () => signedIn.delete(listener);
    },
  };
  const consoleLinks = new ConsoleLinks(options.clock);
  let serving = true;
  const core = createCore({
    secrets,
    clock: options.clock,
    resolveSource: resolverFor(...options.sources),
    profileFiles: options.profileFiles,
    sso,
    serverInfo: () => (serving ? info : null),
    bearer: fakeBearer(),
    ...(options.console
      ? {
          console: {
            ...options.console,
            link: (serverUrl: string, url: string, urlExpiresAt: number) =>
              consoleLinks.add(serverUrl, url, urlExpiresAt),
          },
        }
      : {}),
  });
  const info: ServerInfo = {
    url: 'http://127.0.0.1:4144/',
    host: '127.0.0.1',
    port: 4144,
    tls: false,
    pid: process.pid,
    version: 'test',
    startedAt: new Date(options.clock.now()).toISOString(),
  };
  return {
    core,
    sso,
    info,
    signIns,
    consoleLinks,
    currentInfo: () => (serving ? info : null),
    serving: () => serving,
    async setServing(on) {
      serving = on;
    },
    settings: () => settings,
    async close() {
      core.broker.stop();
    },
  };
}

/** A bearer token held in memory, as `loadBearerToken` holds the keychain's. */
function fakeBearer(): BearerToken {
  let token = 'fake-bearer-token';
  return {
    current: () => token,
    async rotate() {
      token = `${token}+`;
      return token;
    },
  };
}
