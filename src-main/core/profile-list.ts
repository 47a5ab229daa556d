import type { ProfileInfo } from '../../src-shared/profile';
import { assertReadable, loadProfiles, toProfileInfo, type ProfileFiles } from './config/profiles';
import { discoveredProfileInfo } from './sso/discovered-profiles';
import type { SsoServices } from './sso/sso-services';

/**
 * Every profile a user can pick: those in the AWS config, then the roles found by signing in.
 * Fails with the refusal when an AWS file is refused: then none of them can be loaded.
 */
export async function listAllProfiles(
  files: ProfileFiles | undefined,
  sso: Pick<SsoServices, 'discovered'> | undefined,
  onWarning?: (warning: string) => void,
): Promise<ProfileInfo[]> {
  const catalog = await loadProfiles(files);
  assertReadable(catalog);
  for (const warning of catalog.warnings) onWarning?.(warning);
  const discovered = (await sso?.discovered()) ?? [];
  return [...catalog.profiles.map(toProfileInfo), ...discovered.map(discoveredProfileInfo)].sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
