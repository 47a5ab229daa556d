import { join, resolve } from 'node:path';
import { getHomeDir } from '@smithy/shared-ini-file-loader';
import type { ProfileFiles, ResolvedProfileFiles } from './profile-config';

/**
 * The files the AWS SDKs would read: explicit paths first, then `AWS_CONFIG_FILE` /
 * `AWS_SHARED_CREDENTIALS_FILE`, then ~/.aws/config and ~/.aws/credentials. Like the SDK, an empty
 * variable counts as unset and a leading `~/` means the home directory. Paths come back absolute
 * so every message names the file a user can open.
 */
export function resolveProfileFiles(
  options: ProfileFiles = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedProfileFiles {
  // getHomeDir is the SDK's own (HOME, then USERPROFILE, then os.homedir()), so we agree on "~".
  const home = getHomeDir();
  const pick = (explicit: string | undefined, variable: string | undefined, fallback: string) =>
    absolute(explicit || variable || join(home, '.aws', fallback), home);
  return {
    configFile: pick(options.configFile, env.AWS_CONFIG_FILE, 'config'),
    credentialsFile: pick(options.credentialsFile, env.AWS_SHARED_CREDENTIALS_FILE, 'credentials'),
  };
}

function absolute(path: string, home: string): string {
  return resolve(path.startsWith('~/') ? join(home, path.slice(2)) : path);
}
