import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../../src-shared/profile';
import type { EntryView, Snapshot, TokenView } from '../../../src-shared/snapshot';
import { entryView, tokenView } from '../../../src-shared/testing/views';
import { trayIconState, trayMenu, type TrayInput, type TrayItem } from './tray-menu';

const now = Date.parse('2026-01-01T12:00:00Z');
const MINUTE = 60_000;

function entry(profile: string, overrides: Partial<EntryView> = {}): EntryView {
  return entryView(profile, { expiresAt: new Date(now + 45 * MINUTE).toISOString(), ...overrides });
}

const profiles: ProfileInfo[] = [
  {
    name: 'Prod/Admin',
    kind: 'sso',
    loadable: true,
    discovered: true,
    accountId: '111',
    accountName: 'Prod',
    roleName: 'Admin',
  },
  {
    name: 'Prod/ReadOnly',
    kind: 'sso',
    loadable: true,
    discovered: true,
    accountId: '111',
    accountName: 'Prod',
    roleName: 'ReadOnly',
  },
  {
    name: 'Dev/Admin',
    kind: 'sso',
    loadable: true,
    discovered: true,
    accountId: '222',
    accountName: 'Dev',
    roleName: 'Admin',
  },
  { name: 'local', kind: 'credential_process', loadable: true },
  { name: 'keys', kind: 'static', loadable: false, notLoadableReason: 'long-lived' },
];

function input(snapshot: Snapshot, overrides: Partial<TrayInput> = {}): TrayInput {
  return {
    snapshot,
    profiles,
    sessions: [],
    serverRunning: true,
    now,
    expiringSoonMs: 15 * MINUTE,
    ...overrides,
  };
}

const labels = (items: TrayItem[]): string[] =>
  items.map((item) =>
    item.type === 'separator' ? '---' : item.type === 'submenu' ? `${item.label} >` : item.label,
  );

