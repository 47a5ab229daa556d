import type { InputRequestView } from './input-request';

/**
 * Lifecycle of one broker entry:
 * - fresh: valid and not yet due for renewal
 * - refreshing: a source call is in flight
 * - stale: still valid, past its refresh point, and renewal is failing
 * - expired: past its expiry; nothing is served
 * - failed: the source failed and there is nothing valid to serve
 * - needs-input: renewing waits for a person (an MFA code, a sign-in); what is still valid is
 *   served meanwhile
 */
export type EntryState = 'fresh' | 'refreshing' | 'stale' | 'expired' | 'failed' | 'needs-input';

/** One loaded profile, as every UI sees it. No secrets. */
export interface EntryView {
  profile: string;
  state: EntryState;
  /** RFC 3339, or null for credentials that do not expire. */
  expiresAt: string | null;
  /** RFC 3339 time of the last successful fetch. */
  refreshedAt: string | null;
  /** RFC 3339 time of the next planned refresh, when one is planned. */
  nextRefreshAt: string | null;
  lastError: string | null;
  refreshCount: number;
  accountId?: string;
  /** Only where the source knows the role's ARN (IAM Identity Center does not say it). */
  roleArn?: string;
  roleName?: string;
  /** Credentials pushed over the ECS API have no source and cannot be refreshed. */
  refreshable: boolean;
  /**
   * The profiles this one's credentials are made from, nearest first (an assumed role's
   * source_profile); each is an entry of its own. Absent when there are none.
   */
  parents?: string[];
  /** The key of the question its renewal waits for (see `Snapshot.inputRequests`). */
  waitingFor?: string;
}

/** Which slot a load fills: the default one (`GET /`) or the profile's own (`/slot/<profile>`). */
export type SlotKind = 'default' | 'named';

/** A load still waiting for its source; it fills its slot when the source answers. */
export interface LoadingView {
  profile: string;
  slot: SlotKind;
  /** RFC 3339 time the load began (the earliest, when several wait for the same). */
  startedAt: string;
}

/** The whole loaded state: which profile is in the default slot, which have named slots. */
export interface Snapshot {
  /** Profile in the default slot (`GET /`), or null when it is empty. */
  defaultProfile: string | null;
  /** Profiles with a named slot (`GET /slot/<profile>`), sorted. */
  slots: string[];
  /** One entry per loaded profile, sorted by profile name. */
  entries: EntryView[];
  /** Loads still waiting for their source, oldest first; absent when there are none. */
  loading?: LoadingView[];
  /**
   * Why the slots as they are now will not survive a restart (the layout could not be saved), in
   * words for the user; absent when the layout is saved.
   */
  notSaved?: string;
  /** Questions waiting for a person, oldest first; absent when there are none. */
  inputRequests?: InputRequestView[];
  /** Bearer tokens (OAuth2, ...) sorted by name; absent when none are defined. */
  tokens?: TokenView[];
  /**
   * Counts the broker's changes: a snapshot with a higher one describes a later state. A window
   * gets snapshots by two ways — pushed as they change, and in the answers to its own calls — which
   * can arrive out of order; it keeps the latest (see isLaterSnapshot).
   */
  revision?: number;
}

/**
 * Whether `incoming` may replace `current`: not when both carry a revision and `incoming`'s is
 * lower, which is an answer that left the server before a change the window already shows.
 */
export function isLaterSnapshot(current: Snapshot, incoming: Snapshot): boolean {
  return (
    current.revision === undefined ||
    incoming.revision === undefined ||
    incoming.revision >= current.revision
  );
}

/**
 * `needs-input`: a person must give a new secret (a refused refresh token); `stale`: renewals
 * fail but the token held is still good; the others as for credentials.
 */
export type TokenState = 'fresh' | 'refreshing' | 'stale' | 'expired' | 'failed' | 'needs-input';

/** What every UI may know of a token: never the token itself, nor any secret behind it. */
export interface TokenView {
  name: string;
  /** The kind of source, in words ("OAuth2 client credentials"). */
  description: string;
  state: TokenState;
  /** RFC 3339, or null when the token names no expiry or none is held. */
  expiresAt: string | null;
  refreshedAt: string | null;
  /** The next renewal the timer will start; null when nothing renews by itself (lazy, stopped). */
  nextRefreshAt: string | null;
  lastError: string | null;
  lazy: boolean;
  /**
   * False when renewals have stopped until a person acts (a refused refresh token, a client the
   * issuer refused): the token held runs out unless someone gives a new secret or renews by hand.
   */
  renewable: boolean;
}

/** What one load produced, told to its caller whatever happens to the profile afterwards. */
export interface LoadedView {
  profile: string;
  slot: SlotKind;
  /** RFC 3339 expiry of the credentials this load obtained, or null when they do not expire. */
  expiresAt: string | null;
}

/** The answer to a load: the snapshot after it, and what the load itself produced. */
export interface LoadAnswer extends Snapshot {
  loaded: LoadedView;
}

export const emptySnapshot: Snapshot = { defaultProfile: null, slots: [], entries: [] };
