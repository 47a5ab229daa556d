import type { ProfileInfo } from '../../src-shared/profile';
import type { SsoSessionView } from '../../src-shared/sso-session';
import { assertReadable, loadProfiles, toProfileInfo, type ProfileFiles } from './config/profiles';
import { errorMessage } from './errors';
import type { KeyStore } from './keys/key-store';
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
  keys?: Pick<KeyStore, 'profiles'>,
): Promise<ProfileInfo[]> {
  const catalog = await loadProfiles(files, await keychainProfiles(keys, onWarning));
  assertReadable(catalog);
  for (const warning of catalog.warnings) onWarning?.(warning);
  const [discovered, sessions] = await Promise.all([sso?.discovered(), sso?.sessions()]);
  const profiles = [
    ...catalog.profiles.map(toProfileInfo),
    ...(discovered ?? []).map(discoveredProfileInfo),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sessions
    ? withChainsSignInState(profiles.map((profile) => withSignInState(profile, sessions)))
    : profiles;
}

/**
 * The profiles whose keys the keychain holds. A keychain that can't be listed leaves them out —
 * every other profile is still listed — and says so.
 */
async function keychainProfiles(
  keys: Pick<KeyStore, 'profiles'> | undefined,
  onWarning?: (warning: string) => void,
): Promise<string[]> {
  try {
    return (await keys?.profiles()) ?? [];
  } catch (error) {
    onWarning?.(
      `The keychain, where \`rolecall keys\` keeps long-lived keys, could not be read, so profiles whose keys are there are not listed: ${errorMessage(error)}`,
    );
    return [];
  }
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

/**
 * An assumed role whose chain starts at a profile that waits for a sign-in waits for it too: say
 * so, and which session, as for that profile, rather than offer a load that waits for a sign-in.
 */
export function withChainsSignInState(profiles: ProfileInfo[]): ProfileInfo[] {
  const byName = new Map(profiles.map((profile) => [profile.name, profile]));
  return profiles.map((profile) => {
    const chain = profile.chain ?? [];
    const root = byName.get(chain.at(-1) ?? '');
    if (!profile.loadable || profile.kind !== 'assume-role' || !root?.signInFirst) return profile;
    const what =
      chain.length === 1
        ? `its source_profile ${root.name}`
        : `its chain ${[profile.name, ...chain].join(' ← ')}`;
    return {
      ...profile,
      loadable: false,
      notLoadableReason: `${what} cannot be loaded yet: ${root.notLoadableReason ?? `you are not signed in to ${root.signInFirst}`}`,
      signInFirst: root.signInFirst,
    };
  });
}
