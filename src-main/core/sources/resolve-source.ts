import {
  assertReadable,
  findProfile,
  loadProfiles,
  toProfileInfo,
  type ProfileCatalog,
  type ProfileFiles,
} from '../config/profiles';
import type { SessionTokens } from '../sso/session-tokens';
import { createSsoSource } from '../sso/sso-source';
import { sessionOfProfile } from '../sso/sso-sessions';
import type { DiscoveredProfile } from '../sso/discovered-profiles';
import { createProcessSource } from './process';
import { SourceError, type CredentialSource } from './source';

/**
 * Child processes of a source get this variable, so `rolecall credential-process` run as a
 * profile's own credential_process can tell it is being called by Rolecall and refuse to loop.
 */
export const SOURCE_PROFILE_ENV = 'ROLECALL_SOURCE_PROFILE';

export interface SourceResolverOptions {
  files?: ProfileFiles;
  /** IAM Identity Center: tokens per session, and roles discovered by signing in. */
  sso?: {
    tokens: SessionTokens;
    discovered: () => Promise<DiscoveredProfile[]>;
  };
}

/**
 * Reads the AWS config afresh and builds the source for one profile. Calls that arrive while a
 * read is under way share it, so restoring 1,000 slots parses the files once, not 1,000 times.
 *
 * While either file is one Rolecall refuses, every profile fails with the refusal — on load and
 * on every renewal of a profile loaded before (the broker then keeps serving what it holds until
 * it expires) — so nothing is ever fetched from a source the user did not name.
 */
export function createSourceResolver(options: SourceResolverOptions = {}) {
  let reading: Promise<ProfileCatalog> | null = null;
  const readCatalog = () =>
    (reading ??= loadProfiles(options.files).finally(() => {
      reading = null;
    }));
  const resolve = async (profile: string): Promise<CredentialSource> => {
    const catalog = await readCatalog();
    assertReadable(catalog);
    const sso = options.sso;
    // Profiles in ~/.aws/config win over discovered roles of the same name.
    if (sso && !catalog.profiles.some((config) => config.name === profile)) {
      const found = (await sso.discovered()).find((candidate) => candidate.name === profile);
      const discovered = found && detached(found);
      if (discovered) {
        return createSsoSource({
          profile,
          session: discovered.session,
          accountId: discovered.role.accountId,
          roleName: discovered.role.roleName,
          tokens: sso.tokens,
        });
      }
    }
    const config = detached(findProfile(catalog, profile));
    if (config.kind === 'credential_process' && config.notLoadableReason === undefined) {
      return createProcessSource({
        profile,
        command: config.credentialProcess,
        definedIn: config.definedIn,
        env: { ...process.env, [SOURCE_PROFILE_ENV]: profile },
      });
    }
    if (
      sso &&
      (config.kind === 'sso' || config.kind === 'sso-legacy') &&
      config.accountId &&
      config.roleName
    ) {
      return createSsoSource({
        profile,
        session: detached(sessionOfProfile(config, catalog)),
        accountId: config.accountId,
        roleName: config.roleName,
        tokens: sso.tokens,
      });
    }
    const info = toProfileInfo(config);
    throw new SourceError(
      profile,
      'not-loadable',
      `Profile ${profile} cannot be loaded: ${info.notLoadableReason ?? 'its kind is not supported'}.`,
    );
  };
  return async (profile: string): Promise<CredentialSource> => {
    const source = await resolve(profile);
    return {
      profile: source.profile,
      // The context carries the signal that stops a fetch nobody waits for any more.
      fetch: async (context) => {
        assertReadable(await readCatalog());
        return source.fetch(context);
      },
    };
  };
}

/**
 * A deep copy whose strings share no memory with the text they were parsed from. Sources live as
 * long as their slot; a string sliced from the config text keeps all of that text alive (V8 holds
 * the parent), which made 1,000 loaded profiles hold 1,000 copies of a 1 MiB config.
 */
function detached<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
