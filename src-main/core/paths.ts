import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Rolecall keeps its own non-secret state (settings, runtime file). `ROLECALL_HOME` moves
 * it, which is how tests and side-by-side installs stay apart. Secrets never live here.
 */
export function rolecallHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROLECALL_HOME || defaultRolecallHome(env);
}

/**
 * The running server announces itself in `<ROLECALL_HOME>/runtime.json` so the CLI can find it
 * (runtime/runtime-file.ts). It holds no secret: the token stays in the keychain.
 */
export function runtimeFilePath(home: string): string {
  return join(home, 'runtime.json');
}

/** Where Rolecall keeps its state when ROLECALL_HOME does not say otherwise. */
export function defaultRolecallHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = homedir();
  switch (process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Rolecall');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Rolecall');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'rolecall');
  }
}