describe('trayMenu', () => {
  it("puts the app's own items just above Quit", () => {
    const menu = trayMenu({
      ...input({ defaultProfile: null, slots: [], entries: [] }),
      appItems: [
        { type: 'item', label: 'Install command-line tool…', action: { kind: 'install-cli' } },
      ],
    });
    expect(labels(menu).slice(-3)).toEqual(['---', 'Install command-line tool…', 'Quit Rolecall']);
  });

  it('shows the default profile with time left, switching grouped by account, and the app items', () => {
    const menu = trayMenu(
      input({ defaultProfile: 'Prod/Admin', slots: [], entries: [entry('Prod/Admin')] }),
    );
    expect(labels(menu)).toEqual([
      'Prod/Admin — 45m 00s left',
      'Copy shell exports',
      'Open console',
      '---',
      'Switch role >',
      '---',
      'Open Rolecall',
      'Stop the credentials server',
      '---',
      'Quit Rolecall',
    ]);
    const switchRole = menu[4] as Extract<TrayItem, { type: 'submenu' }>;
    expect(labels(switchRole.items)).toEqual(['Dev (222) >', 'Prod (111) >', 'Other profiles >']);
    const prod = switchRole.items[1] as Extract<TrayItem, { type: 'submenu' }>;
    expect(prod.items.slice(0, 2)).toEqual([
      {
        type: 'item',
        label: 'Admin',
        checked: true,
        action: { kind: 'load', profile: 'Prod/Admin', slot: false },
      },
      {
        type: 'item',
        label: 'ReadOnly',
        checked: false,
        action: { kind: 'load', profile: 'Prod/ReadOnly', slot: false },
      },
    ]);
  });

  it('says when nothing is loaded and nothing can be', () => {
    const menu = trayMenu(
      input({ defaultProfile: null, slots: [], entries: [] }, { profiles: [] }),
    );
    expect(menu[0]).toEqual({ type: 'item', enabled: false, label: 'No default profile' });
    const switchRole = menu[2] as Extract<TrayItem, { type: 'submenu' }>;
    expect(switchRole.items).toEqual([
      { type: 'item', label: 'No loadable profiles', enabled: false },
    ]);
  });

  it('lists slots with copy and unload, and their state in words', () => {
    const snapshot: Snapshot = {
      defaultProfile: null,
      slots: ['local', 'Dev/Admin'],
      entries: [
        entry('Dev/Admin', { state: 'stale', lastError: 'x' }),
        entry('local', { state: 'expired' }),
      ],
    };
    const slots = trayMenu(input(snapshot)).find(
      (item) => item.type === 'submenu' && item.label === 'Slots',
    ) as Extract<TrayItem, { type: 'submenu' }>;
    expect(labels(slots.items)).toEqual([
      'local — expired >',
      'Dev/Admin — 45m 00s left, renewal failing >',
    ]);
    expect((slots.items[0] as Extract<TrayItem, { type: 'submenu' }>).items).toEqual([
      { type: 'item', label: 'Copy shell exports', action: { kind: 'copy-env', profile: 'local' } },
      { type: 'item', label: 'Open console', action: { kind: 'open-console', profile: 'local' } },
      { type: 'item', label: 'Unload', action: { kind: 'unload', profile: 'local' } },
    ]);
  });

  it('opens the console as the default profile, as each role in a slot, and as every role in Switch role', () => {
    const menu = trayMenu(
      input({
        defaultProfile: 'Prod/Admin',
        slots: ['local'],
        entries: [entry('Prod/Admin'), entry('local')],
      }),
    );
    expect(menu[2]).toEqual({
      type: 'item',
      label: 'Open console',
      action: { kind: 'open-console', profile: 'Prod/Admin' },
    });
    const switchRole = menu[4] as Extract<TrayItem, { type: 'submenu' }>;
    const prod = switchRole.items[1] as Extract<TrayItem, { type: 'submenu' }>;
    expect(labels(prod.items)).toEqual([
      'Admin',
      'ReadOnly',
      '---',
      'Open console as Admin',
      'Open console as ReadOnly',
    ]);
    expect(prod.items[4]).toEqual({
      type: 'item',
      label: 'Open console as ReadOnly',
      action: { kind: 'open-console', profile: 'Prod/ReadOnly' },
    });
    const other = switchRole.items[2] as Extract<TrayItem, { type: 'submenu' }>;
    expect(labels(other.items)).toEqual(['local', '---', 'Open console as local']);
  });

  it('offers sign-in or sign-out per session, and starting a stopped server', () => {
    const menu = trayMenu(
      input(
        { defaultProfile: null, slots: [], entries: [] },
        {
          serverRunning: false,
          sessions: [
            {
              name: 'corp',
              startUrl: 'https://corp/start',
              region: 'eu-west-1',
              signedIn: true,
              expiresAt: null,
            },
            {
              name: 'lab',
              startUrl: 'https://lab/start',
              region: 'us-east-1',
              signedIn: false,
              expiresAt: null,
            },
          ],
        },
      ),
    );
    expect(labels(menu)).toContain('Sign out of corp');
    expect(labels(menu)).toContain('Sign in to lab…');
    expect(labels(menu)).toContain('Start the credentials server');
  });
});

describe('trayIconState', () => {
  const snapshot = (entries: EntryView[]): Snapshot => ({
    defaultProfile: null,
    slots: [],
    entries,
  });
  it.each([
    ['idle with nothing loaded', [], 'idle'],
    ['ok when everything renews', [entry('a')], 'ok'],
    ['expiring when renewal fails', [entry('a', { state: 'stale' })], 'expiring'],
    [
      'expiring for unrenewable credentials inside the window',
      [entry('a', { refreshable: false, expiresAt: new Date(now + 15 * MINUTE).toISOString() })],
      'expiring',
    ],
    [
      'ok for unrenewable credentials just outside it',
      [
        entry('a', {
          refreshable: false,
          expiresAt: new Date(now + 15 * MINUTE + 1).toISOString(),
        }),
      ],
      'ok',
    ],
    ['error when one has expired', [entry('a'), entry('b', { state: 'expired' })], 'error'],
    ['error when one failed', [entry('a', { state: 'failed' })], 'error'],
  ] as const)('%s', (_name, entries, state) => {
    expect(trayIconState(snapshot([...entries]), now, 15 * MINUTE)).toBe(state);
  });
});

