import { join } from 'node:path';
import { loadProfiles, type ProfileCatalog, type ProfileFiles } from '../config/profiles';
import type { SecretStore } from '../secrets/secret-store';
import type { DiscoveredProfile } from './discovered-profiles';
import { discoverRoles } from './discovery/discover-roles';
import { DEFAULT_PROFILE_NAME_FORMAT, profileNameFor } from './discovery/profile-names';
import type { Settings } from '../settings/settings';
import { isStale, readRoleCache, writeRoleCache } from './discovery/role-cache';
import { LogoutCommand } from '@aws-sdk/client-sso';
import { signIn, type SignInOptions } from './sign-in';
import type { SsoSessionView } from '../../../src-shared/sso-session';
import { sessionCacheKey, sessionLabel } from './session-key';
import { SessionTokens } from './session-tokens';
import { portalClient } from './sso-source';
import { listSessions, sessionOfProfile } from './sso-sessions';
import { createSsoTokenStore, type SsoTokenStore } from './token-store';
import type { SsoSessionRef, SsoToken } from './types';

export interface SsoServicesOptions {
  home: string;
  secrets: SecretStore;
  settings?: Settings;
  profileFiles?: ProfileFiles;
}

export interface SsoServices {
  tokenStore: SsoTokenStore;
  tokens: SessionTokens;
  /** Lists every account and role of a signed-in session and caches the list. */
  discover(
    session: SsoSessionRef,
    token: SsoToken,
    onProgress?: (progress: {
      accountsListed: number;
      accountsDone: number;
      roles: number;
    }) => void,
  ): Promise<{ accounts: number; roles: number }>;
  /** Every role discovered so far, across sessions, under its profile name. */
  discovered(): Promise<DiscoveredProfile[]>;
  /** Signs in (browser or device code), keeps the token, and lists the session's roles. */
  signInAndDiscover(
    session: SsoSessionRef,
    options: Pick<SignInOptions, 'flow' | 'prompt' | 'signal'> & {
      onSignedIn?: (token: SsoToken) => void;
      onProgress?: (progress: {
        accountsListed: number;
        accountsDone: number;
        roles: number;
      }) => void;
    },
  ): Promise<{ token: SsoToken; accounts: number; roles: number }>;
  /** Every configured session and whether it is signed in. No tokens. */
  sessions(): Promise<SsoSessionView[]>;
  /**
   * Signs out: the portal forgets the token (best effort), and it leaves the keychain and the AWS
   * CLI cache. Returns whether there was a sign-in and the profiles that depended on it.
   */
  signOut(session: SsoSessionRef): Promise<{ wasSignedIn: boolean; dependents: Set<string> }>;
  /** Names of all profiles (configured and discovered) that sign in through `session`. */
  profilesOfSession(session: SsoSessionRef, catalog: ProfileCatalog): Promise<Set<string>>;
}

/** The IAM Identity Center parts of the core, wired to one ROLECALL_HOME and keychain. */
export function createSsoServices(options: SsoServicesOptions): SsoServices {
  const mirrorToCliCache = options.settings?.sso?.shareWithAwsCli;
  const tokenStore = createSsoTokenStore({
    secrets: options.secrets,
    ...(mirrorToCliCache === undefined ? {} : { mirrorToCliCache }),
  });
  const tokens = new SessionTokens(tokenStore);
  const cacheDir = join(options.home, 'sso-roles');
  const format = options.settings?.sso?.profileNameFormat ?? DEFAULT_PROFILE_NAME_FORMAT;

  async function discovered(): Promise<DiscoveredProfile[]> {
    const catalog = await loadProfiles(options.profileFiles);
    const configured = new Set(catalog.profiles.map((profile) => profile.name));
    const seen = new Set<string>();
    const profiles: DiscoveredProfile[] = [];
    for (const session of listSessions(catalog)) {
      const { cache } = await readRoleCache(cacheDir, sessionCacheKey(session));
      if (cache && isStale(cache, Date.now())) refreshInBackground(session);
      for (const role of cache?.roles ?? []) {
        const name = profileNameFor(role, format);
        // A configured profile of the same name wins; so does the first session to claim a name.
        if (configured.has(name) || seen.has(name)) continue;
        seen.add(name);
        profiles.push({ name, session, role });
      }
    }
    return profiles;
  }

  const refreshing = new Set<string>();
  /**
   * Lists a session's roles again once its list is a day old, so new assignments appear without
   * a sign-in. Best effort: without a valid sign-in the old list stays until the next login.
   */
  function refreshInBackground(session: SsoSessionRef): void {
    const key = sessionCacheKey(session);
    if (refreshing.has(key)) return;
    refreshing.add(key);
    void tokens
      .valid(session)
      .then((token) => services.discover(session, token))
      .catch(() => undefined)
      .finally(() => refreshing.delete(key));
  }

  const services: SsoServices = {
    tokenStore,
    tokens,
    async discover(session, token, onProgress) {
      const roles = await discoverRoles({
        client: portalClient(session, 1),
        accessToken: token.accessToken,
        ...(onProgress ? { onProgress } : {}),
      });
      await writeRoleCache(cacheDir, sessionCacheKey(session), {
        startUrl: session.startUrl,
        region: session.region,
        roles,
      });
      return { accounts: new Set(roles.map((role) => role.accountId)).size, roles: roles.length };
    },
    discovered,
    async signInAndDiscover(session, signInOptions) {
      const token = await signIn({
        session,
        secrets: options.secrets,
        flow: signInOptions.flow,
        prompt: signInOptions.prompt,
        ...(signInOptions.signal ? { signal: signInOptions.signal } : {}),
      });
      await tokenStore.save(session, token);
      signInOptions.onSignedIn?.(token);
      const found = await services.discover(session, token, signInOptions.onProgress);
      return { token, ...found };
    },
    async sessions() {
      const catalog = await loadProfiles(options.profileFiles);
      return Promise.all(
        listSessions(catalog).map(async (session) => {
          const token = await tokenStore.load(session);
          const now = Date.now();
          return {
            name: sessionLabel(session),
            startUrl: session.startUrl,
            region: session.region,
            signedIn: token !== null && (token.expiresAt > now || Boolean(token.refreshToken)),
            expiresAt: token ? new Date(token.expiresAt).toISOString() : null,
          };
        }),
      );
    },
    async signOut(session) {
      const token = await tokenStore.load(session);
      if (token) {
        // Best effort: a portal that can't be reached must not keep the token on disk.
        await portalClient(session, 1)
          .send(new LogoutCommand({ accessToken: token.accessToken }))
          .catch(() => undefined);
      }
      await tokenStore.remove(session);
      const catalog = await loadProfiles(options.profileFiles);
      return {
        wasSignedIn: token !== null,
        dependents: await services.profilesOfSession(session, catalog),
      };
    },
    async profilesOfSession(session, catalog) {
      const key = sessionCacheKey(session);
      const names = new Set<string>();
      for (const profile of catalog.profiles) {
        if (
          (profile.kind === 'sso' || profile.kind === 'sso-legacy') &&
          sessionCacheKey(sessionOfProfile(profile, catalog)) === key
        ) {
          names.add(profile.name);
        }
      }
      for (const profile of await discovered())
        if (sessionCacheKey(profile.session) === key) names.add(profile.name);
      return names;
    },
  };
  return services;
}
