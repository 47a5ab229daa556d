import { z } from 'zod';
import { parseJsonAs } from '../parse-json';
import type { SecretStore } from '../secrets/secret-store';

/**
 * What Rolecall keeps for a Cognito profile, only in the keychain, one item each:
 * `cognito-password/<profile>`, `cognito-client-secret/<profile>` (for app clients that have a
 * secret) and `cognito-tokens/<profile>` (the user pool's tokens from the last sign-in, so a
 * restart renews with the refresh token instead of the password).
 */
export interface CognitoSecrets {
  password(profile: string): Promise<string | null>;
  setPassword(profile: string, password: string): Promise<void>;
  clientSecret(profile: string): Promise<string | null>;
  setClientSecret(profile: string, secret: string): Promise<void>;
  tokens(profile: string): Promise<UserPoolTokens | null>;
  setTokens(profile: string, tokens: UserPoolTokens): Promise<void>;
  /** Forgets the password, the client secret and the tokens; false when there was nothing. */
  forget(profile: string): Promise<boolean>;
}

/** A user pool sign-in's tokens, as Cognito answered them. */
export interface UserPoolTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** When the ID and access tokens expire, epoch milliseconds. */
  expiresAt: number;
  /**
   * `<user pool>/<client>/<username>` they were made for: tokens of another sign-in (the profile
   * was changed to another user or pool) are never used.
   */
  signedInAs: string;
  /** The name SECRET_HASH is made with when renewing: Cognito's own user ID (USER_ID_FOR_SRP). */
  userId: string;
}

const tokensSchema = z.object({
  version: z.literal(1),
  idToken: z.string(),
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  expiresAt: z.number(),
  signedInAs: z.string(),
  userId: z.string(),
});

export const cognitoItems = {
  password: (profile: string) => `cognito-password/${profile}`,
  clientSecret: (profile: string) => `cognito-client-secret/${profile}`,
  tokens: (profile: string) => `cognito-tokens/${profile}`,
};

export function createCognitoSecrets(secrets: SecretStore): CognitoSecrets {
  return {
    password: (profile) => secrets.get(cognitoItems.password(profile)),
    setPassword: (profile, password) => secrets.set(cognitoItems.password(profile), password),
    clientSecret: (profile) => secrets.get(cognitoItems.clientSecret(profile)),
    setClientSecret: (profile, secret) => secrets.set(cognitoItems.clientSecret(profile), secret),
    async tokens(profile) {
      const text = await secrets.get(cognitoItems.tokens(profile));
      // A damaged item costs only a new sign-in.
      const item = text === null ? null : parseJsonAs(tokensSchema, text);
      if (item === null) return null;
      const { version: _version, ...tokens } = item;
      return tokens;
    },
    setTokens: (profile, tokens) =>
      secrets.set(cognitoItems.tokens(profile), JSON.stringify({ version: 1, ...tokens })),
    async forget(profile) {
      const removed = await Promise.all(
        Object.values(cognitoItems).map((item) => secrets.delete(item(profile))),
      );
      return removed.some(Boolean);
    },
  };
}
