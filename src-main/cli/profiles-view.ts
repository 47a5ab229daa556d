import type { ProfileInfo } from '../../src-shared/profile';
import { profileChainWords } from '../../src-shared/profile-chain';
import { formatTable } from './table';

/**
 * What `rolecall profiles` prints: each profile, its kind, whether it can be loaded, and what it
 * is made of — for an assumed role the whole chain down to its first source
 * (`admin ← base (keys in keychain, MFA)`) — or exactly why it cannot be loaded.
 */
export function formatProfiles(profiles: ProfileInfo[]): string {
  const byName = new Map(profiles.map((profile) => [profile.name, profile]));
  return formatTable(
    ['PROFILE', 'KIND', 'LOADABLE', 'DETAIL'],
    profiles.map((profile) => [
      displayName(profile.name),
      profile.kind,
      profile.loadable ? 'yes' : 'no',
      profile.loadable ? detail(profile, byName) : (profile.notLoadableReason ?? ''),
    ]),
  );
}

function detail(profile: ProfileInfo, byName: ReadonlyMap<string, ProfileInfo>): string {
  if (profile.kind === 'assume-role' || profile.kind === 'static') {
    const chain = profileChainWords({ ...profile, name: displayName(profile.name) }, byName);
    if (chain) return chain;
  }
  if (profile.kind === 'web-identity')
    return [profile.roleArn, profile.region].filter(Boolean).join(' ');
  if (profile.kind === 'cognito')
    return [profile.cognitoUserPoolId, profile.roleArn ?? 'enhanced flow']
      .filter(Boolean)
      .join(' ');
  return [profile.accountId, profile.roleName, profile.region].filter(Boolean).join(' ');
}

/**
 * A name as the table shows it: as written, unless that would hide it (empty, spaces at either
 * end) or let it move the terminal's cursor (control characters); then as a JSON string.
 */
function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const hidden = name === '' || /[\u0000-\u001f\u007f-\u009f]/.test(name) || name.trim() !== name;
  if (!hidden) return name;
  return JSON.stringify(name).replace(
    /[\u007f-\u009f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
