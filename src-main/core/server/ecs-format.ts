import type { AwsCredentials } from '../credentials';
import { formatTimeLeft } from '../../../src-shared/time';

/**
 * Credentials that never expire are advertised as valid for an hour, because some SDKs
 * (the JS SDK's container provider among them) reject an answer without an Expiration; they
 * simply come back for the same credentials an hour later.
 */
export const NON_EXPIRING_ADVERTISED_MS = 60 * 60 * 1000;

/** The body every AWS SDK's container-credentials provider parses. */
export interface EcsCredentialsBody {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token?: string;
  Expiration: string;
  RoleArn?: string;
  AccountId?: string;
}

export function ecsCredentialsBody(credentials: AwsCredentials, now: number): EcsCredentialsBody {
  const body: EcsCredentialsBody = {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Expiration: new Date(credentials.expiresAt ?? now + NON_EXPIRING_ADVERTISED_MS).toISOString(),
  };
  if (credentials.sessionToken) body.Token = credentials.sessionToken;
  if (credentials.roleArn) body.RoleArn = credentials.roleArn;
  if (credentials.accountId) body.AccountId = credentials.accountId;
  return body;
}

/** `GET /profile` and `GET /slot` entries, as aws-sso-cli answers them. No secrets. */
export interface EcsProfileBody {
  ProfileName: string;
  AccountId: string;
  RoleName: string;
  /** Unix epoch seconds; 0 for credentials that do not expire. */
  Expiration: number;
  Expires: string;
}

export function ecsProfileBody(
  profile: string,
  credentials: AwsCredentials | undefined,
  now: number,
): EcsProfileBody {
  const expiresAt = credentials?.expiresAt;
  return {
    ProfileName: profile,
    AccountId: credentials?.accountId ?? accountFromArn(credentials?.roleArn) ?? '',
    RoleName: credentials?.roleName ?? roleFromArn(credentials?.roleArn) ?? '',
    Expiration: expiresAt === undefined ? 0 : Math.floor(expiresAt / 1000),
    Expires: expiresAt === undefined ? 'never' : formatTimeLeft(expiresAt - now),
  };
}

/** arn:aws:iam::123456789012:role/path/Name or arn:aws:sts::123456789012:assumed-role/Name/session */
function roleFromArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const resource = arn.split(':').slice(5).join(':');
  const [type, ...rest] = resource.split('/');
  if (type === 'assumed-role') return rest[0];
  if (type === 'role') return rest.at(-1);
  return undefined;
}

function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account ? account : undefined;
}
