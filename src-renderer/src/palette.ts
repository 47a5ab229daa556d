import type { ProfileInfo } from '../../src-shared/profile';
import { questionTitle } from '../../src-shared/questions';
import type { Snapshot } from '../../src-shared/snapshot';
import type { SsoSessionView } from '../../src-shared/sso-session';
import { accountKey, accountTitle } from './accounts';

/** What a command does; `run-command.ts` carries it out. */
export type PaletteAction =
  | { kind: 'switch'; profile: string }
  | { kind: 'load-slot'; profile: string }
  | { kind: 'console'; profile: string }
  | { kind: 'unload'; profile: string }
  | { kind: 'pin'; profile: string }
  | { kind: 'account'; account: string }
  | { kind: 'sign-in'; session: string }
  | { kind: 'answer'; key: string }
  | { kind: 'copy-exports' }
  | { kind: 'unload-all' }
  | { kind: 'tab'; tab: 'profiles' | 'server' | 'settings' };

export type PaletteGroup = 'Waiting' | 'Profiles' | 'Accounts' | 'Actions';

export interface Command {
  id: string;
  group: PaletteGroup;
  title: string;
  /** Shown beside the title, and searched: the account, the slot it is in. */
  detail?: string;
  action: PaletteAction;
}

export interface PaletteInput {
  profiles: readonly ProfileInfo[];
  sessions: readonly SsoSessionView[];
  snapshot: Pick<Snapshot, 'defaultProfile' | 'slots' | 'entries' | 'inputRequests'>;
  pinned: readonly string[];
}

/** Every command the palette offers, questions first, then profiles, accounts and actions. */
export function paletteCommands({ profiles, sessions, snapshot, pinned }: PaletteInput): Command[] {
  const commands: Command[] = [];
  const add = (group: PaletteGroup, title: string, action: PaletteAction, detail?: string) =>
    commands.push({
      id: `${commands.length}`,
      group,
      title,
      action,
      ...(detail ? { detail } : {}),
    });

  for (const question of snapshot.inputRequests ?? [])
    add('Waiting', questionTitle(question), { kind: 'answer', key: question.key });

  const loaded = new Set(snapshot.entries.map((entry) => entry.profile));
  for (const profile of profiles) {
    const account = profile.accountId ? accountTitle(profile) : undefined;
    const name = profile.name;
    if (profile.loadable) {
      if (snapshot.defaultProfile !== name)
        add('Profiles', `Switch to ${name}`, { kind: 'switch', profile: name }, account);
      if (!snapshot.slots.includes(name))
        add('Profiles', `Load ${name} in its slot`, { kind: 'load-slot', profile: name }, account);
      add('Profiles', `Open console as ${name}`, { kind: 'console', profile: name }, account);
    } else if (profile.signInFirst) {
      add(
        'Profiles',
        `Sign in to ${profile.signInFirst} to load ${name}`,
        { kind: 'sign-in', session: profile.signInFirst },
        account,
      );
    }
    if (loaded.has(name)) add('Profiles', `Unload ${name}`, { kind: 'unload', profile: name });
    add(
      'Profiles',
      `${pinned.includes(name) ? 'Unpin' : 'Pin'} ${name}`,
      { kind: 'pin', profile: name },
      account,
    );
  }

  const accounts = new Map<string, string>();
  for (const profile of profiles)
    if (profile.accountId) accounts.set(accountKey(profile), accountTitle(profile));
  for (const [key, title] of accounts)
    add('Accounts', `Go to ${title}`, { kind: 'account', account: key });

  for (const session of sessions)
    if (!session.signedIn)
      add('Actions', `Sign in to ${session.name}`, { kind: 'sign-in', session: session.name });
  if (snapshot.defaultProfile)
    add(
      'Actions',
      'Copy exports for the default slot',
      { kind: 'copy-exports' },
      snapshot.defaultProfile,
    );
  if (snapshot.entries.length > 0) add('Actions', 'Unload everything', { kind: 'unload-all' });
  add('Actions', 'Show profiles', { kind: 'tab', tab: 'profiles' });
  add('Actions', 'Show the credentials server', { kind: 'tab', tab: 'server' });
  add('Actions', 'Show settings', { kind: 'tab', tab: 'settings' });
  return commands;
}

/**
 * Among commands that fit equally well, what people come for first: switching the default
 * slot and answering a question, then the console; folding and unloading last.
 */
const priority: Record<PaletteAction['kind'], number> = {
  answer: 0,
  switch: 0,
  console: 1,
  'sign-in': 1,
  account: 2,
  'load-slot': 3,
  'copy-exports': 3,
  tab: 4,
  pin: 5,
  unload: 6,
  'unload-all': 7,
};

/** How well one typed word fits a command: at a word's start in its title beats inside it. */
function wordScore(word: string, title: string, detail: string): number {
  const at = title.indexOf(word);
  if (at === 0) return 4;
  if (at > 0) return /[\s/:_.-]/.test(title[at - 1]!) ? 3 : 2;
  return detail.includes(word) ? 1 : 0;
}

/**
 * The commands every typed word is found in (title or detail, any case), best first; then by
 * what people come for first, then in the order given. With nothing typed the list is as
 * `paletteCommands` made it.
 */
export function searchCommands(commands: readonly Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...commands];
  const scored: { command: Command; score: number; index: number }[] = [];
  commands.forEach((command, index) => {
    const title = command.title.toLowerCase();
    const detail = (command.detail ?? '').toLowerCase();
    let score = 0;
    for (const word of words) {
      const fit = wordScore(word, title, detail);
      if (fit === 0) return;
      score += fit;
    }
    scored.push({ command, score, index });
  });
  return scored
    .sort(
      (a, b) =>
        b.score - a.score ||
        priority[a.command.action.kind] - priority[b.command.action.kind] ||
        a.index - b.index,
    )
    .map(({ command }) => command);
}
