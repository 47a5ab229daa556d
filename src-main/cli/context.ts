import { keychainScope, scopedSecretStore } from '../core/keychain-scope';
import { defaultRolecallHome, rolecallHome } from '../core/paths';
import { createKeytarStore } from '../core/secrets/keytar-store';
import type { SecretStore } from '../core/secrets/secret-store';

export interface CliContext {
  home: string;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal (progress may rewrite its line), not a pipe or a file. */
  stderrIsTerminal: boolean;
}

export function defaultContext(): CliContext {
  const home = rolecallHome();
  return {
    home,
    secrets: scopedSecretStore(createKeytarStore(), keychainScope(home, defaultRolecallHome())),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTerminal: Boolean(process.stderr.isTTY),
  };
}
