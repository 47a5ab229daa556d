import type { ProfileInfo } from '../../../src-shared/profile';
import { profileNameProblem, UNSERVABLE_NAME } from '../../../src-shared/profile-name';
import type { ProfileConfig } from './profile-config';

/** Reasons read after "Profile X cannot be loaded: ", so they are fragments without a period. */
export const NOT_LOADABLE = {
  ssoWithoutRole:
    'it names no sso_account_id and sso_role_name; sign in with `rolecall login` to list its roles',
  static: 'it holds long-lived access keys, and Rolecall serves only short-lived credentials',
} as const;

/** Why no profile of this name can be loaded, whatever it holds, or null. */
export function nameNotLoadable(name: string): string | null {
  const problem = profileNameProblem(name);
  return problem === null ? null : `its name ${problem}; ${UNSERVABLE_NAME}`;
}

/** What the UI and CLI show for a profile. Never carries a secret: the config holds none. */
export function toProfileInfo(profile: ProfileConfig): ProfileInfo {
  const info: ProfileInfo = { name: profile.name, kind: profile.kind, loadable: false };
  if (profile.region) info.region = profile.region;
  switch (profile.kind) {
    case 'credential_process':
      info.loadable = profile.notLoadableReason === undefined;
      if (profile.notLoadableReason) info.notLoadableReason = profile.notLoadableReason;
      if (profile.accountId) info.accountId = profile.accountId;
      break;
    case 'sso':
      info.loadable = Boolean(profile.accountId && profile.roleName);
      if (!info.loadable) info.notLoadableReason = NOT_LOADABLE.ssoWithoutRole;
      info.ssoSession = profile.ssoSession;
      info.ssoStartUrl = profile.startUrl;
      if (profile.accountId) info.accountId = profile.accountId;
      if (profile.roleName) info.roleName = profile.roleName;
      break;
    case 'sso-legacy':
      info.loadable = true;
      info.ssoStartUrl = profile.startUrl;
      info.accountId = profile.accountId;
      info.roleName = profile.roleName;
      break;
    case 'static':
      info.notLoadableReason = NOT_LOADABLE.static;
      break;
    case 'unsupported':
      info.notLoadableReason = profile.reason;
      break;
  }
  const badName = nameNotLoadable(profile.name);
  if (badName !== null) {
    info.loadable = false;
    info.notLoadableReason = badName;
  }
  return info;
}
