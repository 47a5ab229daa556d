import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway ROLECALL_HOME and AWS config, removed by `dispose()`. */
export interface Workspace {
  dir: string;
  home: string;
  configFile: string;
  credentialsFile: string;
  env: NodeJS.ProcessEnv;
  /** Writes an executable script and returns its path. */
  script(name: string, body: string): Promise<string>;
  writeConfig(text: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function createWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-test-'));
  const home = join(dir, 'home');
  const configFile = join(dir, 'aws-config');
  const credentialsFile = join(dir, 'aws-credentials');
  await writeFile(configFile, '');
  await writeFile(credentialsFile, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROLECALL_HOME: home,
    // ~/.aws/sso/cache and anything else under ~ stay inside the workspace.
    HOME: dir,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    ROLECALL_PORT: '0',
  };
  for (const name of [
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  ]) {
    delete env[name];
  }
  return {
    dir,
    home,
    configFile,
    credentialsFile,
    env,
    async script(name, body) {
      const path = join(dir, name);
      await writeFile(path, body);
      await chmod(path, 0o755);
      return path;
    },
    async writeConfig(text) {
      await writeFile(configFile, text);
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The workspace's environment with Rolecall's home where a user's is by default — under the
 * workspace's HOME, as on Linux — so keychain items keep their plain, unscoped names. Only for a
 * process under with-keyring.mjs's private keyring, and only one user of it at a time: two
 * workspaces on the default home would share items.
 */
export function defaultHomeEnv(ws: Workspace): NodeJS.ProcessEnv {
  const configHome = join(ws.dir, '.config');
  return { ...ws.env, XDG_CONFIG_HOME: configHome, ROLECALL_HOME: join(configHome, 'rolecall') };
}

/**
 * A credential_process script that prints fresh credentials valid for `minutes`, and counts its
 * runs in `<script>.count` so tests can tell whether the source ran.
 */
export function credentialScript(options: { accessKeyId?: string; minutes?: number } = {}): string {
  const accessKeyId = options.accessKeyId ?? 'ASIAROLECALLTEST';
  const minutes = options.minutes ?? 60;
  return `#!/usr/bin/env node
const fs = require('fs');
const counter = __filename + '.count';
fs.writeFileSync(counter, String(Number(fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8') : 0) + 1));
process.stdout.write(JSON.stringify({
  Version: 1,
  AccessKeyId: ${JSON.stringify(accessKeyId)},
  SecretAccessKey: 'test-secret-' + process.argv.slice(2).join('-'),
  SessionToken: 'test-session-token',
  Expiration: new Date(Date.now() + ${minutes} * 60000).toISOString(),
}));
`;
}
