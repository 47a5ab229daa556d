import { join } from 'node:path';
import { loadProfiles, type ProfileCatalog, type ProfileFiles } from '../config/profiles';
import type { SecretStore } from '../secrets/secret-store';
import type { DiscoveredProfile } from './discovered-profiles';
import { discoverRoles, type DiscoveryProgress } from './discovery/discover-roles';
import { DEFAULT_PROFILE_NAME_FORMAT, profileNameFor } from './discovery/profile-names';
import type { Settings } from '../settings/settings';
import { isStale, readRoleCache, writeRoleCache } from './discovery/role-cache';
import { LogoutCommand } from '@aws-sdk/client-sso';
import { signIn, type SignInOptions, type SignInPrompt } from './sign-in';
import type { SsoSessionView } from '../../../src-shared/sso-session';
import {
  cancelledElsewhere,
  pendingSignInView,
  SignInLocks,
  type HeldSignIn,
  type SignInRecord,
} from './sign-in-lock';
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
    onProgress?: (progress: DiscoveryProgress) => void,
  ): Promise<{ accounts: number; roles: number }>;
  /** Every role discovered so far, across sessions, under its profile name. */
  discovered(): Promise<DiscoveredProfile[]>;
  /**
   * Signs in (browser or device code), keeps the token, and lists the session's roles. One sign-in
   * per session at a time, across processes: while another waits, this throws
   * `SignInWaitingError` saying where.
   */
  signInAndDiscover(
    session: SsoSessionRef,
    options: Pick<SignInOptions, 'flow' | 'prompt' | 'signal'> & {
      /** Who asks: Rolecall's own UIs, or `rolecall login` in a terminal. Default 'app'. */
      startedBy?: SignInRecord['startedBy'];
      onSignedIn?: (token: SsoToken) => void;
      onProgress?: (progress: DiscoveryProgress) => void;
    },
  ): Promise<{ token: SsoToken; accounts: number; roles: number }>;
  /**
   * Calls `listener` each time a sign-in started in this process has kept its token (before its
   * roles are listed), until the returned function is called: what waits for the session (a
   * question `sso:<session>`) can go on.
   */
  onSignedIn(listener: (session: SsoSessionRef) => void): () => void;
  /** Every configured session, whether it is signed in, and any sign-in waiting. No tokens. */
  sessions(): Promise<SsoSessionView[]>;
  /** Cancels the sign-in waiting for a session, wherever it was started; null when none was. */
  cancelSignIn(session: SsoSessionRef): Promise<SignInRecord | null>;
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
  const locks = new SignInLocks(join(options.home, 'sign-ins'));
  /** Sign-ins this process holds, so a cancel here takes effect at once. */
  const heldHere = new Map<string, AbortController>();
  const format = options.settings?.sso?.profileNameFormat ?? DEFAULT_PROFILE_NAME_FORMAT;
  const signedInListeners = new Set<(session: SsoSessionRef) => void>();

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
      const held = await locks.acquire(session, {
        flow: signInOptions.flow,
        startedBy: signInOptions.startedBy ?? 'app',
      });
      const key = sessionCacheKey(session);
      const controller = new AbortController();
      const outer = signInOptions.signal;
      const forward = () => controller.abort(outer?.reason);
      if (outer?.aborted) forward();
      outer?.addEventListener('abort', forward, { once: true });
      heldHere.set(key, controller);
      const stopWatching = held.watch(() => controller.abort(cancelledElsewhere(session)));
      let token: SsoToken;
      try {
        token = await signIn({
          session,
          secrets: options.secrets,
          flow: signInOptions.flow,
          prompt: reportingTo(held, signInOptions.flow, signInOptions.prompt),
          signal: controller.signal,
          keep: async (signedIn) => {
            // A sign-in cancelled at the last moment keeps nothing.
            if (!(await held.stillHeld())) throw cancelledElsewhere(session);
            await tokenStore.save(session, signedIn);
          },
        });
      } finally {
        stopWatching();
        outer?.removeEventListener('abort', forward);
        if (heldHere.get(key) === controller) heldHere.delete(key);
        await held.release();
      }
      signInOptions.onSignedIn?.(token);
      for (const listener of signedInListeners) listener(session);
      const found = await services.discover(session, token, signInOptions.onProgress);
      return { token, ...found };
    },
    onSignedIn(listener) {
      signedInListeners.add(listener);
      return () => signedInListeners.delete(listener);
    },
    async cancelSignIn(session) {
      const cancelled = await locks.cancel(session);
      heldHere.get(sessionCacheKey(session))?.abort(cancelledElsewhere(session));
      return cancelled;
    },
    async sessions() {
      const catalog = await loadProfiles(options.profileFiles);
      return Promise.all(
        listSessions(catalog).map(async (session) => {
          const [token, waiting] = await Promise.all([
            tokenStore.load(session),
            locks.current(session),
          ]);
          const now = Date.now();
          const renewable = Boolean(token?.refreshToken && token.registration);
          const view: SsoSessionView = {
            name: sessionLabel(session),
            startUrl: session.startUrl,
            region: session.region,
            signedIn: token !== null && (token.expiresAt > now || renewable),
            expiresAt: token ? new Date(token.expiresAt).toISOString() : null,
            ...(token && renewable ? { renewable: true } : {}),
            ...(waiting ? { signingIn: true, signIn: pendingSignInView(waiting) } : {}),
          };
          return view;
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

/**
 * The caller's prompt, telling the sign-in's record first where it waits, so a second sign-in
 * (in another process too) can say so.
 */
function reportingTo(
  held: HeldSignIn,
  flow: SignInRecord['flow'],
  prompt: SignInPrompt,
): SignInPrompt {
  return {
    showDeviceCode: (info) => {
      void held
        .update({
          userCode: info.userCode,
          verificationUri: info.verificationUri,
          ...(info.verificationUriComplete ? { url: info.verificationUriComplete } : {}),
        })
        .finally(() => prompt.showDeviceCode?.(info));
    },
    openUrl: async (url) => {
      if (flow === 'pkce') await held.update({ inBrowser: true });
      return (await prompt.openUrl?.(url)) ?? false;
    },
    showUrl: (url) => prompt.showUrl?.(url),
  };
}
