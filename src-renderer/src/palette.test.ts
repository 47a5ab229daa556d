import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../src-shared/profile';
import { emptySnapshot } from '../../src-shared/snapshot';
import { paletteCommands, searchCommands } from './palette';

const profile = (name: string, extra: Partial<ProfileInfo> = {}): ProfileInfo => ({
  name,
  kind: 'sso',
  loadable: true,
  ...extra,
});

const profiles = [
  profile('dev', { accountId: '111122223333', accountName: 'Sandbox' }),
  profile('prod-admin', { accountId: '444455556666', accountName: 'Production' }),
  profile('corp-readonly', { loadable: false, signInFirst: 'corp' }),
];

describe('paletteCommands', () => {
  const commands = paletteCommands({
    profiles,
    sessions: [{ name: 'corp', signedIn: false, expiresAt: null } as never],
    snapshot: { ...emptySnapshot, defaultProfile: 'dev', entries: [{ profile: 'dev' } as never] },
    pinned: ['dev'],
  });
  const titles = commands.map((command) => command.title);

  it('offers every profile, account and action, and no switch to the profile already in use', () => {
    expect(titles).toEqual(
      expect.arrayContaining([
        'Load dev in its slot',
        'Open console as dev',
        'Unload dev',
        'Unpin dev',
        'Switch to prod-admin',
        'Pin prod-admin',
        'Sign in to corp to load corp-readonly',
        'Go to Sandbox (111122223333)',
        'Go to Production (444455556666)',
        'Sign in to corp',
        'Copy exports for the default slot',
        'Unload everything',
        'Show settings',
      ]),
    );
    expect(titles).not.toContain('Switch to dev');
    expect(titles).not.toContain('Switch to corp-readonly');
  });

  it('puts a waiting question first', () => {
    const withQuestion = paletteCommands({
      profiles,
      sessions: [],
      snapshot: {
        ...emptySnapshot,
        inputRequests: [
          { key: 'sso:corp', kind: 'sign-in', ssoSession: 'corp', waiting: [] } as never,
        ],
      },
      pinned: [],
    });
    expect(withQuestion[0]).toMatchObject({
      group: 'Waiting',
      title: 'Sign in again to corp',
      action: { kind: 'answer', key: 'sso:corp' },
    });
  });

  describe('searchCommands', () => {
    it('finds by every word, any case, in the title or the account', () => {
      expect(searchCommands(commands, 'PROD switch').map((c) => c.title)).toEqual([
        'Switch to prod-admin',
      ]);
      expect(searchCommands(commands, 'sandbox console').map((c) => c.title)).toEqual([
        'Open console as dev',
      ]);
      expect(searchCommands(commands, 'nothing-like-this')).toEqual([]);
    });

    it('ranks a word found at the start of a title word above one found inside a word', () => {
      const found = searchCommands(commands, 'admin').map((c) => c.title);
      expect(found[0]).toBe('Switch to prod-admin');
      const load = searchCommands(commands, 'load').map((c) => c.title);
      // "Load dev…" starts with the word; "Unload dev" only holds it.
      expect(load.indexOf('Load dev in its slot')).toBeLessThan(load.indexOf('Unload dev'));
    });

    it('puts switching first among commands that fit as well', () => {
      const found = searchCommands(commands, 'prod').map((c) => c.title);
      expect(found[0]).toBe('Switch to prod-admin');
      expect(found.indexOf('Open console as prod-admin')).toBeLessThan(
        found.indexOf('Load prod-admin in its slot'),
      );
    });

    it('keeps the given order with nothing typed', () => {
      expect(searchCommands(commands, '  ')).toEqual(commands);
    });
  });
});
