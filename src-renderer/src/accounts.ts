import type { ProfileInfo } from '../../src-shared/profile';

/** The group of profiles that are not in an IAM Identity Center or role account we can name. */
export const OTHER_PROFILES = 'Other profiles';

/** A stable key for a profile's account: its id, or the group of the rest. */
export function accountKey(profile: Pick<ProfileInfo, 'accountId'>): string {
  return profile.accountId ?? OTHER_PROFILES;
}

/** "Production (111122223333)", "Account (111122223333)", or "Other profiles". */
export function accountTitle(profile: Pick<ProfileInfo, 'accountId' | 'accountName'>): string {
  return profile.accountId
    ? `${profile.accountName ?? 'Account'} (${profile.accountId})`
    : OTHER_PROFILES;
}

export interface AccountGroup {
  key: string;
  title: string;
  /** The account's name alone, when it has one, for the heading's first line. */
  name: string;
  accountId: string | null;
  profiles: ProfileInfo[];
}

/** Profiles grouped by account, in the order they come; the group of the rest last. */
export function groupByAccount(profiles: readonly ProfileInfo[]): AccountGroup[] {
  const groups = new Map<string, AccountGroup>();
  for (const profile of profiles) {
    const key = accountKey(profile);
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        title: accountTitle(profile),
        name: profile.accountId ? (profile.accountName ?? 'Account') : OTHER_PROFILES,
        accountId: profile.accountId ?? null,
        profiles: [],
      };
      groups.set(key, group);
    }
    group.profiles.push(profile);
  }
  const other = groups.get(OTHER_PROFILES);
  groups.delete(OTHER_PROFILES);
  return [...groups.values(), ...(other ? [other] : [])];
}
