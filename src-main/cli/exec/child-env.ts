import type { EcsCredentialsBody } from '../../core/server/ecs-format';

/**
 * Variables an AWS SDK or CLI reads before the container endpoint, or that name another endpoint
 * or token: left in place, they would decide whose credentials the command uses. The web identity
 * trio goes as one, since none means anything without the others.
 */
export const CREDENTIAL_VARIABLES = [
  'AWS_PROFILE',
  // botocore's older name for AWS_PROFILE, still read.
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  // boto2's name for the session token, which some tools still read.
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  // Read before the full URI.
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  // Read before the token itself.
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
] as const;

/** How the command gets its credentials. */
export type ChildCredentials =
  | {
      /** From the slot's URL, asked again whenever the SDK needs them: renewed for its whole run. */
      kind: 'endpoint';
      url: string;
      authorization: string;
      /** With TLS: the PEM file Node-based SDKs must trust (NODE_EXTRA_CA_CERTS). */
      caFile?: string;
    }
  | {
      /** The keys as they are now (`--env-keys`): never renewed. */
      kind: 'keys';
      body: EcsCredentialsBody;
    };

/**
 * The environment `rolecall exec` runs a command in: the parent's, with every variable that
 * would take precedence over Rolecall removed, the credentials added, and the profile's region
 * (when it has one) in both variables SDKs read it from.
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  credentials: ChildCredentials,
  region?: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent };
  for (const name of CREDENTIAL_VARIABLES) delete env[name];
  if (credentials.kind === 'endpoint') {
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI = credentials.url;
    env.AWS_CONTAINER_AUTHORIZATION_TOKEN = credentials.authorization;
    if (credentials.caFile) env.NODE_EXTRA_CA_CERTS = credentials.caFile;
  } else {
    const { body } = credentials;
    env.AWS_ACCESS_KEY_ID = body.AccessKeyId;
    env.AWS_SECRET_ACCESS_KEY = body.SecretAccessKey;
    if (body.Token) env.AWS_SESSION_TOKEN = body.Token;
    env.AWS_CREDENTIAL_EXPIRATION = body.Expiration;
  }
  if (region) {
    // The SDK for JavaScript reads AWS_REGION; botocore and the AWS CLI AWS_DEFAULT_REGION.
    env.AWS_REGION = region;
    env.AWS_DEFAULT_REGION = region;
  }
  return env;
}
