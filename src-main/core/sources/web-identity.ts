import { readFile } from 'node:fs/promises';
import {
  AssumeRoleWithWebIdentityCommand,
  type AssumeRoleWithWebIdentityCommandInput,
} from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../credentials';
import type { CreateStsClient } from '../sts/sts-client';
import { stsFailure } from '../sts/sts-errors';
import { assumedRoleCredentials, roleSessionName } from './sts-credentials';
import { SourceError, type CredentialSource, type FetchContext } from './source';

/** STS takes tokens of up to 20,000 characters; a bigger file is not a token. */
const MAX_TOKEN_BYTES = 64 * 1024;

export interface WebIdentitySourceOptions {
  profile: string;
  roleArn: string;
  tokenFile: string;
  roleSessionName?: string;
  region?: string;
  stsRegionalEndpoints?: 'regional' | 'legacy';
  createStsClient: CreateStsClient;
  /** Epoch milliseconds, for the default session name. */
  now?: () => number;
}

/**
 * A web identity profile (`web_identity_token_file` + `role_arn`): AssumeRoleWithWebIdentity with
 * the token in the file, read again at every renewal, because the tool that writes it (a CI
 * runner, Kubernetes) replaces it with a new one before the old one expires. The call is unsigned.
 */
export function createWebIdentitySource(options: WebIdentitySourceOptions): CredentialSource {
  return { profile: options.profile, fetch: (context) => assumeWithToken(options, context) };
}

async function assumeWithToken(
  options: WebIdentitySourceOptions,
  context?: FetchContext,
): Promise<AwsCredentials> {
  const { profile, tokenFile } = options;
  const token = await readToken(profile, tokenFile);
  const client = options.createStsClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.stsRegionalEndpoints ? { regionalEndpoints: options.stsRegionalEndpoints } : {}),
    profile,
  });
  const input: AssumeRoleWithWebIdentityCommandInput = {
    RoleArn: options.roleArn,
    RoleSessionName: roleSessionName(options.roleSessionName, options.now),
    WebIdentityToken: token,
  };
  try {
    const output = await client.send(
      new AssumeRoleWithWebIdentityCommand(input),
      context ? { abortSignal: context.signal } : {},
    );
    return assumedRoleCredentials(profile, output, options.roleArn, 'AssumeRoleWithWebIdentity');
  } catch (error) {
    throw stsFailure(error, {
      profile,
      action: 'AssumeRoleWithWebIdentity',
      roleArn: options.roleArn,
      tokenFile,
      ...(options.region ? { region: options.region } : {}),
    });
  }
}

async function readToken(profile: string, tokenFile: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(tokenFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(
      profile,
      'not-found',
      code === 'ENOENT'
        ? `Profile ${profile}: its web_identity_token_file ${tokenFile} does not exist. The tool that writes the token (a CI runner, Kubernetes) has not written it, or the path in your AWS config is wrong.`
        : `Profile ${profile}: its web_identity_token_file ${tokenFile} can't be read (${code ?? (error as Error).message}). Let Rolecall read it, or fix the path in your AWS config.`,
      { cause: error },
    );
  }
  const token = bytes.toString('utf8').trim();
  if (token === '' || bytes.length > MAX_TOKEN_BYTES) {
    throw new SourceError(
      profile,
      'bad-output',
      `Profile ${profile}: its web_identity_token_file ${tokenFile} ${token === '' ? 'is empty' : 'is too big to be a token'}. It must hold the token alone (a JWT).`,
    );
  }
  return token;
}
