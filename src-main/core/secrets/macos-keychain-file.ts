import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { RolecallError } from '../errors';
import { runCommand, type RunOutcome } from '../sources/run-command';

/**
 * Reads the generic-password items of one service from a keychain file of its own — the way
 * aws-vault keeps its keys on macOS, in `aws-vault.keychain-db` beside the login keychain rather
 * than in it. keytar only searches the user's keychain search list, which that file is not on, so
 * this goes through Apple's own `security` tool: `dump-keychain` for the accounts (attributes
 * only), then `find-generic-password -w` for each secret, read from its standard output. macOS
 * asks the person to unlock that keychain and to allow each item, as it does for aws-vault.
 */

/** Runs Apple's `security` tool; a parameter so tests can stand in for it. */
export type SecurityTool = (args: string[]) => Promise<RunOutcome>;

const SECURITY = '/usr/bin/security';
/** Long enough for a person to read macOS's prompt, type the keychain's password and allow. */
const PROMPT_TIMEOUT_MS = 5 * 60_000;

export const runSecurityTool: SecurityTool = (args) =>
  runCommand({
    argv: [SECURITY, ...args],
    env: process.env,
    timeoutMs: PROMPT_TIMEOUT_MS,
    maxStdoutBytes: 16 * 1024 * 1024,
    stderrTailBytes: 2048,
  });

export interface KeychainFileItem {
  account: string;
  /** The item's secret as `security -w` prints it. */
  password: string;
}

/**
 * The keychain file `name` names under ~/Library/Keychains (`aws-vault` →
 * `aws-vault.keychain-db`, or `aws-vault.keychain` as macOS before 10.12 wrote it), or null.
 */
export async function findKeychainFile(home: string, name: string): Promise<string | null> {
  for (const file of [`${name}.keychain-db`, `${name}.keychain`]) {
    const path = join(home, 'Library', 'Keychains', file);
    try {
      await access(path);
      return path;
    } catch {
      // not this spelling
    }
  }
  return null;
}

/** Every generic password of `service` in the keychain file at `path`, with its secret. */
export async function readKeychainFileItems(
  path: string,
  service: string,
  security: SecurityTool = runSecurityTool,
): Promise<KeychainFileItem[]> {
  const listing = await ask(security, ['dump-keychain', path], path);
  const accounts = [
    ...new Set(
      parseKeychainDump(listing)
        .filter((record) => record.class === 'genp' && record.attributes.svce === service)
        .map((record) => record.attributes.acct)
        .filter((account): account is string => account !== undefined),
    ),
  ].sort();
  const items: KeychainFileItem[] = [];
  for (const account of accounts) {
    const printed = await ask(
      security,
      ['find-generic-password', '-s', service, '-a', account, '-w', path],
      path,
    );
    // `-w` prints the secret and a line break.
    items.push({ account, password: printed.replace(/\r?\n$/, '') });
  }
  return items;
}

async function ask(security: SecurityTool, args: string[], path: string): Promise<string> {
  const outcome = await security(args);
  if (outcome.kind === 'exited' && outcome.code === 0) return outcome.stdout;
  throw new RolecallError('keychain-file-unreadable', sentenceFor(outcome, path), 502);
}

function sentenceFor(outcome: RunOutcome, path: string): string {
  const nothing = 'so nothing was imported';
  switch (outcome.kind) {
    case 'spawn-failed':
      return `Could not run ${SECURITY} to read ${path} (${outcome.error.code ?? outcome.error.message}), ${nothing}.`;
    case 'timed-out':
      return `macOS's prompt to open ${path} was not answered in 5 minutes, ${nothing}; run this again and allow access when asked.`;
    case 'exited': {
      const said = outcome.stderr.split('\n').find((line) => line.trim() !== '') ?? '';
      if (/cancel/i.test(said)) {
        return `Access to ${path} was denied at macOS's prompt, ${nothing}; run this again and choose Allow (the keychain's password is the one you gave aws-vault).`;
      }
      return `Could not read ${path} (security said: ${said.trim() || `exit status ${outcome.code}`}), ${nothing}.`;
    }
    default:
      return `Reading ${path} stopped before it finished, ${nothing}.`;
  }
}

/** One item of `security dump-keychain`: its class and the attributes that have a value. */
export interface KeychainDumpRecord {
  class: string;
  attributes: Record<string, string>;
}

/**
 * Reads what `security dump-keychain` prints. Each item starts with `keychain: "…"`, then
 * `class: "genp"` (or a number for other kinds) and indented attributes such as
 * `"acct"<blob>="work"`; a value with bytes outside printable ASCII is printed as hex first
 * (`0x776F726B  "work"`), which is decoded from the hex, never from the quoted rendering.
 */
export function parseKeychainDump(text: string): KeychainDumpRecord[] {
  const records: KeychainDumpRecord[] = [];
  let current: KeychainDumpRecord | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('keychain: ')) {
      current = { class: '', attributes: {} };
      records.push(current);
      continue;
    }
    if (!current) continue;
    const kind = /^class: (?:"([^"]*)"|(\S+))/.exec(line);
    if (kind) {
      current.class = kind[1] ?? kind[2] ?? '';
      continue;
    }
    const attribute = /^\s+"([a-z]{4})"<blob>=(.*)$/.exec(line);
    if (!attribute) continue;
    const value = blobValue(attribute[2]!);
    if (value !== null) current.attributes[attribute[1]!] = value;
  }
  return records;
}

function blobValue(printed: string): string | null {
  if (printed === '<NULL>') return null;
  const hex = /^0x([0-9A-Fa-f]*)(?:\s|$)/.exec(printed);
  if (hex) return Buffer.from(hex[1]!, 'hex').toString('utf8');
  const quoted = /^"(.*)"$/.exec(printed);
  return quoted ? quoted[1]! : null;
}
