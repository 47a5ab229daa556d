import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Question } from '../../../src-shared/input-request';
import type { CognitoProfile } from '../config/profile-config';
import type { FetchContext } from '../sources/source';
import { SourceError } from '../sources/source';
import { awsFailureInWords, isConnectFailure } from '../sso/http-status';
import type { UserPoolTokens } from './cognito-secrets';
import {
  passwordAuthenticationKey,
  passwordClaimSignature,
  secretHash,
  srpEphemeral,
  srpPoolName,
  srpTimestamp,
} from './srp';

/** AWS's codes are six digits; anything else is no answer to an MFA challenge. */
const CODE = /^[0-9]{6,8}$/;
/** Refused codes one sign-in takes before it fails, as for roles' MFA codes. */
const MAX_REFUSED_CODES = 3;

export interface UserPoolSignInOptions {
  profile: CognitoProfile;
  client: CognitoIdentityProviderClient;
  password: string;
  clientSecret: string | null;
  now?: () => number;
  /** Told the new password a NEW_PASSWORD_REQUIRED challenge set, before the tokens come back. */
  onNewPassword: (password: string) => Promise<void>;
}

/** `<user pool>/<client>/<username>`: what tokens are kept for. */
export function signInIdentity(profile: CognitoProfile): string {
  return `${profile.userPoolId}/${profile.clientId}/${profile.username}`;
}

/**
 * A full sign-in to the user pool with the password (SRP, or USER_PASSWORD_AUTH), answering the
 * challenges that come after it through the person: an MFA code (authenticator app or SMS), a new
 * password. Each is asked once per sign-in; a refused code is asked again with the reason.
 */
export async function signInToUserPool(
  options: UserPoolSignInOptions,
  context: FetchContext,
): Promise<UserPoolTokens> {
  const { profile } = options;
  const retry: RetryReasons = {};
  for (let refused = 0; ; refused += 1) {
    try {
      return await signInOnce(options, context, retry);
    } catch (error) {
      if (!(error instanceof AnswerRefused)) throw error;
      if (refused + 1 >= MAX_REFUSED_CODES) {
        throw new SourceError(
          profile.name,
          'denied',
          error.kind === 'code'
            ? `Profile ${profile.name}: Amazon Cognito refused ${MAX_REFUSED_CODES} MFA codes in a row for ${profile.username}. Load the profile again to enter a new one.`
            : `Profile ${profile.name}: Amazon Cognito refused ${MAX_REFUSED_CODES} new passwords in a row for ${profile.username} (${awsFailureInWords(error.cause)}). Load the profile again and choose one the pool's password policy allows.`,
          { cause: error.cause },
        );
      }
      if (error.kind === 'code') {
        retry.code =
          'Amazon Cognito refused the code: it is wrong, or was already used. Enter the next code.';
      } else {
        retry.newPassword = `Amazon Cognito refused that password (${awsFailureInWords(error.cause)}); choose another.`;
      }
    }
  }
}

/** Why the last answer of a person was refused, said when the same question is asked again. */
interface RetryReasons {
  code?: string;
  newPassword?: string;
}

/**
 * Cognito refused a person's answer (an MFA code, a new password the policy does not allow);
 * the whole sign-in starts again, since the challenge's session is spent.
 */
class AnswerRefused extends Error {
  constructor(
    readonly kind: 'code' | 'new-password',
    cause: unknown,
  ) {
    super(`Amazon Cognito refused the ${kind}`, { cause });
  }
}

