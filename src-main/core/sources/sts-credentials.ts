import type { AssumedRoleUser, Credentials } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../credentials';
import { SourceError } from './source';

/** The credentials in an STS answer, or a sentence saying the answer had none. */
export function credentialsOf(
  profile: string,
  credentials: Credentials | undefined,
  action: string,
): AwsCredentials {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials ?? {};
  if (!AccessKeyId || !SecretAccessKey || !SessionToken) {
    throw new SourceError(
      profile,
      'bad-output',
      `Profile ${profile}: STS answered ${action} without credentials. Rolecall will try again.`,
    );
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: SessionToken,
    ...(Expiration ? { expiresAt: Expiration.getTime() } : {}),
  };
}

/**
 * The credentials of a role STS let the caller assume, with the role and its account (from the
 * assumed-role ARN STS answered, else from the role's own ARN).
 */
export function assumedRoleCredentials(
  profile: string,
  output: { Credentials?: Credentials; AssumedRoleUser?: AssumedRoleUser },
  roleArn: string,
  action: string,
): AwsCredentials {
  const accountId = accountOfArn(output.AssumedRoleUser?.Arn) ?? accountOfArn(roleArn);
  return {
    ...credentialsOf(profile, output.Credentials, action),
    ...(accountId ? { accountId } : {}),
    roleArn,
  };
}

/**
 * `role_session_name`, else `rolecall-session-<seconds>`, as the AWS CLI names its own sessions
 * `botocore-session-<seconds>`: CloudTrail then tells Rolecall's sessions apart.
 */
export function roleSessionName(given: string | undefined, now: () => number = Date.now): string {
  return given ?? `rolecall-session-${Math.floor(now() / 1000)}`;
}

/** The account an assumed-role ARN (arn:aws:sts::<account>:assumed-role/…) belongs to. */
export function accountOfArn(arn: string | undefined): string | undefined {
  return /^arn:[\w-]+:(?:sts|iam)::(\d{12}):/.exec(arn ?? '')?.[1];
}
