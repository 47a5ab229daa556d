import type { ApiHandlers } from '../../src-shared/api';
import type { ServerInfo } from '../../src-shared/server-info';
import { loadedMadeFrom } from '../../src-shared/made-from';
import type { BearerToken } from './bearer-token';
import { containerEnv, formatEnv } from './env-format';
import { authorizationValue } from './server/auth';
import type { ImportService } from './import/import-service';
import type { SettingsService } from './settings/settings-service';
import { Broker, type SourceResolver } from './broker/broker';
import type { BrokerStore } from './broker/persistence';
import type { RefreshPolicy } from './broker/refresh-policy';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { loadProfiles, toProfileInfo, type ProfileFiles } from './config/profiles';
import { signInQuestionKey } from './sso/sign-in-question';
import { pickSession } from './sso/sso-sessions';
import type { SsoServices } from './sso/sso-services';
import { UiSignIns } from './sso/ui-sign-in';
import { RolecallError } from './errors';
import type { SecretStore } from './secrets/secret-store';
import { createSourceResolver, type SourceResolverOptions } from './sources/resolve-source';
import { createCognitoSecrets } from './cognito/cognito-secrets';
import { listAllProfiles } from './profile-list';
import { createConsoleService } from './console/console-service';
import type { SignInUrlOverride } from './console/sign-in-endpoint';

export interface CoreOptions {
  secrets: SecretStore;
  clock?: Clock;
  policy?: RefreshPolicy;
  profileFiles?: ProfileFiles;
  /** Where slots and credentials survive restarts; none for throwaway cores in tests. */
  store?: BrokerStore;
  /** IAM Identity Center: session tokens and discovered roles. */
  sso?: SsoServices;
  /** Tests replace the config-driven resolver with fakes. */
  resolveSource?: SourceResolver;
  /**
   * What sources made from other credentials need: the keychain's long-lived keys, STS, the
   * session length, and where a warning about keys left in a file goes.
   */
  sources?: Pick<
    SourceResolverOptions,
    'keys' | 'createStsClient' | 'sessionDurationSeconds' | 'onWarning'
  >;
  /** What getServerInfo answers; set by the host once it listens. */
  serverInfo?: () => ServerInfo | null;
  /** The server's bearer token (for copying exports, reveal and rotate). */
  bearer?: BearerToken;
  /**
   * Removes a bearer token's definition and keychain item and drops its broker entry (tokens.json
   * lives in the host's home); false when there was none. Without it, `removeToken` says it is
   * unavailable.
   */
  removeToken?: (name: string) => Promise<boolean>;
  /** settings.json behind the settings panel. */
  settings?: SettingsService;
  /** Moving in from Leapp or aws-vault; without it, the import calls say they are unavailable. */
  imports?: ImportService;
  /** A new one-time link to the web UI under the server's base URL, where there is a web UI. */
  uiLink?: (serverUrl: string) => string;
  /** Opening the AWS console as a profile; without it, `consoleSignIn` says it is unavailable. */
  console?: {
    /** How long a console session is asked to last, in seconds; read at each sign-in. */
    sessionSeconds: () => number;
    /** The sign-in URL that replaces the partition's (ROLECALL_SIGNIN_URL, a setting). */
    signInUrlOverride: () => SignInUrlOverride | undefined;
    /**
     * A new one-time link under the server's base URL that sends a browser on to `url`, which
     * works until `urlExpiresAt`.
     */
    link: (
      serverUrl: string,
      url: string,
      urlExpiresAt: number,
    ) => { url: string; expiresAt: number };
    fetch?: typeof fetch;
  };
}

export interface Core {
  broker: Broker;
  api: ApiHandlers;
  secrets: SecretStore;
  clock: Clock;
}