async function signInOnce(
  options: UserPoolSignInOptions,
  context: FetchContext,
  retry: RetryReasons,
): Promise<UserPoolTokens> {
  const { profile, client, clientSecret } = options;
  const send = sender(options, context);
  const hashFor = (user: string): Record<string, string> =>
    clientSecret === null ? {} : { SECRET_HASH: secretHash(clientSecret, user, profile.clientId) };
  let userId = profile.username;
  let answer: InitiateAuthCommandOutput;
  if (profile.authFlow === 'USER_PASSWORD_AUTH') {
    answer = await send('InitiateAuth', () =>
      client.send(
        new InitiateAuthCommand({
          ClientId: profile.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: profile.username,
            PASSWORD: options.password,
            ...hashFor(profile.username),
          },
        }),
        { abortSignal: context.signal },
      ),
    );
  } else {
    const ephemeral = srpEphemeral();
    const started = await send('InitiateAuth', () =>
      client.send(
        new InitiateAuthCommand({
          ClientId: profile.clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: {
            USERNAME: profile.username,
            SRP_A: ephemeral.public.toString(16),
            ...hashFor(profile.username),
          },
        }),
        { abortSignal: context.signal },
      ),
    );
    const parameters = started.ChallengeParameters ?? {};
    const { USER_ID_FOR_SRP, SRP_B, SALT, SECRET_BLOCK } = parameters;
    if (
      started.ChallengeName !== 'PASSWORD_VERIFIER' ||
      !USER_ID_FOR_SRP ||
      !SRP_B ||
      !SALT ||
      !SECRET_BLOCK
    ) {
      throw unexpected(
        profile,
        `answered USER_SRP_AUTH with ${started.ChallengeName ?? 'no challenge'}`,
      );
    }
    userId = USER_ID_FOR_SRP;
    const poolName = srpPoolName(profile.userPoolId);
    let key: Buffer;
    try {
      key = passwordAuthenticationKey(
        poolName,
        ephemeral,
        { userIdForSrp: userId, srpB: SRP_B, salt: SALT },
        options.password,
      );
    } catch (error) {
      throw unexpected(profile, `sent SRP values that prove nothing (${(error as Error).message})`);
    }
    const timestamp = srpTimestamp(new Date((options.now ?? Date.now)()));
    answer = await send('RespondToAuthChallenge', () =>
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: profile.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ...(started.Session ? { Session: started.Session } : {}),
          ChallengeResponses: {
            USERNAME: userId,
            PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK,
            TIMESTAMP: timestamp,
            PASSWORD_CLAIM_SIGNATURE: passwordClaimSignature(
              key,
              poolName,
              userId,
              SECRET_BLOCK,
              timestamp,
            ),
            ...hashFor(userId),
          },
        }),
        { abortSignal: context.signal },
      ),
    );
  }
  let newPassword: string | null = null;
  for (let challenges = 0; !answer.AuthenticationResult; challenges += 1) {
    // Each challenge is answered at most once per sign-in; more is a loop, not a sign-in.
    if (challenges >= 4) throw unexpected(profile, 'kept asking challenges');
    const name = answer.ChallengeName;
    const user = answer.ChallengeParameters?.USER_ID_FOR_SRP ?? userId;
    userId = user;
    const responses = await answerChallenge(options, context, answer, retry);
    if (name === 'NEW_PASSWORD_REQUIRED') newPassword = responses.NEW_PASSWORD!;
    answer = await send('RespondToAuthChallenge', () =>
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: profile.clientId,
          ChallengeName: name,
          ...(answer.Session ? { Session: answer.Session } : {}),
          ChallengeResponses: { USERNAME: user, ...responses, ...hashFor(user) },
        }),
        { abortSignal: context.signal },
      ),
    );
  }
  if (newPassword !== null) await options.onNewPassword(newPassword);
  return tokensOf(profile, answer.AuthenticationResult, userId, options.now ?? Date.now);
}

