import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock';

/** A sign-in link is good for one use within this time. */
export const UI_LINK_LIFETIME_MS = 15 * 60_000;

/**
 * How a browser gets into the web UI without ever holding the bearer token from a log: the link
 * printed by `rolecall serve --ui` (or `rolecall ui`) carries a one-time code, which the page
 * trades for a session token of its own. Session tokens open the control API only — never the
 * credential routes — and live in memory until the server stops.
 *
 * Codes and session tokens are looked up by their SHA-256, so the lookup's timing says nothing
 * about the values.
 */
export class UiSessions {
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Set<string>();

  constructor(private readonly clock: Clock) {}

  /** A new one-time code. */
  newLinkCode(): string {
    const code = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    for (const [hash, expiresAt] of this.codes) if (expiresAt <= now) this.codes.delete(hash);
    this.codes.set(digest(code), now + UI_LINK_LIFETIME_MS);
    return code;
  }

  /** Trades an unused, unexpired code for a session token; null otherwise. */
  exchange(code: unknown): string | null {
    if (typeof code !== 'string' || code.length > 256) return null;
    const hash = digest(code);
    const expiresAt = this.codes.get(hash);
    this.codes.delete(hash);
    if (expiresAt === undefined || expiresAt <= this.clock.now()) return null;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(digest(session));
    return session;
  }

  /** Whether an Authorization header carries a session token. */
  isSession(authorization: string | undefined): boolean {
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return false;
    return this.sessions.has(digest(authorization.slice('Bearer '.length)));
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64');
}
