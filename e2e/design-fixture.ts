import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { InputRequestView } from '../src-shared/input-request';
import type { ProfileInfo } from '../src-shared/profile';
import type { EntryView, Snapshot } from '../src-shared/snapshot';
import type { SsoSessionView } from '../src-shared/sso-session';

/**
 * A fixed world for the visual comparisons and the documentation's screenshots: the built
 * renderer, a stand-in for the desktop bridge answering with the data below, a clock stopped at
 * NOW, and pinned and recent profiles already stored. Nothing in it depends on the machine, the
 * hour or a real server, so the same pixels come out on every run.
 */
const RENDERER = join(__dirname, '../out/renderer');
const ORIGIN = 'http://rolecall.test';
export const NOW = Date.parse('2026-03-02T09:41:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

const sso = (name: string, accountId: string, accountName: string): ProfileInfo => ({
  name,
  kind: 'sso',
  loadable: true,
  accountId,
  accountName,
  roleName: name.split('-').at(-1),
  ssoSession: 'acme',
  discovered: true,
});

export const profiles: ProfileInfo[] = [
  sso('prod-readonly', '444455556666', 'Production'),
  sso('prod-admin', '444455556666', 'Production'),
  sso('prod-billing', '444455556666', 'Production'),
  sso('dev-admin', '111122223333', 'Sandbox'),
  sso('dev-readonly', '111122223333', 'Sandbox'),
  sso('network-ops', '777788889999', 'Shared services'),
  { name: 'ci-deploy', kind: 'credential_process', loadable: true },
  {
    name: 'legacy-admin',
    kind: 'assume-role',
    loadable: true,
    sourceProfile: 'ci-deploy',
    chain: ['ci-deploy'],
    roleArn: 'arn:aws:iam::999900001111:role/LegacyAdmin',
  },
];

const entry = (profile: string, overrides: Partial<EntryView>): EntryView => ({
  profile,
  state: 'fresh',
  refreshedAt: at(-12),
  expiresAt: at(48),
  nextRefreshAt: at(28),
  lastError: null,
  refreshCount: 3,
  refreshable: true,
  ...overrides,
});

export const signInQuestion: InputRequestView = {
  key: 'sso:acme',
  kind: 'sign-in',
  prompt: 'Sign in again to acme',
  ssoSession: 'acme',
  waiting: ['dev-admin'],
  since: at(-2),
};

export const mfaQuestion: InputRequestView = {
  key: 'mfa:arn:aws:iam::999900001111:mfa/alice',
  kind: 'mfa-code',
  prompt: 'Enter the MFA code of arn:aws:iam::999900001111:mfa/alice',
  mfaSerial: 'arn:aws:iam::999900001111:mfa/alice',
  waiting: ['legacy-admin'],
  since: at(-1),
};

/** Three slots: the default healthy, one renewing on its own, one that cannot renew. */
export const loaded: Snapshot = {
  defaultProfile: 'prod-readonly',
  slots: ['dev-admin', 'network-ops'],
  entries: [
    entry('dev-admin', {
      state: 'needs-input',
      refreshedAt: at(-57),
      expiresAt: at(3),
      nextRefreshAt: null,
      waitingFor: 'sso:acme',
    }),
    entry('network-ops', { refreshedAt: at(-50), expiresAt: at(430), nextRefreshAt: at(410) }),
    entry('prod-readonly', {}),
  ],
  inputRequests: [signInQuestion],
};

export const sessions: SsoSessionView[] = [
  {
    name: 'acme',
    startUrl: 'https://acme.awsapps.com/start',
    region: 'eu-west-1',
    signedIn: false,
    expiresAt: null,
  },
];

export interface World {
  snapshot?: Snapshot;
  profiles?: ProfileInfo[];
  sessions?: SsoSessionView[];
  /** An API call that fails, with the error it fails with. */
  failing?: Record<string, string>;
  picks?: { pinned: string[]; recent: string[] };
  view?: 'window' | 'popover';
}

/** Opens the built window (or popover) on a fixed world; resolves once it has drawn its data. */
export async function openWorld(page: Page, world: World = {}): Promise<void> {
  await page.route(`${ORIGIN}/**`, (route) =>
    route.fulfill({ path: join(RENDERER, new URL(route.request().url()).pathname) }),
  );
  // Date stops at NOW; timers still run, so the window ticks but every tick reads the same time.
  await page.clock.setFixedTime(NOW);
  const answers = {
    getSnapshot: world.snapshot ?? loaded,
    listProfiles: world.profiles ?? profiles,
    listSessions: world.sessions ?? sessions,
    getServerInfo: {
      url: 'http://127.0.0.1:9911/',
      port: 9911,
      tls: false,
      version: '0.1.0',
      pid: 4242,
      startedAt: at(-90),
    },
    loadProfile: world.snapshot ?? loaded,
  };
  await page.addInitScript(
    ({ answers, failing, picks }) => {
      const storage = (
        globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
      ).localStorage;
      if (picks) storage.setItem('rolecall-picks', JSON.stringify(picks));
      const calls: Array<[string, unknown]> = [];
      const bridge = new Proxy(
        {
          subscribeSnapshots: () => () => undefined,
          subscribeShowQuestion: () => () => undefined,
        } as Record<string, unknown>,
        {
          get: (target, name: string) =>
            target[name] ??
            (async (args: unknown) => {
              calls.push([name, args]);
              if (failing[name]) throw new Error(failing[name]);
              return (answers as Record<string, unknown>)[name] ?? null;
            }),
        },
      );
      Object.assign(globalThis, { rolecall: bridge, bridgeCalls: calls });
    },
    {
      answers,
      failing: world.failing ?? {},
      picks: world.picks ?? { pinned: ['prod-readonly', 'dev-admin'], recent: ['network-ops'] },
    },
  );
  await page.goto(`${ORIGIN}/index.html${world.view === 'popover' ? '?view=popover' : ''}`);
  await page.evaluate('document.fonts.ready');
}
