import type { ProfileInfo } from '../../src-shared/profile';
import type { SsoSessionView } from '../../src-shared/sso-session';
import { assertReadable, loadProfiles, toProfileInfo, type ProfileFiles } from './config/profiles';
import { discoveredProfileInfo } from './sso/discovered-profiles';
import type { SsoServices } from './sso/sso-services';

/**
 * Every profile a user can pick: those in the AWS config, then the roles found by signing in.
 * Fails with the refusal when an AWS file is refused: then none of them can be loaded.
 */
export async function listAllProfiles(
  files: ProfileFiles | undefined,
  sso: Pick<SsoServices, 'discovered' | 'sessions'> | undefined,
  onWarning?: (warning: string) => void,
): Promise<ProfileInfo[]> {
  const catalog = await loadProfiles(files);
  assertReadable(catalog);
  for (const warning of catalog.warnings) onWarning?.(warning);
  const [discovered, sessions] = await Promise.all([sso?.discovered(), sso?.sessions()]);
  const profiles = [
    ...catalog.profiles.map(toProfileInfo),
    ...(discovered ?? []).map(discoveredProfileInfo),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sessions ? profiles.map((profile) => withSignInState(profile, sessions)) : profiles;
}

/**
 * An IAM Identity Center profile of a session that is signed out can't load until someone signs
 * in: say so, and name the session, rather than offer a load that fails.
 */
export function withSignInState(profile: ProfileInfo, sessions: SsoSessionView[]): ProfileInfo {
  if (!profile.loadable || (profile.kind !== 'sso' && profile.kind !== 'sso-legacy'))
    return profile;
  const sessionName = profile.ssoSession ?? profile.ssoStartUrl;
  const session = sessions.find((candidate) => candidate.name === sessionName);
  if (!session || session.signedIn) return profile;
  return {
    ...profile,
    loadable: false,
    notLoadableReason: `you are not signed in to ${session.name}; sign in with \`rolecall login ${session.name}\``,
    signInFirst: session.name,
  };
}
