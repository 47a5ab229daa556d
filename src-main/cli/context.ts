import { keychainScope, scopedSecretStore } from '../core/keychain-scope';
import { defaultRolecallHome, rolecallHome } from '../core/paths';
import { createKeytarStore } from '../core/secrets/keytar-store';
import type { SecretStore } from '../core/secrets/secret-store';
import { onProcessInterrupt, type OnInterrupt } from './interrupt';
import { readStream, type StdinLimit } from './standard-input';
import { openTerminal, type Terminal, type TerminalChoice } from './terminal';

export interface CliContext {
  home: string;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Ctrl-C while a command waits; the process's SIGINT unless a test gives its own. */
  onInterrupt?: OnInterrupt;
  /** stderr is a terminal (progress may rewrite its line), not a pipe or a file. */
  stderrIsTerminal: boolean;
  /** stdin is a terminal a person types on, not a pipe or a file. */
  stdinIsTerminal?: boolean;
  /**
   * The person's terminal, to ask on with hidden input (an MFA code, a key), or null when there
   * is none: stdin's, or the controlling terminal (see `openTerminal`). Absent: never a terminal
   * (tests that ask nothing).
   */
  openTerminal?: (which: TerminalChoice) => Terminal | null;
  /** stdin, read to its end: what a script pipes in. Absent: nothing is piped in. */
  readStdin?: (limit: StdinLimit) => Promise<string>;
}

export function defaultContext(): CliContext {
  const home = rolecallHome();
  // Scoped at the first keychain call: the scope of a home other than the default is a hash, and
  // a command that reads no secret (a shell prompt) need not load node:crypto to make it.
  let scoped: SecretStore | undefined;
  const keychain = () =>
    (scoped ??= scopedSecretStore(createKeytarStore(), keychainScope(home, defaultRolecallHome())));
  return {
    home,
    secrets: {
      get: (account) => keychain().get(account),
      set: (account, secret) => keychain().set(account, secret),
      delete: (account) => keychain().delete(account),
    },
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    onInterrupt: onProcessInterrupt,
    stderrIsTerminal: Boolean(process.stderr.isTTY),
    stdinIsTerminal: Boolean(process.stdin.isTTY),
    openTerminal,
    readStdin: (limit) => readStream(process.stdin, limit),
  };
}
