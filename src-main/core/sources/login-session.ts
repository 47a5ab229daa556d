import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromLoginCredentials } from '@aws-sdk/credential-provider-login';
import { parseKnownFiles } from '@smithy/shared-ini-file-loader';
import type { ResolvedProfileFiles } from '../config/profile-config';
import { refuseUnsafeAwsFiles } from '../config/sdk-file-guard';
import type { AwsCredentials } from '../credentials';
import { SourceError, type CredentialSource } from './source';

export interface LoginSessionSourceOptions {
  profile: string;
  /** The profile's `login_session`, as Rolecall read it. */
  loginSession: string;
  files: ResolvedProfileFiles;
  /** The AWS SDK's provider; replaced in tests. */
  provider?: typeof fromLoginCredentials;
}

/**
 * A console sign-in session made by `aws login` (AWS CLI 2.32+): the AWS SDK's own provider reads
 * its token from the AWS CLI's cache (~/.aws/login/cache, or AWS_LOGIN_CACHE_DIRECTORY) and renews
 * it there as the AWS CLI would. When the session has ended, only `aws login` starts a new one.
 */
export function createLoginSessionSource(options: LoginSessionSourceOptions): CredentialSource {
  return { profile: options.profile, fetch: () => loginCredentials(options) };
}

async function loginCredentials(options: LoginSessionSourceOptions): Promise<AwsCredentials> {
  const { profile, files } = options;
  // The SDK's provider reads both files itself, with its own reader.
  refuseUnsafeAwsFiles(files);
  const init = {
    profile,
    filepath: files.credentialsFile,
    configFilepath: files.configFile,
    ignoreCache: true,
  };
  const seen = (await parseKnownFiles(init))[profile]?.login_session;
  if (seen !== options.loginSession) {
    throw new SourceError(
      profile,
      'not-loadable',
      `Profile ${profile}: the AWS SDK, which renews \`aws login\` sessions, does not read its login_session from ${files.configFile} as the AWS CLI does (it does not read every profile name; it accepts letters, digits and - _ @ + . % : / only). Rename the profile.`,
    );
  }
  try {
    const found = await (options.provider ?? fromLoginCredentials)(init)();
    return {
      accessKeyId: found.accessKeyId,
      secretAccessKey: found.secretAccessKey,
      ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
      ...(found.expiration ? { expiresAt: found.expiration.getTime() } : {}),
      ...(found.accountId ? { accountId: found.accountId } : {}),
    };
  } catch (error) {
    throw explain(error, profile);
  }
}

function explain(error: unknown, profile: string): SourceError {
  const message = error instanceof Error ? error.message : String(error);
  const again = `Sign in again with \`aws login${profile === 'default' ? '' : ` --profile ${profile}`}\`.`;
  const fail = (failure: 'sign-in-required' | 'denied' | 'unreachable', words: string) =>
    new SourceError(profile, failure, `Profile ${profile}: ${words}`, { cause: error });
  if (/Failed to load (a )?token|ENOENT/.test(message)) {
    const cache =
      process.env.AWS_LOGIN_CACHE_DIRECTORY ?? join(homedir(), '.aws', 'login', 'cache');
    return fail(
      'sign-in-required',
      `there is no \`aws login\` session for it in ${cache}: it has not signed in on this computer, or the session was removed. ${again}`,
    );
  }
  if (/Token validation failed/.test(message)) {
    return fail(
      'sign-in-required',
      `its \`aws login\` session in the cache is incomplete. ${again}`,
    );
  }
  if (/^Failed to refresh token/.test(message)) {
    return fail(
      'unreachable',
      `could not renew its \`aws login\` session (${message.split('\n')[0]}). Rolecall will try again; if this goes on, ${again.charAt(0).toLowerCase()}${again.slice(1)}`,
    );
  }
  if (/session has expired|change in your password|re-?authenticate/i.test(message)) {
    return fail(
      'sign-in-required',
      /password/.test(message)
        ? `its \`aws login\` session ended because the password changed. ${again}`
        : `its \`aws login\` session has ended. ${again}`,
    );
  }
  if (/insufficient permissions/i.test(message)) {
    return fail(
      'denied',
      `AWS refused to renew its \`aws login\` session: the signed-in identity may not call signin:CreateOAuth2Token. Ask for that permission, then ${again.charAt(0).toLowerCase()}${again.slice(1)}`,
    );
  }
  return fail(
    'unreachable',
    `could not renew its \`aws login\` session: ${message.split('\n')[0]} Rolecall will try again.`,
  );
}
