import type { Credentials } from '@aws-sdk/client-sts';
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

/** The account an assumed-role ARN (arn:aws:sts::<account>:assumed-role/…) belongs to. */
export function accountOfArn(arn: string | undefined): string | undefined {
  return /^arn:[\w-]+:(?:sts|iam)::(\d{12}):/.exec(arn ?? '')?.[1];
}