/** The responses to one challenge after the password, from the person. */
async function answerChallenge(
  options: UserPoolSignInOptions,
  context: FetchContext,
  answer: InitiateAuthCommandOutput,
  retry: RetryReasons,
): Promise<Record<string, string>> {
  const { profile } = options;
  const name: ChallengeNameType | undefined = answer.ChallengeName;
  const who = `${profile.username} in Cognito user pool ${profile.userPoolId}`;
  switch (name) {
    case 'SOFTWARE_TOKEN_MFA':
    case 'SMS_MFA': {
      const sms = name === 'SMS_MFA';
      const destination = answer.ChallengeParameters?.CODE_DELIVERY_DESTINATION;
      const code = await askCode(options, context, {
        key: `cognito-mfa:${profile.userPoolId}/${profile.username}`,
        kind: 'mfa-code',
        prompt: sms
          ? `Enter the code Amazon Cognito sent by text message${destination ? ` to ${destination}` : ''} for ${who}`
          : `Enter the code your authenticator app shows for ${who}`,
        mfaSerial: `${sms ? 'SMS' : 'authenticator app'} of ${who}`,
        ...(retry.code !== undefined ? { retryReason: retry.code } : {}),
      });
      return sms ? { SMS_MFA_CODE: code } : { SOFTWARE_TOKEN_MFA_CODE: code };
    }
    case 'NEW_PASSWORD_REQUIRED': {
      const password = await context.ask({
        key: `cognito-new-password:${profile.userPoolId}/${profile.username}`,
        kind: 'new-password',
        prompt: `Amazon Cognito requires a new password for ${who}; choose one`,
        ...(retry.newPassword !== undefined ? { retryReason: retry.newPassword } : {}),
      });
      return { NEW_PASSWORD: password };
    }
    default:
      throw new SourceError(
        profile.name,
        'not-loadable',
        `Profile ${profile.name}: Amazon Cognito asks ${who} for ${name ?? 'an unnamed challenge'}, which Rolecall cannot answer (it answers an MFA code by app or text message and a new password). Finish that step once in the app the user pool belongs to, then load the profile again.`,
      );
  }
}

async function askCode(
  options: UserPoolSignInOptions,
  context: FetchContext,
  question: Question,
): Promise<string> {
  for (let answers = 0; ; answers += 1) {
    const answer = (await context.ask(question)).trim();
    if (CODE.test(answer)) return answer;
    if (answers + 1 >= MAX_REFUSED_CODES) {
      throw new SourceError(
        options.profile.name,
        'denied',
        `Profile ${options.profile.name}: no MFA code was given for ${options.profile.username}. Load the profile again to enter one.`,
      );
    }
    question.retryReason = 'That is not an MFA code: enter the 6 digits you were given.';
  }
}

export interface RefreshOptions {
  profile: CognitoProfile;
  client: CognitoIdentityProviderClient;
  tokens: UserPoolTokens;
  clientSecret: string | null;
  now?: () => number;
}

/**
 * New ID and access tokens from the refresh token (REFRESH_TOKEN_AUTH), or null when Cognito no
 * longer takes it (expired, revoked, the user's password changed): then only a full sign-in
 * helps. Cognito answers without a refresh token unless it rotates them; the old one stays.
 */
export async function refreshUserPoolTokens(
  options: RefreshOptions,
  context: FetchContext,
): Promise<UserPoolTokens | null> {
  const { profile, client, tokens, clientSecret } = options;
  if (!tokens.refreshToken) return null;
  let answer: InitiateAuthCommandOutput;
  try {
    answer = await client.send(
      new InitiateAuthCommand({
        ClientId: profile.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: {
          REFRESH_TOKEN: tokens.refreshToken,
          ...(clientSecret === null
            ? {}
            : { SECRET_HASH: secretHash(clientSecret, tokens.userId, profile.clientId) }),
        },
      }),
      { abortSignal: context.signal },
    );
  } catch (error) {
    if (errorName(error) === 'NotAuthorizedException') return null;
    throw userPoolFailure(profile, 'REFRESH_TOKEN_AUTH', error);
  }
  if (!answer.AuthenticationResult) return null;
  const renewed = tokensOf(
    profile,
    answer.AuthenticationResult,
    tokens.userId,
    options.now ?? Date.now,
  );
  return { ...renewed, refreshToken: renewed.refreshToken ?? tokens.refreshToken };
}

