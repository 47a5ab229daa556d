import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock';

/** Where a browser opens a one-time console link: `/console/<code>`. */
export const CONSOLE_LINK_PREFIX = '/console/';

/**
 * Long enough for a browser to start cold, short enough that a link seen in a process list is
 * spent or stale by the time anyone could use it.
 */
export const CONSOLE_LINK_LIFETIME_MS = 2 * 60_000;

/** Links not yet opened, at most; the oldest goes first (a loop of `rolecall console` calls). */
const MAX_PENDING = 100;

/**
 * One-time links that send a browser on to a console sign-in URL. Opening a browser means
 * handing it a URL on a command line (xdg-open, the browser's own), where every local user can
 * read it; the sign-in URL signs anyone in for 15 minutes, a link here works once, for two
 * minutes, and only on this machine. The sign-in URL waits in memory, keyed by the SHA-256 of
 * its code, until it is opened or expires.
 */
export class ConsoleLinks {
  private readonly pending = new Map<string, { url: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  /** A new link under `serverUrl` (which ends with `/`) to `url`, good until `urlExpiresAt`. */
  add(serverUrl: string, url: string, urlExpiresAt: number): { url: string; expiresAt: number } {
    const now = this.clock.now();
    for (const [hash, link] of this.pending) if (link.expiresAt <= now) this.pending.delete(hash);
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const code = randomBytes(32).toString('base64url');
    const expiresAt = Math.min(now + CONSOLE_LINK_LIFETIME_MS, urlExpiresAt);
    this.pending.set(digest(code), { url, expiresAt });
    return { url: `${serverUrl.replace(/\/$/, '')}${CONSOLE_LINK_PREFIX}${code}`, expiresAt };
  }

  /** The sign-in URL of an unused, unexpired code, which is used up; null otherwise. */
  take(code: string): string | null {
    if (code.length > 256) return null;
    const hash = digest(code);
    const link = this.pending.get(hash);
    this.pending.delete(hash);
    if (!link || link.expiresAt <= this.clock.now()) return null;
    return link.url;
  }
}

/** Whether a request's URL is a console link's (any code; the route checks it). */
export function isConsoleLinkPath(url: string): boolean {
  return url.startsWith(CONSOLE_LINK_PREFIX) && url.length > CONSOLE_LINK_PREFIX.length;
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64');
}
