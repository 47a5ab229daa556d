import type { DiscoveredRole, SsoSessionRef } from './types';

/** A role found by signing in, under the profile name Rolecall gives it. */
export interface DiscoveredProfile {
  name: string;
  session: SsoSessionRef;
  role: DiscoveredRole;
}