function tokensOf(
  profile: CognitoProfile,
  result: AuthenticationResultType | undefined,
  userId: string,
  now: () => number,
): UserPoolTokens {
  if (!result?.IdToken || !result.AccessToken) {
    throw unexpected(profile, 'answered without an ID token and an access token');
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    // Cognito's default is an hour; ExpiresIn is always sent, this is for an answer without it.
    expiresAt: now() + (result.ExpiresIn ?? 3600) * 1000,
    signedInAs: signInIdentity(profile),
    userId: subjectOf(result.IdToken) ?? userId,
  };
}

/**
 * The `sub` claim of an ID token, read without checking its signature: it only names the user
 * for SECRET_HASH when renewing, which Cognito wants made with its own user ID (a sign-in by
 * email or another alias names the user otherwise).
 */
function subjectOf(idToken: string): string | undefined {
  try {
    const claims = JSON.parse(
      Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    const sub = (claims as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' && sub !== '' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Runs one call, turning Cognito's refusals into sentences. */
function sender(options: UserPoolSignInOptions, context: FetchContext) {
  return async <T>(action: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (context.signal.aborted) {
        throw new SourceError(
          options.profile.name,
          'cancelled',
          `Profile ${options.profile.name}: the sign-in to Amazon Cognito was stopped, because nothing waits for it any more.`,
          { cause: error },
        );
      }
      if (errorName(error) === 'CodeMismatchException') throw new AnswerRefused('code', error);
      if (errorName(error) === 'InvalidPasswordException')
        throw new AnswerRefused('new-password', error);
      throw userPoolFailure(options.profile, action, error);
    }
  };
}

export function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

/** A user pool call's failure in words: what Cognito said, and what to do about it. */
export function userPoolFailure(
  profile: CognitoProfile,
  action: string,
  error: unknown,
): SourceError {
  const name = profile.name;
  const said = awsFailureInWords(error);
  const who = `${profile.username} in user pool ${profile.userPoolId}`;
  switch (errorName(error)) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return new SourceError(
        name,
        'denied',
        `Profile ${name}: Amazon Cognito refused the sign-in of ${who} (${said}). If the password changed, store the new one with \`rolecall cognito set-password ${name}\`, then load the profile again.`,
        { cause: error },
      );
    case 'PasswordResetRequiredException':
      return new SourceError(
        name,
        'denied',
        `Profile ${name}: Amazon Cognito requires a password reset for ${who}. Reset it in the app the user pool belongs to, store the new one with \`rolecall cognito set-password ${name}\`, then load the profile again.`,
        { cause: error },
      );
    case 'UserNotConfirmedException':
      return new SourceError(
        name,
        'denied',
        `Profile ${name}: ${who} is not confirmed yet. Confirm the account (the code Cognito sent when it was made), then load the profile again.`,
        { cause: error },
      );
    case 'ResourceNotFoundException':
    case 'InvalidParameterException':
      return new SourceError(
        name,
        'not-loadable',
        `Profile ${name}: Amazon Cognito refused ${action} (${said}). Check cognito_user_pool_id, cognito_client_id and cognito_auth_flow in ${profile.definedIn}: the app client must allow ${profile.authFlow === 'USER_SRP_AUTH' ? 'ALLOW_USER_SRP_AUTH' : 'ALLOW_USER_PASSWORD_AUTH'}.`,
        { cause: error },
      );
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return new SourceError(
        name,
        'throttled',
        `Profile ${name}: Amazon Cognito is throttling ${action} (${said}); Rolecall will try again.`,
        { cause: error },
      );
    default:
      return new SourceError(
        name,
        isConnectFailure(error) ? 'unreachable' : 'denied',
        `Profile ${name}: ${action} to Amazon Cognito user pool ${profile.userPoolId} failed (${said}).`,
        { cause: error },
      );
  }
}

function unexpected(profile: CognitoProfile, what: string): SourceError {
  return new SourceError(
    profile.name,
    'bad-output',
    `Profile ${profile.name}: Amazon Cognito user pool ${profile.userPoolId} ${what}. Rolecall will try again.`,
  );
}
