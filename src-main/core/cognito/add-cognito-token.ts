import { oauthAccount } from '../oauth/oauth-secrets';
import { underTokenLock } from '../oauth/oauth-source';
import {
  addedDefinition,
  changeTokenDefinitions,
  rawName,
  refreshChoices,
} from '../tokens/token-definitions';
import { knownTokenKinds, type TokenSourceDeps } from '../tokens/token-kinds';
import type { TokenSet } from '../tokens/token-source';
import {
  COGNITO_KIND,
  cognitoTokenDefinitionSchema,
  cognitoTokenKind,
  type CognitoTokenDefinition,
  type CognitoTokenKindOptions,
} from './cognito-token-kind';

export interface NewCognitoToken {
  name: string;
  profile: string;
  refreshBeforeSeconds?: number;
  everySeconds?: number;
  lazy: boolean;
}

/**
 * Adds (or replaces) a token served from a Cognito profile's user pool sign-in. The first token
 * is had before anything is written (with the profile's tokens in the keychain, renewed or signed
 * in again as a load would), so a profile that cannot sign in adds nothing and says why.
 */
export async function addCognitoToken(
  input: NewCognitoToken,
  deps: TokenSourceDeps,
  options: CognitoTokenKindOptions = {},
): Promise<{ definition: CognitoTokenDefinition; token: TokenSet; replaced: boolean }> {
  const definition = cognitoTokenDefinitionOf(input);
  const source = cognitoTokenKind(options).source(definition, deps);
  const held = await source.held?.();
  const token =
    held && (held.token.expiresAt ?? Infinity) > deps.now()
      ? held.token
      : await source.fetch({ signal: new AbortController().signal });
  let replaced = false;
  await changeTokenDefinitions(deps.home, knownTokenKinds, (raw) => {
    replaced = raw.some((entry) => rawName(entry) === input.name);
    return [...raw.filter((entry) => rawName(entry) !== input.name), definition];
  });
  // An OAuth2 token of the same name is gone: so are its secrets.
  await underTokenLock(deps.home, input.name, () => deps.secrets.delete(oauthAccount(input.name)));
  return { definition, token, replaced };
}

export function cognitoTokenDefinitionOf(input: NewCognitoToken): CognitoTokenDefinition {
  const parsed = cognitoTokenDefinitionSchema.safeParse({
    name: input.name,
    kind: COGNITO_KIND,
    profile: input.profile,
    refresh: refreshChoices(input),
  });
  return addedDefinition(parsed);
}
