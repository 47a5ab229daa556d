import { RolecallError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import {
  addedDefinition,
  changeTokenDefinitions,
  rawName,
  refreshChoices,
} from '../tokens/token-definitions';
import { knownTokenKinds } from '../tokens/token-kinds';
import { TokenSourceError, type TokenSet } from '../tokens/token-source';
import { oauthAccount, writeOAuthSecrets } from './oauth-secrets';
import {
  OAUTH_KIND,
  oauthDefinitionSchema,
  tokenUrlProblem,
  type OAuthDefinition,
} from './oauth-definition';
import { createOAuthSource, underTokenLock } from './oauth-source';

export interface NewOAuthToken {
  name: string;
  tokenUrl: string;
  clientId: string;
  scopes: string[];
  audience?: string;
  params: Record<string, string>;
  auth: 'basic' | 'post';
  clientSecret?: string;
  refreshToken?: string;
  refreshBeforeSeconds?: number;
  everySeconds?: number;
  lazy: boolean;
}

export interface AddDeps {
  home: string;
  secrets: SecretStore;
  now: () => number;
  fetch?: typeof fetch;
}

/**
 * Adds (or replaces) an OAuth2 token: the secrets go to the keychain, the first token is fetched
 * with them, and only then is the definition written to tokens.json. A token that cannot be had
 * leaves everything as it was — the issuer's answer, in words, is the error.
 */
export async function addOAuthToken(
  input: NewOAuthToken,
  deps: AddDeps,
): Promise<{ definition: OAuthDefinition; token: TokenSet; replaced: boolean }> {
  if (input.clientSecret === undefined && input.refreshToken === undefined) {
    throw new RolecallError(
      'no-secret',
      'A token needs a client secret (client credentials) or a refresh token; give one.',
      400,
    );
  }
  const definition = oauthDefinitionOf(input);
  // Under the token's lock: a renewal of the token being replaced, running in a server, ends
  // before the new secrets are written, so it cannot write the old ones back over them.
  const previous = await underTokenLock(deps.home, input.name, async () => {
    const held = await deps.secrets.get(oauthAccount(input.name));
    await writeOAuthSecrets(deps.secrets, input.name, {
      ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }),
      ...(input.refreshToken === undefined ? {} : { refreshToken: input.refreshToken }),
    });
    return held;
  });
  let token: TokenSet;
  try {
    token = await createOAuthSource(definition, {
      secrets: deps.secrets,
      home: deps.home,
      now: deps.now,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }).fetch({ signal: new AbortController().signal });
  } catch (error) {
    // Nothing is kept of a token that does not work: the previous one is back as it was.
    await underTokenLock(deps.home, input.name, async () => {
      if (previous === null) await deps.secrets.delete(oauthAccount(input.name));
      else await deps.secrets.set(oauthAccount(input.name), previous);
    });
    // The broker would try again; an add does not, so it says what the person does instead.
    if (error instanceof TokenSourceError && error.situation !== undefined) {
      throw new RolecallError(
        error.code,
        `${error.situation}; nothing was added: run rolecall oauth add again once the token endpoint answers.`,
        error.status,
        { cause: error },
      );
    }
    throw error;
  }
  let replaced = false;
  await changeTokenDefinitions(deps.home, knownTokenKinds, (raw) => {
    replaced = raw.some((entry) => rawName(entry) === input.name);
    return [...raw.filter((entry) => rawName(entry) !== input.name), definition];
  });
  return { definition, token, replaced };
}

/**
 * The definition a new token would have, or the error saying what is wrong with it: checked
 * before anyone types a secret.
 */
export function oauthDefinitionOf(
  input: Omit<NewOAuthToken, 'clientSecret' | 'refreshToken'> & { refreshToken?: string },
): OAuthDefinition {
  const urlProblem = tokenUrlProblem(input.tokenUrl);
  if (urlProblem !== null) {
    throw new RolecallError('invalid-token-url', `The token URL will not do: ${urlProblem}.`, 400);
  }
  const parsed = oauthDefinitionSchema.safeParse({
    name: input.name,
    kind: OAUTH_KIND,
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    grant: input.refreshToken === undefined ? 'client_credentials' : 'refresh_token',
    auth: input.auth,
    scopes: input.scopes,
    ...(input.audience ? { audience: input.audience } : {}),
    params: input.params,
    refresh: refreshChoices(input),
  });
  return addedDefinition(parsed);
}
