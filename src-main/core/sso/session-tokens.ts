import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { oidcClient, refreshSsoToken, sessionEnded } from './oidc';
import { sessionCacheKey } from './session-key';
import type { SsoTokenStore } from './token-store';
import type { SsoSessionRef, SsoToken } from './types';

/**
 * Renew an access token this long before it expires, like the SDK's SSO token provider does:
 * a portal call never starts with a token about to die.
 */
const TOKEN_REFRESH_WINDOW_MS = 5 * 60_000;

/**
 * Hands out a valid access token per session: from the keychain (or the AWS CLI's cache),
 * renewed with the refresh token when near expiry — one renewal at a time per session — and a
 * clear "sign in again" error when the session has ended.
 */
export class SessionTokens {
  private readonly inflight = new Map<string, Promise<SsoToken>>();

  constructor(
    private readonly store: SsoTokenStore,
    private readonly options: {
      now?: () => number;
      client?: (session: SsoSessionRef) => SSOOIDCClient;
    } = {},
  ) {}

  async valid(session: SsoSessionRef): Promise<SsoToken> {
    const token = await this.store.load(session);
    if (!token) throw sessionEnded(session);
    if (token.expiresAt - TOKEN_REFRESH_WINDOW_MS > this.now()) return token;
    return this.renew(session, token);
  }

  /** Renews even a token that looks valid (the portal said 401). */
  async forceRenew(session: SsoSessionRef): Promise<SsoToken> {
    const token = await this.store.load(session);
    if (!token) throw sessionEnded(session);
    return this.renew(session, token);
  }

  private renew(session: SsoSessionRef, token: SsoToken): Promise<SsoToken> {
    const key = sessionCacheKey(session);
    const running = this.inflight.get(key);
    if (running) return running;
    const client = (this.options.client ?? oidcClient)(session);
    const renewal = refreshSsoToken({ client, session, token, now: () => this.now() })
      .then(async (renewed) => {
        await this.store.save(session, renewed);
        return renewed;
      })
      .catch((error: unknown) => {
        // Still valid despite the failed renewal: use it until it really expires (grace).
        if (
          token.expiresAt > this.now() &&
          (error as { code?: string }).code !== 'sso-session-ended'
        )
          return token;
        throw error;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, renewal);
    return renewal;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
