import { keychainScope, scopedSecretStore } from '../core/keychain-scope';
import { defaultRolecallHome, rolecallHome } from '../core/paths';
import { createKeytarStore } from '../core/secrets/keytar-store';
import type { SecretStore } from '../core/secrets/secret-store';
import { onProcessInterrupt, type OnInterrupt } from './interrupt';
import type { CliInput } from './terminal-input';

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
  };
}
