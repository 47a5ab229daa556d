import { AssumeRoleCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import type { MfaDevice } from '../config/profile-config';
import type { AwsCredentials } from '../credentials';
import type { CreateStsClient } from '../sts/sts-client';
import { isMfaCodeRefused, stsFailure } from '../sts/sts-errors';
import { credentialsFromSource, type CredentialSourceName } from './credential-source';
import type { KeysForSigning } from './long-lived-keys';
import { callWithMfa, type MfaParameters } from './mfa-code';
import { assumedRoleCredentials, roleSessionName } from './sts-credentials';
import type { CredentialSource, FetchContext } from './source';

/** Where the credentials that call AssumeRole come from. */
export type AssumeRoleSigner =
  /** Another profile, held by the broker as an entry of its own (`context.parent`). */
  | { kind: 'parent'; profile: string }
  /** A profile's long-lived keys, read at each fetch (a role that is its own source_profile). */
  | { kind: 'keys'; profile: string; read: () => Promise<KeysForSigning> }
  /** `credential_source`. */
  | {
      kind: 'credential-source';
      name: CredentialSourceName;
      env?: () => NodeJS.ProcessEnv;
      instanceMetadata?: () => Promise<AwsCredentials>;
    };

export interface AssumeRoleSourceOptions {
  profile: string;
  roleArn: string;
  signer: AssumeRoleSigner;
  roleSessionName?: string;
  externalId?: string;
  durationSeconds?: number;
  region?: string;
  stsRegionalEndpoints?: 'regional' | 'legacy';
  /** The device AssumeRole asks a code for; absent when the parent's session carries MFA. */
  mfa?: MfaDevice;
  createStsClient: CreateStsClient;
  /** The environment mfa_process starts from. */
  env?: NodeJS.ProcessEnv;
  /** Epoch milliseconds, for the default session name. */
  now?: () => number;
}

/**
 * An assumed role (`role_arn`): AssumeRole, signed by its source_profile's current credentials —
 * which the broker holds and renews as an entry of their own, so a renewal here reuses a valid
 * parent — or by a credential_source, or by the profile's own keys. The parameters are the AWS
 * CLI's: `role_session_name` (else `rolecall-session-<seconds>`, as the AWS CLI names its own
 * `botocore-session-<seconds>`), `external_id`, `duration_seconds`, and with `mfa_serial` a code
 * at each call, unless the parent's session already carries that device's MFA.
 */
export function createAssumeRoleSource(options: AssumeRoleSourceOptions): CredentialSource {
  return {
    profile: options.profile,
    ...(options.signer.kind === 'parent' ? { parents: [options.signer.profile] } : {}),
    fetch: (context) => assumeRole(options, context),
  };
}

async function assumeRole(
  options: AssumeRoleSourceOptions,
  context?: FetchContext,
): Promise<AwsCredentials> {
  const { profile, signer } = options;
  const signing = await signingCredentials(options, context);
  const client = options.createStsClient({
    credentials: signing,
    ...(options.region ? { region: options.region } : {}),
    ...(options.stsRegionalEndpoints ? { regionalEndpoints: options.stsRegionalEndpoints } : {}),
    profile,
  });
  const input: AssumeRoleCommandInput = {
    RoleArn: options.roleArn,
    RoleSessionName: roleSessionName(options.roleSessionName, options.now),
    ...(options.externalId !== undefined ? { ExternalId: options.externalId } : {}),
    ...(options.durationSeconds !== undefined ? { DurationSeconds: options.durationSeconds } : {}),
  };
  const call = async (mfa?: MfaParameters) => {
    const output = await client.send(
      new AssumeRoleCommand({ ...input, ...mfa }),
      context ? { abortSignal: context.signal } : {},
    );
    return assumedRoleCredentials(profile, output, options.roleArn, 'AssumeRole');
  };
  try {
    return await callWithMfa(options, context, isMfaCodeRefused, call);
  } catch (error) {
    throw stsFailure(error, {
      profile,
      action: 'AssumeRole',
      roleArn: options.roleArn,
      ...(signer.kind === 'credential-source' ? {} : { signedBy: signer.profile }),
      ...(options.mfa ? { mfaSerial: options.mfa.serial } : {}),
      ...(options.region ? { region: options.region } : {}),
    });
  }
}

async function signingCredentials(
  options: AssumeRoleSourceOptions,
  context?: FetchContext,
): Promise<AwsCredentials> {
  const { signer, profile } = options;
  switch (signer.kind) {
    case 'parent':
      if (!context)
        throw new Error(`the credentials of ${signer.profile} come only within a fetch`);
      // The broker renews the parent first when it needs it, and words its failure.
      return context.parent(signer.profile);
    case 'keys':
      return (await signer.read()).credentials;
    case 'credential-source':
      return credentialsFromSource(signer.name, {
        profile,
        ...(signer.env ? { env: signer.env } : {}),
        ...(signer.instanceMetadata ? { instanceMetadata: signer.instanceMetadata } : {}),
      });
  }
}
