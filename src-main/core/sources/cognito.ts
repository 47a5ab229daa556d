import type { CognitoProfile } from '../config/profile-config';
import { regionOfPool } from '../config/classify-cognito';
import type { AwsCredentials } from '../credentials';
import { cognitoClients, type CognitoClients } from '../cognito/cognito-clients';
import type { CognitoSecrets, UserPoolTokens } from '../cognito/cognito-secrets';
import { identityPoolCredentials, isIdTokenRefused } from '../cognito/identity-pool';
import {
  refreshUserPoolTokens,
  signInIdentity,
  signInToUserPool,
} from '../cognito/user-pool-sign-in';
import type { CreateStsClient } from '../sts/sts-client';
import { SourceError, type CredentialSource, type FetchContext } from './source';

/**
 * ID and access tokens closer than this to their end are renewed first: the identity pool and
 * whoever receives the access token must still take them when they get there.
 */
const TOKEN_LEAD_MS = 5 * 60_000;

export interface CognitoSourceOptions {
  profile: CognitoProfile;
  secrets: CognitoSecrets;
  /** The AWS SDK's clients by default. */
  clients?: CognitoClients;
  createStsClient: CreateStsClient;
  now?: () => number;
}

/** A Cognito profile's source, which also hands out the user pool's own tokens. */
export interface CognitoSource extends CredentialSource {
  /**
   * The user pool's current ID and access tokens (for an OAuth2 token route), renewed first with
   * the refresh token — or a full sign-in when that is refused — when they end within 5 minutes.
   * The tokens are kept in the keychain; never log them.
   */
  userPoolTokens(context: FetchContext): Promise<UserPoolTokens>;
}

/**
 * A profile with `cognito_user_pool_id`: the user pool's tokens (kept in the keychain, renewed
 * with the refresh token, else a new sign-in with the password from the keychain), turned into
 * AWS credentials by the identity pool at each fetch.
 */
export function createCognitoSource(given: CognitoSourceOptions): CognitoSource {
  const options = { ...given, clients: given.clients ?? cognitoClients() };
  const { profile } = options;
  const userPoolTokens = (context: FetchContext, refused?: UserPoolTokens) =>
    currentUserPoolTokens(options, context, refused);
  return {
    profile: profile.name,
    userPoolTokens: (context) => userPoolTokens(context),
    async fetch(context) {
      if (!context) throw new Error('a Cognito sign-in can only be made within a fetch');
      const tokens = await userPoolTokens(context);
      try {
        return await credentialsFor(options, tokens, context);
      } catch (error) {
        // The pool refused tokens Cognito still called valid (a sign-out elsewhere revokes them).
        if (!isIdTokenRefused(error)) throw error;
        return credentialsFor(options, await userPoolTokens(context, tokens), context);
      }
    },
  };
}

function credentialsFor(
  options: CognitoSourceOptions & { clients: CognitoClients },
  tokens: UserPoolTokens,
  context: FetchContext,
): Promise<AwsCredentials> {
  const { profile } = options;
  const identityPoolId = profile.identityPoolId;
  if (identityPoolId === undefined) {
    throw new SourceError(
      profile.name,
      'not-loadable',
      `Profile ${profile.name} names no cognito_identity_pool_id, so it gives no AWS credentials.`,
    );
  }
  return identityPoolCredentials(
    {
      profile: { ...profile, identityPoolId },
      client: options.clients.identityPool(regionOfPool(identityPoolId)!, profile.name),
      idToken: tokens.idToken,
      createStsClient: options.createStsClient,
      ...(options.now ? { now: options.now } : {}),
    },
    context,
  );
}

/**
 * The user pool's tokens: those held, while they last; else renewed with the refresh token; else
 * (no refresh token, or Cognito refuses it) a full sign-in with the password. `refused` are
 * tokens just refused by the identity pool, renewed whatever their expiry says.
 */
export async function currentUserPoolTokens(
  options: CognitoSourceOptions,
  context: FetchContext,
  refused?: UserPoolTokens,
): Promise<UserPoolTokens> {
  const { profile, secrets } = options;
  const clients = options.clients ?? cognitoClients();
  const now = options.now ?? Date.now;
  const held = await secrets.tokens(profile.name);
  const ours = held !== null && held.signedInAs === signInIdentity(profile) ? held : null;
  if (ours && !refused && ours.expiresAt - now() > TOKEN_LEAD_MS) return ours;
  const client = clients.userPool(regionOfPool(profile.userPoolId)!, profile.name);
  const clientSecret = await secrets.clientSecret(profile.name);
  let tokens = ours
    ? await refreshUserPoolTokens(
        { profile, client, tokens: ours, clientSecret, ...(options.now ? { now } : {}) },
        context,
      )
    : null;
  if (tokens === null) {
    const password = await secrets.password(profile.name);
    if (password === null) {
      throw new SourceError(
        profile.name,
        'not-loadable',
        `Profile ${profile.name}: the keychain holds no Amazon Cognito password for ${profile.username}. Store it with \`rolecall cognito set-password ${profile.name}\`, then load the profile again.`,
      );
    }
    tokens = await signInToUserPool(
      {
        profile,
        client,
        password,
        clientSecret,
        ...(options.now ? { now } : {}),
        // Kept before anything else can fail: Cognito has already changed it.
        onNewPassword: (chosen) => secrets.setPassword(profile.name, chosen),
      },
      context,
    );
  }
  await secrets.setTokens(profile.name, tokens);
  return tokens;
}
