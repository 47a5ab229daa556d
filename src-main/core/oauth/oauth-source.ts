import { asSentence } from '../errors';
import { withFileLock } from '../runtime/file-lock';
import type { SecretStore } from '../secrets/secret-store';
import {
  TokenSourceError,
  type TokenFetchContext,
  type TokenSet,
  type TokenSource,
} from '../tokens/token-source';
import { exchangeJournal, exchangeLockFile, fingerprintOf } from './exchange-journal';
import type { OAuthDefinition } from './oauth-definition';
import { readOAuthSecrets, writeOAuthSecrets, type OAuthSecrets } from './oauth-secrets';
import { exchangeToken, safeOrigin, type ExchangeOutcome } from './token-endpoint';
import type { TokenAnswer } from './token-response';

export interface OAuthSourceDeps {
  secrets: SecretStore;
  home: string;
  now: () => number;
  fetch?: typeof fetch;
  /** Something happened a person should hear of, though the token was served (a fallback). */
  onWarning?: (message: string) => void;
  /** How long to wait for another process's renewal of the same token (tests shorten it). */
  lockWaitMs?: number;
}

/** An exchange takes at most 30 s; another process's renewal is waited for a little longer. */
const LOCK_WAIT_MS = 45_000;

/** OAuth2 error codes that say the request itself is wrong: retrying cannot help. */
const REFUSALS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'unsupported_grant_type',
  'invalid_request',
  'invalid_grant',
  'access_denied',
]);

/**
 * An OAuth2 client's token source: client credentials (RFC 6749 §4.4), or a refresh token (§6)
 * that falls back to client credentials when refused and the client has a secret.
 *
 * Every renewal, in any process, holds the token's lock file and reads the keychain afresh
 * inside it, so a refresh token is only ever sent by one process at a time, and always the
 * newest one. A rotated refresh token is written to the keychain before the access token it
 * came with is served. A refresh token whose exchange was cut off (the process killed, the
 * answer lost) is never sent again: the issuer may have used it up, and many issuers revoke a
 * whole family of tokens when a used one comes back.
 */
