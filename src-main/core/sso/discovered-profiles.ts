import type { ProfileInfo } from '../../../src-shared/profile';
import type { DiscoveredRole, SsoSessionRef } from './types';

/** A role found by signing in, under the profile name Rolecall gives it. */
export interface DiscoveredProfile {
  name: string;
  session: SsoSessionRef;
  role: DiscoveredRole;
}

export function discoveredProfileInfo(profile: DiscoveredProfile): ProfileInfo {
  return {
    name: profile.name,
    kind: 'sso',
    loadable: true,
    discovered: true,
    accountId: profile.role.accountId,
    accountName: profile.role.accountName,
    roleName: profile.role.roleName,
    ssoStartUrl: profile.session.startUrl,
    ...(profile.session.name ? { ssoSession: profile.session.name } : {}),
  };
}
