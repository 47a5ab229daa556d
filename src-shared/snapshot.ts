/**
 * Lifecycle of one broker entry:
 * - fresh: valid and not yet due for renewal
 * - refreshing: a source call is in flight
 * - stale: still valid, past its refresh point, and renewal is failing
 * - expired: past its expiry; nothing is served
 * - failed: the source failed and there is nothing valid to serve
 */
export type EntryState = 'fresh' | 'refreshing' | 'stale' | 'expired' | 'failed';

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
}

/** The whole loaded state: which profile is in the default slot, which have named slots. */
export interface Snapshot {
  /** Profile in the default slot (`GET /`), or null when it is empty. */
  defaultProfile: string | null;
  /** Profiles with a named slot (`GET /slot/<profile>`), sorted. */
  slots: string[];
  /** One entry per loaded profile, sorted by profile name. */
  entries: EntryView[];
}

export const emptySnapshot: Snapshot = { defaultProfile: null, slots: [], entries: [] };
