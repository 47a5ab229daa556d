import type { ProfileInfo } from '../../../src-shared/profile';
import type { ProfileConfig } from './profile-config';

/** Reasons read after "Profile X cannot be loaded: ", so they are fragments without a period. */
export const NOT_LOADABLE = {
  sso: 'IAM Identity Center profiles can be listed but not loaded yet',
  static: 'it holds long-lived access keys, and Rolecall serves only short-lived credentials',
} as const;

/** What the UI and CLI show for a profile. Never carries a secret: the config holds none. */
export function toProfileInfo(profile: ProfileConfig): ProfileInfo {
  const info: ProfileInfo = { name: profile.name, kind: profile.kind, loadable: false };
  if (profile.region) info.region = profile.region;
  switch (profile.kind) {
    case 'credential_process':
      info.loadable = true;
      if (profile.accountId) info.accountId = profile.accountId;
      break;
    case 'sso':
      info.notLoadableReason = NOT_LOADABLE.sso;
      info.ssoSession = profile.ssoSession;
      info.ssoStartUrl = profile.startUrl;
      if (profile.accountId) info.accountId = profile.accountId;
      if (profile.roleName) info.roleName = profile.roleName;
      break;
    case 'sso-legacy':
      info.notLoadableReason = NOT_LOADABLE.sso;
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
  return info;
}
