import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  type CognitoIdentityClient,
} from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { CognitoProfile } from '../config/profile-config';
import type { AwsCredentials } from '../credentials';
import type { FetchContext } from '../sources/source';
import { SourceError } from '../sources/source';
import { assumedRoleCredentials, roleSessionName } from '../sources/sts-credentials';
import { awsFailureInWords, isConnectFailure } from '../sso/http-status';
import type { CreateStsClient } from '../sts/sts-client';
import { stsFailure } from '../sts/sts-errors';
import { regionOfPool } from '../config/classify-cognito';
import { errorName } from './user-pool-sign-in';

export interface IdentityPoolOptions {
  profile: CognitoProfile & { identityPoolId: string };
  client: CognitoIdentityClient;
  idToken: string;
  createStsClient: CreateStsClient;
  now?: () => number;
}

/** The identity pool's name for a user pool as an identity provider. */
export function userPoolProviderName(userPoolId: string): string {
  return `cognito-idp.${regionOfPool(userPoolId) ?? 'us-east-1'}.amazonaws.com/${userPoolId}`;
}

/**
 * The identity pool turns the user pool's ID token into AWS credentials: the enhanced flow
 * (GetId, GetCredentialsForIdentity: the pool picks the role), or with `role_arn` the basic flow
 * (GetId, GetOpenIdToken, then AssumeRoleWithWebIdentity into that role through STS).
 */
export async function identityPoolCredentials(
  options: IdentityPoolOptions,
  context: FetchContext,
): Promise<AwsCredentials> {
  const { profile, client } = options;
  const logins = { [userPoolProviderName(profile.userPoolId)]: options.idToken };
  const call = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw identityPoolFailure(profile, action, error);
    }
  };
  const signal = { abortSignal: context.signal };
  const { IdentityId } = await call('GetId', () =>
    client.send(
      new GetIdCommand({ IdentityPoolId: profile.identityPoolId, Logins: logins }),
      signal,
    ),
  );
  if (!IdentityId) throw noAnswer(profile, 'GetId', 'an identity ID');
  if (profile.roleArn === undefined) {
    const { Credentials } = await call('GetCredentialsForIdentity', () =>
      client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }), signal),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretKey || !Credentials.SessionToken) {
      throw noAnswer(profile, 'GetCredentialsForIdentity', 'credentials');
    }
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretKey,
      sessionToken: Credentials.SessionToken,
      ...(Credentials.Expiration ? { expiresAt: Credentials.Expiration.getTime() } : {}),
    };
  }
  const { Token } = await call('GetOpenIdToken', () =>
    client.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins }), signal),
  );
  if (!Token) throw noAnswer(profile, 'GetOpenIdToken', 'a token');
  const roleArn = profile.roleArn;
  const sts = options.createStsClient({
    ...(profile.region ? { region: profile.region } : {}),
    profile: profile.name,
  });
  try {
    const output = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: roleSessionName(undefined, options.now),
        WebIdentityToken: Token,
      }),
      signal,
    );
    return assumedRoleCredentials(profile.name, output, roleArn, 'AssumeRoleWithWebIdentity');
  } catch (error) {
    throw stsFailure(error, {
      profile: profile.name,
      action: 'AssumeRoleWithWebIdentity',
      roleArn,
      ...(profile.region ? { region: profile.region } : {}),
    });
  }
}

/** The identity pool refused the ID token itself: a new one (refresh or sign-in) may help. */
export function isIdTokenRefused(error: unknown): boolean {
  return (
    error instanceof SourceError &&
    errorName(error.cause) === 'NotAuthorizedException' &&
    /token/i.test(awsFailureInWords(error.cause))
  );
}

function identityPoolFailure(profile: CognitoProfile, action: string, error: unknown): SourceError {
  const said = awsFailureInWords(error);
  const pool = `identity pool ${profile.identityPoolId}`;
  switch (errorName(error)) {
    case 'NotAuthorizedException':
      return new SourceError(
        profile.name,
        'denied',
        `Profile ${profile.name}: Amazon Cognito ${pool} refused ${action} (${said}). Check that the identity pool lists user pool ${profile.userPoolId} with app client ${profile.clientId} as an identity provider${profile.roleArn ? ', and that it allows the basic flow' : ''}.`,
        { cause: error },
      );
    case 'ResourceNotFoundException':
      return new SourceError(
        profile.name,
        'not-loadable',
        `Profile ${profile.name}: Amazon Cognito knows no ${pool} (${said}). Check cognito_identity_pool_id in ${profile.definedIn}.`,
        { cause: error },
      );
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return new SourceError(
        profile.name,
        'throttled',
        `Profile ${profile.name}: Amazon Cognito is throttling ${action} (${said}); Rolecall will try again.`,
        { cause: error },
      );
    default:
      return new SourceError(
        profile.name,
        isConnectFailure(error) ? 'unreachable' : 'denied',
        `Profile ${profile.name}: ${action} to Amazon Cognito ${pool} failed (${said}).`,
        { cause: error },
      );
  }
}

function noAnswer(profile: CognitoProfile, action: string, what: string): SourceError {
  return new SourceError(
    profile.name,
    'bad-output',
    `Profile ${profile.name}: Amazon Cognito answered ${action} without ${what}. Rolecall will try again.`,
  );
}
