import { describe, expect, it } from 'vitest';
import type { DiscoveryProgress } from '../core/sso/discovery/discover-roles';
import { discoveryProgressView } from './discovery-progress';

/** What discoverRoles reports for `accounts` accounts listed in pages of `page`, one role each. */
function run(accounts: number, page: number): DiscoveryProgress[] {
  const reports: DiscoveryProgress[] = [];
  for (let listed = Math.min(page, accounts); ; listed = Math.min(listed + page, accounts)) {
    const all = listed === accounts;
    reports.push({ accountsListed: listed, allAccountsListed: all, accountsDone: 0, roles: 0 });
    if (all) break;
  }
  for (let done = 1; done <= accounts; done += 1)
    reports.push({
      accountsListed: accounts,
      allAccountsListed: true,
      accountsDone: done,
      roles: done,
    });
  return reports;
}

function show(reports: DiscoveryProgress[], terminal: boolean): string {
  let text = '';
  const view = discoveryProgressView((chunk) => (text += chunk), terminal);
  for (const report of reports) view.update(report);
  view.end();
  return text;
}

describe('discovery progress', () => {
  it('rewrites one line on a terminal, with "N+" accounts until the last page', () => {
    const text = show(run(5, 2), true);
    const frames = text.split('\r\x1b[K').filter(Boolean);
    expect(frames.slice(0, 3)).toEqual([
      'Discovering roles: 0/2+ accounts, 0 roles',
      'Discovering roles: 0/4+ accounts, 0 roles',
      'Discovering roles: 0/5 accounts, 0 roles',
    ]);
    expect(frames.at(-1)).toBe('Discovering roles: 5/5 accounts, 5 roles\n');
  });

  it('writes plain lines, no carriage returns, at most one per tenth of the accounts in a pipe', () => {
    const text = show(run(1000, 100), false);
    expect(text).not.toContain('\r');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Found 1000 accounts; listing the roles in each...');
    expect(lines.slice(1)).toEqual(
      Array.from(
        { length: 9 },
        (_, i) =>
          `Listed the roles of ${(i + 1) * 100} of 1000 accounts (${(i + 1) * 100} roles so far).`,
      ),
    );
    expect(lines.join('\n')).not.toMatch(/\d\+/);
  });

  it('writes nothing to end a line it never started', () => {
    expect(show([], true)).toBe('');
    expect(show(run(1, 1), false)).toBe('Found 1 account; listing the roles in each...\n');
  });
});