describe('trayMenu with questions waiting', () => {
  const snapshot: Snapshot = {
    defaultProfile: 'admin',
    slots: ['dev'],
    entries: [
      entry('admin', { state: 'refreshing', parents: ['base'] }),
      entry('base', { state: 'needs-input', waitingFor: 'mfa:arn:aws:iam::1:mfa/alice' }),
      entry('dev', { state: 'needs-input', expiresAt: new Date(now - MINUTE).toISOString() }),
    ],
    inputRequests: [
      {
        key: 'mfa:arn:aws:iam::1:mfa/alice',
        kind: 'mfa-code',
        prompt: 'Enter the MFA code',
        mfaSerial: 'arn:aws:iam::1:mfa/alice',
        waiting: ['base'],
        since: new Date(now - MINUTE).toISOString(),
      },
      {
        key: 'sso:corp',
        kind: 'sign-in',
        prompt: 'Sign in again to corp',
        ssoSession: 'corp',
        waiting: ['dev'],
        since: new Date(now).toISOString(),
      },
    ],
  };

  it('puts each question first: the code opens its dialog, the sign-in starts one', () => {
    const menu = trayMenu(input(snapshot));
    expect(menu.slice(0, 3)).toEqual([
      {
        type: 'item',
        label: 'MFA code needed for base…',
        action: { kind: 'answer', key: 'mfa:arn:aws:iam::1:mfa/alice' },
      },
      {
        type: 'item',
        label: 'Sign in again to corp…',
        action: { kind: 'sign-in', session: 'corp' },
      },
      { type: 'separator' },
    ]);
  });

  it('names a new password as what a Cognito question needs', () => {
    const menu = trayMenu(
      input({
        ...snapshot,
        inputRequests: [
          {
            key: 'cognito-new-password:eu-west-1_X/alice',
            kind: 'new-password',
            prompt: 'Amazon Cognito requires a new password for alice; choose one',
            waiting: ['app'],
            since: new Date(now).toISOString(),
          },
        ],
      }),
    );
    expect(menu[0]).toEqual({
      type: 'item',
      label: 'New password needed for app…',
      action: { kind: 'answer', key: 'cognito-new-password:eu-west-1_X/alice' },
    });
  });

  it('says in words that a slot waits for the user', () => {
    const slots = trayMenu(input(snapshot)).find(
      (item) => item.type === 'submenu' && item.label === 'Slots',
    ) as Extract<TrayItem, { type: 'submenu' }>;
    expect(labels(slots.items)).toEqual(['dev — waiting for you >']);
    const waitingBase: Snapshot = { ...snapshot, defaultProfile: 'base' };
    expect(labels(trayMenu(input(waitingBase)))[3]).toBe('base — 45m 00s left, waiting for you');
  });

  it('wants attention on the icon while a profile waits for an answer', () => {
    expect(
      trayIconState(
        { ...snapshot, entries: [entry('base', { state: 'needs-input' })] },
        now,
        15 * MINUTE,
      ),
    ).toBe('expiring');
  });
});

describe('failing tokens in the tray', () => {
  const at = (minutes: number) => new Date(now + minutes * MINUTE).toISOString();
  const menuWith = (...tokens: TokenView[]) =>
    trayMenu(input({ defaultProfile: null, slots: [], entries: [], tokens }));

  it('lists tokens that fail or will not renew at the top, each opening the window', () => {
    const items = menuWith(
      tokenView('fine', { expiresAt: at(30) }),
      tokenView('rt', { state: 'needs-input', renewable: false, expiresAt: at(20) }),
      tokenView('client', { state: 'stale', renewable: false, expiresAt: at(5) }),
      tokenView('gone', { state: 'expired', renewable: false, expiresAt: at(-1) }),
      tokenView('never', { state: 'failed' }),
    );
    expect(items.slice(0, 5)).toEqual([
      {
        type: 'item',
        label: 'Token rt — needs a new refresh token, 20m 00s left',
        action: { kind: 'open-window' },
      },
      {
        type: 'item',
        label: 'Token client — cannot renew, 5m 00s left',
        action: { kind: 'open-window' },
      },
      { type: 'item', label: 'Token gone — expired', action: { kind: 'open-window' } },
      { type: 'item', label: 'Token never — failed', action: { kind: 'open-window' } },
      { type: 'separator' },
    ]);
  });

  it('shows nothing for tokens that renew by themselves', () => {
    expect(menuWith(tokenView('fine', { expiresAt: at(30) }))[0]).toMatchObject({
      label: 'No default profile',
    });
  });
});
