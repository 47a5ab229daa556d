import { cognitoTokenKind } from '../cognito/cognito-token-kind';
import type { SecretStore } from '../secrets/secret-store';
import { OAUTH_KIND, oauthDefinitionSchema } from '../oauth/oauth-definition';
import { createOAuthSource } from '../oauth/oauth-source';
import type { TokenDefinitionBase } from './token-definitions';
import type { TokenSource } from './token-source';

/** What every kind's source may use. */
export interface TokenSourceDeps {
  secrets: SecretStore;
  home: string;
  now: () => number;
  fetch?: typeof fetch;
  onWarning?: (message: string) => void;
}

/**
 * One kind of token: how to read its definition (the fields beside the shared ones in
 * tokens.json) and make its source. A new kind (a Cognito user pool, ...) is one entry here:
 * the broker, the route, `rolecall oauth list|token|remove` and the file need nothing else.
 */
export interface TokenKind {
  /** The `kind` written in tokens.json. */
  kind: string;
  /** The definition this kind reads from a raw entry, or the problem with it in words. */
  read(raw: unknown): TokenDefinitionBase | string;
  source(definition: TokenDefinitionBase, deps: TokenSourceDeps): TokenSource;
}

const oauthKind: TokenKind = {
  kind: OAUTH_KIND,
  read(raw) {
    const parsed = oauthDefinitionSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    return `${issue.path.join('.') || 'the entry'}: ${issue.message}`;
  },
  source: (definition, deps) =>
    createOAuthSource(oauthDefinitionSchema.parse(definition), {
      secrets: deps.secrets,
      home: deps.home,
      now: deps.now,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.onWarning ? { onWarning: deps.onWarning } : {}),
    }),
};

const cognitoKind = cognitoTokenKind();

export const tokenKinds: ReadonlyMap<string, TokenKind> = new Map([
  [oauthKind.kind, oauthKind],
  [cognitoKind.kind, cognitoKind],
]);

export const knownTokenKinds: ReadonlySet<string> = new Set(tokenKinds.keys());
