import { findProfile, loadProfiles, toProfileInfo, type ProfileFiles } from '../config/profiles';
import { createProcessSource } from './process';
import { SourceError, type CredentialSource } from './source';

/**
 * Child processes of a source get this variable, so `rolecall credential-process` run as a
 * profile's own credential_process can tell it is being called by Rolecall and refuse to loop.
 */
export const SOURCE_PROFILE_ENV = 'ROLECALL_SOURCE_PROFILE';

/** Reads the AWS config afresh and builds the source for one profile. */
export function createSourceResolver(files: ProfileFiles = {}) {
  return async (profile: string): Promise<CredentialSource> => {
    const catalog = await loadProfiles(files);
    const config = findProfile(catalog, profile);
    if (config.kind === 'credential_process') {
      return createProcessSource({
        profile,
        command: config.credentialProcess,
        definedIn: config.definedIn,
        env: { ...process.env, [SOURCE_PROFILE_ENV]: profile },
      });
    }
    const info = toProfileInfo(config);
    throw new SourceError(
      profile,
      'not-loadable',
      `Profile ${profile} cannot be loaded: ${info.notLoadableReason ?? 'its kind is not supported'}.`,
    );
  };
}
