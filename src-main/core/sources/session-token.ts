import { GetSessionTokenCommand, type GetSessionTokenCommandInput } from '@aws-sdk/client-sts';
import type { MfaDevice } from '../config/profile-config';
import type { AwsCredentials } from '../credentials';
import type { CreateStsClient } from '../sts/sts-client';
import { isMfaCodeRefused, stsFailure } from '../sts/sts-errors';
import type { KeysForSigning } from './long-lived-keys';
import { callWithMfa, type MfaParameters } from './mfa-code';
import { credentialsOf } from './sts-credentials';
import type { CredentialSource, FetchContext } from './source';

/** GetSessionToken's bounds for an IAM user's keys: 15 minutes to 36 hours. */
export const SESSION_DURATION_SECONDS = { min: 900, max: 129_600 } as const;

export interface SessionTokenSourceOptions {
  profile: string;
  region?: string;
  /** The device GetSessionToken proves (the profile's mfa_serial, or its roles'); none: no MFA. */
  mfa?: MfaDevice;
  /** How long each session lasts; held to what STS allows. */
  durationSeconds: () => number;
  /** The profile's keys, read afresh at each fetch. */
  keys: () => Promise<KeysForSigning>;
  createStsClient: CreateStsClient;
  /** The environment mfa_process starts from. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Session credentials made from a profile's long-lived keys with GetSessionToken, with MFA when
 * the profile (or a role made from it) names a device — the aws-vault model: the keys only ever
 * sign, and a session that carries MFA lets every role made from it renew without another code.
 * Keys the file gives with a session token are session credentials already and are used as they
 * are. The long-lived keys themselves are never what this source returns.
 */
export function createSessionTokenSource(options: SessionTokenSourceOptions): CredentialSource {
  return {
    profile: options.profile,
    fetch: (context) => sessionFromKeys(options, context),
  };
}

async function sessionFromKeys(
  options: SessionTokenSourceOptions,
  context?: FetchContext,
): Promise<AwsCredentials> {
  const { profile } = options;
  const keys = await options.keys();
  if (keys.isSession) return keys.credentials;
  const client = options.createStsClient({
    credentials: keys.credentials,
    ...(options.region ? { region: options.region } : {}),
    profile,
  });
  const durationSeconds = Math.round(
    Math.min(
      SESSION_DURATION_SECONDS.max,
      Math.max(SESSION_DURATION_SECONDS.min, options.durationSeconds()),
    ),
  );
  const call = async (mfa?: MfaParameters) => {
    const input: GetSessionTokenCommandInput = { DurationSeconds: durationSeconds, ...mfa };
    const output = await client.send(
      new GetSessionTokenCommand(input),
      context ? { abortSignal: context.signal } : {},
    );
    return credentialsOf(profile, output.Credentials, 'GetSessionToken');
  };
  try {
    return await callWithMfa(options, context, isMfaCodeRefused, call);
  } catch (error) {
    throw stsFailure(error, {
      profile,
      action: 'GetSessionToken',
      signedBy: profile,
      ...(options.mfa ? { mfaSerial: options.mfa.serial } : {}),
      ...(options.region ? { region: options.region } : {}),
    });
  }
}
