import { RolecallError } from '../errors';

/**
 * A bearer token as Rolecall serves it (`GET /oauth/<name>`, `rolecall oauth token`). `expiresAt`
 * is epoch ms, absent when the issuer said nothing about its lifetime.
 */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  expiresAt?: number;
  scope?: string;
  /** An OpenID Connect ID token, from sources that sign a person in (Cognito user pools). */
  idToken?: string;
}

/** What a token source gets for one fetch. */
export interface TokenFetchContext {
  /** Aborted when the broker gives up on the fetch (its time-out, or the token was removed). */
  signal: AbortSignal;
  /**
   * Whether a token found held (another process renewed it meanwhile) may be served instead of
   * fetching again; absent when a person asked for a renewal.
   */
  freshEnough?(token: TokenSet, obtainedAt: number): boolean;
}

/**
 * One way of getting a bearer token: an OAuth2 client, a Cognito user pool, ... The broker's
 * token entries call `fetch` (one at a time per token, on the one timer or when a request needs
 * it) and own everything around it: when to renew, backoff, grace, single flight, states. A
 * source keeps its own secrets in the keychain and never serves anything itself.
 *
 * A source that cannot go on throws a `TokenSourceError` saying whether to retry later
 * (`retryAfterMs`) or to wait for a person (`needsInput`); any other error is retried with the
 * broker's backoff.
 */
export interface TokenSource {
  /** Names the kind in listings and messages ("OAuth2 client credentials"). */
  readonly description: string;
  fetch(context: TokenFetchContext): Promise<TokenSet>;
  /**
   * A token another process (the CLI, an earlier run) left in the keychain, if the source keeps
   * one: served at start-up and adopted before a renewal, so no process renews what another
   * just did.
   */
  held?(): Promise<{ token: TokenSet; obtainedAt: number } | null>;
}

export type TokenFailureKind = 'retry' | 'needs-input' | 'refused';

/**
 * A failure in words, with how the broker should react: `retry` backs off (at least
 * `retryAfterMs` when the issuer said so), `needs-input` stops renewing until a person gives a
 * new secret, `refused` (a wrong client secret, a bad URL) also stops until the definition is
 * fixed.
 */
export class TokenSourceError extends RolecallError {
  constructor(
    readonly kind: TokenFailureKind,
    message: string,
    options: { retryAfterMs?: number; cause?: unknown; situation?: string } = {},
  ) {
    super(
      kind === 'retry'
        ? 'token-retry'
        : kind === 'needs-input'
          ? 'token-needs-input'
          : 'token-refused',
      message,
      kind === 'retry' ? 503 : 502,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'TokenSourceError';
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.situation !== undefined) this.situation = options.situation;
  }

  retryAfterMs?: number;
  /**
   * What went wrong, without what the broker does about it ("Rolecall tries again"): for a
   * caller that will not try again, such as `rolecall oauth add`, to say what it does instead.
   */
  situation?: string;
}
