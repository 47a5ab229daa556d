import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import type { AwsCredentials } from '../credentials';
import { awsFailureInWords } from '../sso/http-status';
import { SourceError } from './source';

/** The credential_source values Rolecall can use on the machine it runs on. */
export type CredentialSourceName = 'Environment' | 'Ec2InstanceMetadata';

export interface CredentialSourceOptions {
  /** The role profile the credentials will assume, for messages. */
  profile: string;
  /** Rolecall's own environment, read at each fetch. */
  env?: () => NodeJS.ProcessEnv;
  /** The instance-metadata client; the AWS SDK's by default. */
  instanceMetadata?: () => Promise<AwsCredentials>;
}

/**
 * Credentials from where Rolecall runs, for a role's `credential_source`: `Environment` reads
 * Rolecall's own environment at each fetch (as the AWS CLI reads its own); `Ec2InstanceMetadata`
 * asks the EC2 instance metadata service through the AWS SDK's client (IMDSv2).
 */
export async function credentialsFromSource(
  name: CredentialSourceName,
  options: CredentialSourceOptions,
): Promise<AwsCredentials> {
  return name === 'Environment' ? fromEnvironment(options) : fromInstance(options);
}

function fromEnvironment(options: CredentialSourceOptions): AwsCredentials {
  const env = (options.env ?? (() => process.env))();
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new SourceError(
      options.profile,
      'not-loadable',
      `Profile ${options.profile}: its credential_source is Environment, but Rolecall was started without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in its environment. Start Rolecall with them set (they assume the role), or give the profile a source_profile instead.`,
    );
  }
  const sessionToken = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** One retry, as the AWS SDK's default has none and a metadata service may be slow to wake. */
const IMDS = { timeout: 1_000, maxRetries: 1 } as const;

async function fromInstance(options: CredentialSourceOptions): Promise<AwsCredentials> {
  try {
    if (options.instanceMetadata) return await options.instanceMetadata();
    const found = await fromInstanceMetadata(IMDS)();
    return {
      accessKeyId: found.accessKeyId,
      secretAccessKey: found.secretAccessKey,
      ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
      ...(found.expiration ? { expiresAt: found.expiration.getTime() } : {}),
    };
  } catch (error) {
    throw new SourceError(
      options.profile,
      'unreachable',
      `Profile ${options.profile}: its credential_source is Ec2InstanceMetadata, and the EC2 instance metadata service gave no credentials (${awsFailureInWords(error)}). This works only on an EC2 instance with an instance profile; elsewhere give the profile a source_profile instead.`,
      { cause: error },
    );
  }
}
