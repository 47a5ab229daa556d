import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../src-shared/profile';
import { groupByAccount } from './accounts';

const p = (name: string, accountId?: string, accountName?: string): ProfileInfo => ({
  name,
  kind: 'sso',
  loadable: true,
  ...(accountId ? { accountId } : {}),
  ...(accountName ? { accountName } : {}),
});

describe('groupByAccount', () => {
  it('groups by account id with its name, the profiles of no account last', () => {
    const groups = groupByAccount([
      p('local'),
      p('dev', '111122223333', 'Sandbox'),
      p('dev-ro', '111122223333', 'Sandbox'),
      p('role', '444455556666'),
    ]);
    expect(groups.map((group) => [group.title, group.profiles.map((x) => x.name)])).toEqual([
      ['Sandbox (111122223333)', ['dev', 'dev-ro']],
      ['Account (444455556666)', ['role']],
      ['Other profiles', ['local']],
    ]);
    expect(groups[0]).toMatchObject({ name: 'Sandbox', accountId: '111122223333' });
  });
});
