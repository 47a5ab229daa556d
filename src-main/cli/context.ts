import { keychainScope, scopedSecretStore } from '../core/keychain-scope';
import { defaultRolecallHome, rolecallHome } from '../core/paths';
import { createKeytarStore } from '../core/secrets/keytar-store';
import type { SecretStore } from '../core/secrets/secret-store';
import { onProcessInterrupt, type OnInterrupt } from './interrupt';
import type { CliInput } from './terminal-input';
import { openControllingTerminal, type Terminal } from './terminal';

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
  /** What a person types or a script pipes in; the process's stdin unless a test gives its own. */
  input?: CliInput;
  /**
   * The person's terminal, to ask a question in (an MFA code, hidden), apart from stdin and
   * stdout; null when there is none. Absent: never a terminal (tests that ask nothing).
   */
  openTerminal?: () => Terminal | null;
  /** stdin, read to its end: an answer piped in by a script. Absent: nothing is piped in. */
  readStdin?: () => Promise<string>;
  /** stdin is a terminal (a person types there), not a pipe or a file. */
  stdinIsTerminal?: boolean;
}

export function defaultContext(): CliContext {
  const home = rolecallHome();
  return {
    home,
    secrets: scopedSecretStore(createKeytarStore(), keychainScope(home, defaultRolecallHome())),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    onInterrupt: onProcessInterrupt,
    stderrIsTerminal: Boolean(process.stderr.isTTY),
    openTerminal: openControllingTerminal,
    readStdin: readAll,
    stdinIsTerminal: Boolean(process.stdin.isTTY),
  };
}

async function readAll(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}