export function createOAuthSource(definition: OAuthDefinition, deps: OAuthSourceDeps): TokenSource {
  const { name } = definition;
  const journal = exchangeJournal(deps.home, name);
  const origin = safeOrigin(definition.tokenUrl);
  const addAgain = `\`rolecall oauth add ${name}\` again with the same options`;

  const exchange = (
    held: OAuthSecrets,
    form: Record<string, string>,
    signal: AbortSignal,
  ): Promise<ExchangeOutcome> =>
    exchangeToken(
      {
        tokenUrl: definition.tokenUrl,
        clientId: definition.clientId,
        ...(held.clientSecret === undefined ? {} : { clientSecret: held.clientSecret }),
        auth: definition.auth,
        form: { ...definition.params, ...form },
      },
      { now: deps.now, signal, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
    );

  const scope: Record<string, string> =
    definition.scopes.length > 0 ? { scope: definition.scopes.join(' ') } : {};

  async function keep(held: OAuthSecrets, token: TokenSet): Promise<TokenSet> {
    await writeOAuthSecrets(deps.secrets, name, {
      ...held,
      token: { set: token, obtainedAt: deps.now() },
    });
    return token;
  }

  function failure(
    answer: Exclude<TokenAnswer, { kind: 'token' }>,
    hint: string,
  ): TokenSourceError {
    const said = `The token endpoint of token ${name} (${origin}) answered ${answer.message}`;
    if (answer.kind === 'garbage') {
      return new TokenSourceError('retry', `${said}; check the token URL (${hint}).`);
    }
    if (answer.error !== null && REFUSALS.has(answer.error)) {
      return new TokenSourceError('refused', `${said}; ${hint}.`);
    }
    const later =
      answer.error === 'slow_down' ||
      answer.error === 'temporarily_unavailable' ||
      answer.status === 429 ||
      answer.status === 408 ||
      answer.status >= 500;
    if (later) {
      const wait =
        answer.retryAfterMs === undefined ? '' : ` in ${Math.ceil(answer.retryAfterMs / 1000)} s`;
      return new TokenSourceError('retry', `${said}; Rolecall tries again${wait}.`, {
        situation: said,
        ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
      });
    }
    return new TokenSourceError('refused', `${said}; ${hint}.`);
  }

  async function clientCredentials(held: OAuthSecrets, signal: AbortSignal): Promise<TokenSet> {
    if (held.clientSecret === undefined) {
      throw new TokenSourceError(
        'needs-input',
        `The keychain holds no client secret for token ${name}; run ${addAgain}.`,
      );
    }
    const outcome = await exchange(
      held,
      {
        grant_type: 'client_credentials',
        ...scope,
        ...(definition.audience ? { audience: definition.audience } : {}),
      },
      signal,
    );
    if (outcome.kind === 'no-answer') {
      throw new TokenSourceError(
        'retry',
        `Token ${name}: ${outcome.message}; Rolecall tries again.`,
        { situation: `Token ${name}: ${outcome.message}` },
      );
    }
    if (outcome.answer.kind !== 'token') {
      throw failure(
        outcome.answer,
        `check the client ID and secret, scopes and audience, then run ${addAgain}`,
      );
    }
    return keep(held, outcome.answer.token);
  }

  /** The refresh token is gone: client credentials if the client has a secret, else a person. */
  async function withoutRefreshToken(
    held: OAuthSecrets,
    why: string,
    signal: AbortSignal,
  ): Promise<TokenSet> {
    const { refreshToken: _spent, ...rest } = held;
    if (rest.clientSecret !== undefined) {
      const token = await clientCredentials(rest, signal);
      deps.onWarning?.(`${asSentence(why)} Token ${name} now comes from client credentials.`);
      return token;
    }
    throw new TokenSourceError(
      'needs-input',
      `${asSentence(why)} Give token ${name} a new refresh token: run ${addAgain} and --refresh-token-stdin.`,
    );
  }

  async function refresh(held: OAuthSecrets, signal: AbortSignal): Promise<TokenSet> {
    const refreshToken = held.refreshToken!;
    const spent: OAuthSecrets = { ...held };
    delete spent.refreshToken;
    await journal.begin(refreshToken);
    const outcome = await exchange(
      held,
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...scope },
      signal,
    );
    if (outcome.kind === 'no-answer') {
      if (!outcome.maybeDelivered) {
        await journal.end();
        throw new TokenSourceError(
          'retry',
          `Token ${name}: ${outcome.message}; Rolecall tries again.`,
          { situation: `Token ${name}: ${outcome.message}` },
        );
      }
      await writeOAuthSecrets(deps.secrets, name, spent);
      await journal.end();
      return withoutRefreshToken(
        spent,
        `The refresh of token ${name} got no answer (${outcome.message}), so ${origin} may have used its refresh token up; Rolecall never sends one twice`,
        signal,
      );
    }
    const answer = outcome.answer;
    if (answer.kind === 'token') {
      // The rotated refresh token is in the keychain before the access token is served.
      const token = await keep(
        { ...held, refreshToken: answer.refreshToken ?? refreshToken },
        answer.token,
      );
      await journal.end();
      return token;
    }
    await journal.end();
    if (answer.kind === 'error' && answer.error === 'invalid_grant') {
      await writeOAuthSecrets(deps.secrets, name, spent);
      return withoutRefreshToken(
        spent,
        `${origin} refused the refresh token of token ${name}, answering ${answer.message}`,
        signal,
      );
    }
    throw failure(
      answer,
      `check the client ID${held.clientSecret ? ' and secret' : ''}, then run ${addAgain}`,
    );
  }

  /** A refresh token whose exchange was cut off is dropped, never sent again. */
  async function settleInterrupted(
    held: OAuthSecrets,
  ): Promise<{ held: OAuthSecrets; cutOff: boolean }> {
    const interrupted = await journal.interrupted();
    if (interrupted === null) return { held, cutOff: false };
    const sameToken =
      held.refreshToken !== undefined &&
      (interrupted === '' || interrupted === fingerprintOf(held.refreshToken));
    if (!sameToken) {
      // That exchange finished: the keychain holds the token it bought.
      await journal.end();
      return { held, cutOff: false };
    }
    const spent = { ...held };
    delete spent.refreshToken;
    await writeOAuthSecrets(deps.secrets, name, spent);
    await journal.end();
    return { held: spent, cutOff: true };
  }

  return {
    description:
      definition.grant === 'client_credentials'
        ? 'OAuth2 client credentials'
        : 'OAuth2 refresh token',

    async held() {
      const held = await readOAuthSecrets(deps.secrets, name);
      return held.token ? { token: held.token.set, obtainedAt: held.token.obtainedAt } : null;
    },

    fetch(context: TokenFetchContext) {
      return underTokenLock(
        deps.home,
        name,
        async () => {
          // Read inside the lock: another process may have renewed (and rotated) meanwhile.
          const held = await readOAuthSecrets(deps.secrets, name);
          const current = held.token;
          if (current && context.freshEnough?.(current.set, current.obtainedAt)) return current.set;
          if (definition.grant === 'client_credentials') {
            return clientCredentials(held, context.signal);
          }
          const settled = await settleInterrupted(held);
          if (settled.cutOff) {
            return withoutRefreshToken(
              settled.held,
              `A renewal of token ${name} was cut off after its refresh token was sent (the process making it ended), so ${origin} may have used it up; Rolecall never sends one twice`,
              context.signal,
            );
          }
          if (settled.held.refreshToken === undefined) {
            return withoutRefreshToken(
              settled.held,
              `The keychain holds no refresh token for token ${name}`,
              context.signal,
            );
          }
          return refresh(settled.held, context.signal);
        },
        deps.lockWaitMs,
      );
    },
  };
}

/**
 * Runs `work` holding the token's lock, which every renewal in every process holds: changing a
 * token's secrets under it never races a renewal writing what it bought.
 */
export function underTokenLock<T>(
  home: string,
  name: string,
  work: () => Promise<T>,
  waitMs = LOCK_WAIT_MS,
): Promise<T> {
  return withFileLock(
    exchangeLockFile(home, name),
    { doing: `renewing token ${name}`, waitMs },
    work,
  );
}
