import { z } from 'zod';
import { findProfile, loadProfiles } from '../config/profiles';
import type { CognitoProfile, ProfileFiles } from '../config/profile-config';
import { RolecallError } from '../errors';
import { currentUserPoolTokens } from '../sources/cognito';
import { SourceError, type FetchContext, type SourceFailure } from '../sources/source';
import { createStsClient } from '../sts/sts-client';
import { tokenDefinitionBaseSchema } from '../tokens/token-definitions';
import type { TokenKind } from '../tokens/token-kinds';
import {
  TokenSourceError,
  type TokenFailureKind,
  type TokenSet,
  type TokenSource,
} from '../tokens/token-source';
import type { CognitoClients } from './cognito-clients';
import { createCognitoSecrets, type UserPoolTokens } from './cognito-secrets';
import { signInIdentity } from './user-pool-sign-in';

export const COGNITO_KIND = 'cognito';

/**
 * A Cognito profile's user pool tokens served as a bearer token: the entry in tokens.json names
 * only the profile; the pool, client and user are the profile's, and the tokens are the ones its
 * credentials source keeps in the keychain (`cognito-tokens/<profile>`), so a sign-in made for
 * one serves the other.
 */
export const cognitoTokenDefinitionSchema = tokenDefinitionBaseSchema.extend({
  kind: z.literal(COGNITO_KIND),
  profile: z.string().min(1),
});

export type CognitoTokenDefinition = z.infer<typeof cognitoTokenDefinitionSchema>;

export interface CognitoTokenKindOptions {
  /** The AWS SDK's clients by default (calls go where the AWS CLI would send them). */
  clients?: CognitoClients;
  files?: ProfileFiles;
}

/**
 * The `cognito` kind. No file lock is taken around a renewal, unlike OAuth2 tokens: Rolecall
 * renews with REFRESH_TOKEN_AUTH, which Cognito answers without rotating the refresh token (an
 * app client with rotation turned on refuses that flow, and Rolecall signs in again instead), so
 * two processes renewing at once each get valid tokens from the same refresh token, and whichever
 * writes the keychain item last is as good as the other.
 */
export function cognitoTokenKind(options: CognitoTokenKindOptions = {}): TokenKind {
  return {
    kind: COGNITO_KIND,
    read(raw) {
      const parsed = cognitoTokenDefinitionSchema.safeParse(raw);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0]!;
      return `${issue.path.join('.') || 'the entry'}: ${issue.message}`;
    },
    source: (definition, deps) =>
      createCognitoTokenSource(cognitoTokenDefinitionSchema.parse(definition), {
        ...options,
        secrets: createCognitoSecrets(deps.secrets),
        now: deps.now,
      }),
  };
}

function createCognitoTokenSource(
  definition: CognitoTokenDefinition,
  options: CognitoTokenKindOptions & {
    secrets: ReturnType<typeof createCognitoSecrets>;
    now: () => number;
  },
): TokenSource {
  const { secrets, now } = options;
  const profileName = definition.profile;

  async function profile(): Promise<CognitoProfile> {
    const config = findProfile(await loadProfiles(options.files), profileName);
    if (config.kind !== 'cognito') {
      throw new TokenSourceError(
        'refused',
        `Token ${definition.name}: profile ${profileName} is no Amazon Cognito profile (it has no cognito_user_pool_id); fix the AWS config file or remove the token with \`rolecall oauth remove ${definition.name}\`.`,
      );
    }
    if (config.notLoadableReason) {
      throw new TokenSourceError(
        'refused',
        `Token ${definition.name}: profile ${profileName} cannot be used: ${config.notLoadableReason}.`,
      );
    }
    return config;
  }

  /** The tokens held for this profile's current user, or null (none, or another sign-in's). */
  async function ours(config: CognitoProfile): Promise<UserPoolTokens | null> {
    const held = await secrets.tokens(profileName);
    return held !== null && held.signedInAs === signInIdentity(config) ? held : null;
  }

  return {
    description: 'Amazon Cognito user pool',
    async held() {
      const tokens = await ours(await profile());
      return tokens ? { token: tokenSetOf(tokens), obtainedAt: obtainedAt(tokens, now) } : null;
    },
    async fetch(context) {
      // A profile gone from the config file is refused (fix the file), not retried.
      const config = await profile().catch((error: unknown) => {
        throw asTokenFailure(definition.name, error);
      });
      const held = await ours(config);
      if (held && context.freshEnough?.(tokenSetOf(held), obtainedAt(held, now))) {
        return tokenSetOf(held);
      }
      const fetchContext: FetchContext = {
        signal: context.signal,
        parent: () => Promise.reject(new Error('a Cognito user pool has no parent profile')),
        // The broker's token entries have nobody to ask; a person answers when loading the profile.
        ask: (question) =>
          Promise.reject(
            new TokenSourceError(
              'needs-input',
              `Token ${definition.name}: Amazon Cognito asks for ${question.kind === 'new-password' ? 'a new password' : 'an MFA code'} to sign in to profile ${profileName}. Load the profile (\`rolecall load ${profileName}\` or the window) and answer there; the token is then served from that sign-in.`,
            ),
          ),
      };
      try {
        // Held tokens are handed in as "refused" so they are renewed whatever their expiry says:
        // the broker only asks once the token is past its own renewal point.
        const tokens = await currentUserPoolTokens(
          {
            profile: config,
            secrets,
            now,
            createStsClient,
            ...(options.clients ? { clients: options.clients } : {}),
          },
          fetchContext,
          held ?? undefined,
        );
        return tokenSetOf(tokens);
      } catch (error) {
        throw asTokenFailure(definition.name, error);
      }
    },
  };
}

export function tokenSetOf(tokens: UserPoolTokens): TokenSet {
  return {
    accessToken: tokens.accessToken,
    tokenType: 'Bearer',
    expiresAt: tokens.expiresAt,
    idToken: tokens.idToken,
  };
}

/**
 * When the tokens were issued: the access token's `iat` (Cognito's are JWTs). Without one the
 * time is unknown, and the tokens are taken as due for renewal (0) rather than as new: taking
 * them as new would let the broker adopt them again and again instead of renewing.
 */
function obtainedAt(tokens: UserPoolTokens, now: () => number): number {
  try {
    const payload = tokens.accessToken.split('.')[1] ?? '';
    const iat = (
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iat?: unknown }
    ).iat;
    if (typeof iat === 'number' && iat * 1000 <= now()) return iat * 1000;
  } catch {
    // Not a JWT: unknown.
  }
  return 0;
}

const NEEDS_A_PERSON: ReadonlySet<SourceFailure> = new Set([
  'not-loadable',
  'denied',
  'needs-input',
  'sign-in-required',
]);

/** A sign-in's failure, as the broker reacts to it: a person fixes a password, else retry. */
function asTokenFailure(name: string, error: unknown): unknown {
  if (error instanceof TokenSourceError) return error;
  if (error instanceof SourceError) {
    const kind: TokenFailureKind =
      error.failure === 'not-found'
        ? 'refused'
        : NEEDS_A_PERSON.has(error.failure)
          ? 'needs-input'
          : 'retry';
    return new TokenSourceError(kind, `Token ${name}: ${error.message}`, { cause: error });
  }
  if (error instanceof RolecallError) {
    return new TokenSourceError('refused', `Token ${name}: ${error.message}`, { cause: error });
  }
  return error;
}