/** The composition root: the broker and the RolecallApi handlers every UI and the server use. */
export function createCore(options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const broker = new Broker({
    clock,
    policy: options.policy,
    store: options.store,
    resolveSource:
      options.resolveSource ??
      createSourceResolver({
        ...(options.profileFiles ? { files: options.profileFiles } : {}),
        ...(options.sso ? { sso: options.sso } : {}),
        cognito: { secrets: createCognitoSecrets(options.secrets) },
        ...options.sources,
      }),
  });

  const signIns = options.sso ? new UiSignIns(options.sso) : null;
  const ssoOrRefuse = (): { sso: SsoServices; signIns: UiSignIns } => {
    if (!options.sso || !signIns)
      throw new RolecallError(
        'sso-unavailable',
        'IAM Identity Center is not set up in this Rolecall.',
        501,
      );
    return { sso: options.sso, signIns };
  };
  const sessionViews = async () =>
    options.sso
      ? (await options.sso.sessions()).map((session) => {
          const local = signIns?.status(session.name);
          return {
            ...session,
            ...local,
            ...(session.signingIn || local?.signingIn ? { signingIn: true } : {}),
          };
        })
      : [];

  const listening = (): ServerInfo => {
    const info = options.serverInfo?.();
    if (!info)
      throw new RolecallError('not-listening', 'The credentials server is not listening.', 503);
    return info;
  };
  const listeningFor = (what: string): string => {
    const info = options.serverInfo?.();
    if (!info)
      throw new RolecallError(
        'not-listening',
        `${what}, which is off; turn it on, or ask for the sign-in URL itself (\`rolecall console --print\`).`,
        503,
      );
    return info.url;
  };
  const bearer = (): BearerToken => options.bearer ?? unavailable('The bearer token');
  const settings = (): SettingsService => options.settings ?? unavailable('Settings');
  const imports = (): ImportService => options.imports ?? unavailable('Importing');
  const tokenView = (token: string) => ({ token, authorization: authorizationValue(token) });
  const consoleOptions = options.console;
  const consoleSignIn = consoleOptions
    ? createConsoleService({
        broker,
        clock,
        ...(options.profileFiles ? { profileFiles: options.profileFiles } : {}),
        ...(options.sso ? { sso: options.sso } : {}),
        ...(options.sources?.keys ? { keys: options.sources.keys } : {}),
        ...(options.sources?.createStsClient
          ? { createStsClient: options.sources.createStsClient }
          : {}),
        sessionSeconds: consoleOptions.sessionSeconds,
        signInUrlOverride: consoleOptions.signInUrlOverride,
        ...(consoleOptions.fetch ? { fetch: consoleOptions.fetch } : {}),
      })
    : null;

  const api: ApiHandlers = {
    getSnapshot: async () => broker.snapshot(),
    listProfiles: async () =>
      listAllProfiles(options.profileFiles, options.sso, undefined, options.sources?.keys),
    awsDefaultProfile: async () => {
      const catalog = await loadProfiles(options.profileFiles).catch(() => null);
      if (catalog === null || catalog.refusals.length > 0) return null;
      const fallback = catalog.profiles.find((profile) => profile.name === 'default');
      return fallback ? toProfileInfo(fallback) : null;
    },
    getServerInfo: async () => listening(),
    loadProfile: async ({ profile, slot, refreshEverySeconds, mfaCode, reuseHeld }, call) => {
      const loaded = await broker.load(profile, {
        slot: slot ?? false,
        ...(refreshEverySeconds !== undefined && {
          policy: { everyMs: refreshEverySeconds * 1000 },
        }),
        ...(call?.signal ? { signal: call.signal } : {}),
        ...(mfaCode !== undefined ? { mfaCode } : {}),
        ...(reuseHeld ? { reuseHeld } : {}),
      });
      return {
        ...broker.snapshot(),
        loaded: {
          ...loaded,
          expiresAt: loaded.expiresAt === null ? null : isoTime(loaded.expiresAt),
        },
      };
    },
    unloadProfile: async ({ profile }) => {
      broker.assertUnloadable(profile);
      if (!broker.unload(profile)) {
        throw new RolecallError('not-loaded', `Profile ${profile} is not loaded.`, 404);
      }
      // The answer says whether the change was saved for the next start.
      await broker.layoutWritten();
      return broker.snapshot();
    },
    unloadAll: async () => {
      broker.unloadAll();
      await broker.layoutWritten();
      return broker.snapshot();
    },
    listSessions: sessionViews,
    startSignIn: async ({ session: name, flow }) => {
      const { signIns } = ssoOrRefuse();
      const session = pickSession(await loadProfiles(options.profileFiles), name);
      return signIns.start(session, flow ?? 'pkce');
    },
    cancelSignIn: async ({ session: name }) => {
      const { signIns } = ssoOrRefuse();
      await signIns.cancel(pickSession(await loadProfiles(options.profileFiles), name));
      return sessionViews();
    },
    signOut: async ({ session: name }) => {
      const { sso } = ssoOrRefuse();
      const session = pickSession(await loadProfiles(options.profileFiles), name);
      const { dependents } = await sso.signOut(session);
      // Roles assumed from the session's roles go too: they were made from the session.
      for (const profile of loadedMadeFrom(broker.snapshot(), dependents)) broker.unload(profile);
      await broker.layoutWritten();
      return broker.snapshot();
    },
    getEnvExports: async ({ profile, format }) => {
      const info = listening();
      const variables = containerEnv({
        url: info.url,
        authorization: authorizationValue(bearer().current()),
        ...(info.caFile ? { caFile: info.caFile } : {}),
        ...(profile ? { profile } : {}),
      });
      return { text: formatEnv(variables, format) };
    },
    revealToken: async () => tokenView(bearer().current()),
    rotateToken: async () => tokenView(await bearer().rotate()),
    createUiLink: async () => {
      if (!options.uiLink)
        throw new RolecallError(
          'no-web-ui',
          'This Rolecall serves no web UI; start it with `rolecall serve --ui`.',
          404,
        );
      return { url: options.uiLink(listening().url) };
    },
    answerInput: async ({ key, answer }) => {
      broker.answerInput(key, answer);
      return broker.snapshot();
    },
    dismissInput: async ({ key }) => {
      broker.dismissInput(key);
      return broker.snapshot();
    },
    consoleSignIn: async ({ deliver, ...request }, call) => {
      if (!consoleSignIn || !consoleOptions) unavailable('Opening the AWS console');
      // Where the link would point, before any credentials are fetched for it.
      const serverUrl =
        deliver === 'link'
          ? listeningFor('Opening the console in a browser goes through the credentials server')
          : null;
      const signIn = await consoleSignIn(request, call?.signal);
      const delivered =
        serverUrl === null
          ? { url: signIn.url, expiresAt: signIn.expiresAt }
          : consoleOptions.link(serverUrl, signIn.url, signIn.expiresAt);
      return {
        profile: signIn.profile,
        url: delivered.url,
        delivered: deliver,
        expiresAt: isoTime(delivered.expiresAt),
        sessionEndsAt: signIn.sessionEndsAt === null ? null : isoTime(signIn.sessionEndsAt),
        ...(signIn.note ? { note: signIn.note } : {}),
        loadedIntoSlot: signIn.loadedIntoSlot,
      };
    },
    renewToken: async ({ name }) => {
      await broker.tokens.renewNow(name);
      return broker.snapshot();
    },
    removeToken: async ({ name }) => {
      const remove = options.removeToken ?? unavailable('Removing tokens');
      if (!(await remove(name))) {
        throw new RolecallError(
          'unknown-token',
          `No token is named ${JSON.stringify(name)}; \`rolecall oauth list\` names those there are.`,
          404,
        );
      }
      return broker.snapshot();
    },
    getSettings: async () => settings().view(),
    updateSettings: async (patch) => settings().update(patch),
    previewImport: async ({ from }) => imports().preview(from),
    runImport: async ({ from }) => imports().run(from),
  };

  // A sign-in finished here (the window, the tray, the web UI) answers the question the session's
  // profiles wait on; `rolecall login` in a terminal answers it over the API itself.
  options.sso?.onSignedIn((session) => {
    const key = signInQuestionKey(session);
    if (!broker.snapshot().inputRequests?.some((question) => question.key === key)) return;
    api.answerInput({ key, answer: 'signed-in' }).catch(() => undefined);
  });

  return { broker, api, secrets: options.secrets, clock };
}

function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function unavailable(what: string): never {
  throw new RolecallError('unavailable', `${what} is not available in this Rolecall.`, 501);
}
