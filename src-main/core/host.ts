import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ServerInfo } from '../../src-shared/server-info';
import { loadBearerToken } from './bearer-token';
import { systemClock, type Clock } from './clock';
import { loadProfiles, type ProfileFiles } from './config/profiles';
import { brokerEventWords } from './broker/event-words';
import { createBrokerStore } from './broker/persistence';
import type { SourceResolver } from './broker/broker';
import { createCore, type Core } from './core';
import {
  consoleSessionSeconds,
  loadSettings,
  sessionDurationSeconds,
  type Settings,
} from './settings/settings';
import { ConsoleLinks } from './server/console-links';
import { SIGN_IN_URL_ENV } from './console/sign-in-endpoint';
import { createKeyStore } from './keys/key-store';
import { resolveProfileFiles } from './config/config-paths';
import { createImportService } from './import/import-service';
import { createStsClient } from './sts/sts-client';
import {
  createSettingsService,
  type LoginItem,
  type ServerSettings,
} from './settings/settings-service';
import { createSsoServices, type SsoServices } from './sso/sso-services';
import { ensureTlsMaterial, type TlsMaterial } from './tls/tls-material';
import { RolecallError } from './errors';
import type { Logger } from './logger';
import { acquireInstanceLock, type InstanceApp, type InstanceLock } from './runtime/instance-lock';
import { removeRuntimeFile, runtimeFilePath, writeRuntimeFile } from './runtime/runtime-file';
import type { SecretStore } from './secrets/secret-store';
import { checkSecretStore } from './secrets/keytar-store';
import { buildServer } from './server/app';
import { TokenRegistry } from './tokens/token-registry';
import { removeToken } from './tokens/token-admin';
import { UiSessions } from './server/ui-sessions';
import { assertLoopbackHost } from './server/loopback';
import type { UnixSocketOptions } from './server/unix-socket';
import { ROLECALL_VERSION } from './version';
import { DEFAULT_HOST, DEFAULT_PORT, urlHost } from './default-address';

// Where the server listens unless told otherwise, in a module of its own for the CLI's hot paths.
export { DEFAULT_HOST, DEFAULT_PORT, urlHost };
/** Twice a day is plenty for a leaf renewed 30 days before it expires. */
const TLS_RENEWAL_CHECK_MS = 12 * 60 * 60 * 1000;

export interface HostOptions {
  home: string;
  secrets: SecretStore;
  host?: string;
  /** An explicit port (--port, ROLECALL_PORT) wins over the `server.port` setting. */
  port?: number;
  logger?: Logger;
  clock?: Clock;
  profileFiles?: ProfileFiles;
  /** Serve HTTPS; undefined means the `server.tls` setting decides. */
  tls?: boolean;
  /** Serve the web UI (the built renderer in this directory) at /ui/. */
  uiRoot?: string;
  /** Also serve the endpoint on this Unix socket (`rolecall serve --socket`). */
  socket?: UnixSocketOptions;
  /**
   * Move the server when its port or TLS setting changes (the desktop app). Without it, changes
   * are saved for the next start: a browser UI served by this very server would lose its page.
   */
  applyServerSettingsLive?: boolean;
  /** The desktop app's start-at-login switch. */
  loginItem?: LoginItem;
  /** Told about every saved settings change. */
  onSettingsChanged?: (settings: Settings) => void;
  /** Tests replace the config-driven sources with fakes (a source that asks a question). */
  resolveSource?: SourceResolver;
  /** Where ROLECALL_SIGNIN_URL is read (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Which Rolecall this is, as another start with the same home is told (default: serve). */
  app?: InstanceApp;
}

export interface RunningHost {
  core: Core;
  sso: SsoServices;
  /** Where the server listened at start. */
  info: ServerInfo;
  /** Where it listens now, or null while it is turned off. */
  currentInfo(): ServerInfo | null;
  serving(): boolean;
  /** Turns the credentials server off or on; the core (and its renewals) keep running. */
  setServing(on: boolean): Promise<void>;
  /** The settings as last saved. */
  settings(): Settings;
  close(): Promise<void>;
}

/**
 * Starts the core and its credentials server: the one start-up sequence shared by `rolecall serve`
 * and the desktop app. Every failure is a RolecallError with a message for the user.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const host = options.host ?? DEFAULT_HOST;
  assertLoopbackHost(host);

  // Before anything touches the home: one Rolecall per ROLECALL_HOME, held until close().
  const lock = await acquireInstanceLock(options.home, options.app ?? 'serve');
  try {
    return await startLocked(options, host, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function startLocked(
  options: HostOptions,
  host: string,
  lock: InstanceLock,
): Promise<RunningHost> {
  // Holding the lock, any runtime file is one a killed server left behind.
  await rm(runtimeFilePath(options.home), { force: true });
  await checkSecretStore(options.secrets);
  const bearer = await loadBearerToken(options.secrets);

  const loaded = await loadSettings(options.home);
  for (const warning of loaded.warnings) options.logger?.warn(warning);
  /** The settings in effect, as the Settings panel changes them; read at each renewal. */
  let current = loaded.settings;
  if (options.logger) await logProfileProblems(options.profileFiles, options.logger);
  const store = createBrokerStore({
    home: options.home,
    secrets: options.secrets,
    logger: options.logger,
  });

  const sso = createSsoServices({
    home: options.home,
    secrets: options.secrets,
    settings: loaded.settings,
    ...(options.profileFiles ? { profileFiles: options.profileFiles } : {}),
  });

  let serverConfig: ServerSettings = {
    port: options.port ?? loaded.settings.server?.port ?? DEFAULT_PORT,
    tls: options.tls ?? loaded.settings.server?.tls ?? false,
  };
  let info: ServerInfo | null = null;
  const uiSessions = options.uiRoot ? new UiSessions(options.clock ?? systemClock) : null;
  const consoleLinks = new ConsoleLinks(options.clock ?? systemClock);
  const env = options.env ?? process.env;
  const settingsService = createSettingsService({
    home: options.home,
    initial: loaded.settings,
    defaultPort: DEFAULT_PORT,
    inEffect: () => ({ port: info?.port ?? null, tls: serverConfig.tls }),
    ...(options.applyServerSettingsLive
      ? { applyServer: (next: ServerSettings) => moveServer(next) }
      : { serverNote: serverSettingsNote(options) }),
    ...(options.loginItem ? { loginItem: options.loginItem } : {}),
    onChange: (settings, policy) => {
      current = settings;
      core.broker.setPolicy(policy);
      options.onSettingsChanged?.(settings);
    },
  });
  const core = createCore({
    secrets: options.secrets,
    // Through the registry, so it forgets the definition too (`tokens` exists before any call).
    removeToken: async (name) => {
      const found = await removeToken(name, { home: options.home, secrets: options.secrets });
      await tokens.sync();
      return found;
    },
    sources: {
      keys: createKeyStore(options.secrets),
      createStsClient,
      sessionDurationSeconds: () => sessionDurationSeconds(current),
      ...(options.logger
        ? { onWarning: (sentence: string) => options.logger?.warn(sentence) }
        : {}),
    },
    clock: options.clock,
    policy: loaded.policy,
    profileFiles: options.profileFiles,
    sso,
    store,
    ...(options.resolveSource ? { resolveSource: options.resolveSource } : {}),
    serverInfo: () => info,
    bearer,
    settings: settingsService,
    imports: createImportService({
      // The lock `rolecall keys` and `rolecall import` take, so a terminal and a window never race.
      keys: createKeyStore(options.secrets, { lockFile: join(options.home, 'keys.lock') }),
      configFile: () => resolveProfileFiles(options.profileFiles ?? {}, env).configFile,
      env,
      platform: process.platform,
      checkKeychain: () => checkSecretStore(options.secrets),
      now: () => new Date((options.clock ?? systemClock).now()),
    }),
    ...(uiSessions
      ? { uiLink: (serverUrl: string) => `${serverUrl}ui/#code=${uiSessions.newLinkCode()}` }
      : {}),
    console: {
      sessionSeconds: () => consoleSessionSeconds(current),
      signInUrlOverride: () => {
        const fromEnv = env[SIGN_IN_URL_ENV];
        if (fromEnv) return { url: fromEnv, from: SIGN_IN_URL_ENV };
        const fromSettings = current.console?.signInUrl;
        return fromSettings
          ? { url: fromSettings, from: 'console.signInUrl in settings.json' }
          : undefined;
      },
      link: (serverUrl, url, urlExpiresAt) => consoleLinks.add(serverUrl, url, urlExpiresAt),
    },
  });
  if (options.logger) logBrokerEvents(core, options.logger);
  lock.announceDefaultSlot(() => core.broker.defaultSlotSummary());
  // Before listening: still-valid credentials are served from the first request on.
  await core.broker.restore();
  // Bearer tokens (tokens.json): served from the first request on, like restored credentials.
  const tokens = new TokenRegistry({
    entries: core.broker.tokens,
    secrets: options.secrets,
    home: options.home,
    now: () => core.clock.now(),
    ...(options.logger ? { onWarning: (sentence: string) => options.logger?.warn(sentence) } : {}),
  });
  await tokens.sync();
  const stopWatchingTokens = await tokens.watch();
  const servedTokens = {
    sync: () => tokens.sync(),
    tokenFor: (name: string) => core.broker.tokens.tokenFor(name),
  };
  const tlsOptions = { home: options.home, secrets: options.secrets, now: () => core.clock.now() };
  let server: FastifyInstance | null = null;
  let stopRenewal: (() => void) | null = null;

  /** Starts answering on the port (the desktop app can turn this off and on; the core keeps running). */
  async function open(): Promise<ServerInfo> {
    const { port, tls } = serverConfig;
    const material = tls ? await ensureTlsMaterial(tlsOptions) : null;
    const app = buildServer({
      broker: core.broker,
      api: core.api,
      token: () => bearer.current(),
      clock: core.clock,
      logger: options.logger,
      ...(material ? { https: { cert: material.leaf.certPem, key: material.leaf.keyPem } } : {}),
      ...(options.uiRoot && uiSessions ? { uiRoot: options.uiRoot, uiSessions } : {}),
      consoleLinks,
      tokens: servedTokens,
    });
    try {
      await app.listen({ host, port });
    } catch (error) {
      await app.close();
      throw listenError(error, host, port);
    }
    let socket: string | undefined;
    try {
      if (options.socket) socket = await app.listenOnUnixSocket(options.socket);
    } catch (error) {
      await app.close();
      throw error;
    }
    const address = app.server.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    const opened: ServerInfo = {
      url: `${material ? 'https' : 'http'}://${urlHost(host)}:${boundPort}/`,
      host,
      port: boundPort,
      tls: material !== null,
      ...(material ? { caFile: material.trustFile } : {}),
      ...(socket ? { socket } : {}),
      pid: process.pid,
      version: ROLECALL_VERSION,
      startedAt: new Date().toISOString(),
    };
    await writeRuntimeFile(options.home, opened);
    lock.announce(opened.url);
    server = app;
    info = opened;
    if (material) stopRenewal = renewLeafWhileServing(app, material, tlsOptions, options.logger);
    return opened;
  }

  async function shut(): Promise<void> {
    const app = server;
    if (!app) return;
    server = null;
    info = null;
    lock.announce(null);
    stopRenewal?.();
    stopRenewal = null;
    await app.close();
    await removeRuntimeFile(options.home, process.pid);
  }

  /** Reopens on new settings; if that fails, reopens as it was and reports why. */
  async function moveServer(next: ServerSettings): Promise<void> {
    const previous = serverConfig;
    serverConfig = next;
    if (!server) return;
    await shut();
    try {
      await open();
    } catch (error) {
      serverConfig = previous;
      await open();
      throw error;
    }
  }

  const first = await open();

  let closed = false;
  return {
    core,
    sso,
    info: first,
    serving: () => server !== null,
    async setServing(on) {
      if (on && !server) await open();
      if (!on) await shut();
    },
    settings: () => settingsService.current(),
    currentInfo: () => info,
    async close() {
      if (closed) return;
      closed = true;
      core.broker.stop();
      stopWatchingTokens();
      try {
        await shut();
        await store.flush();
      } finally {
        await lock.release();
      }
    },
  };
}

function serverSettingsNote(options: HostOptions): string {
  const overridden = [
    ...(options.port !== undefined ? ['its port (--port or ROLECALL_PORT)'] : []),
    ...(options.tls !== undefined ? ['TLS (--tls or --no-tls)'] : []),
  ];
  return (
    'Port and HTTPS changes take effect when `rolecall serve` starts again.' +
    (overridden.length
      ? ` This server was started with ${overridden.join(' and ')} given on the command line, which wins over the settings.`
      : '')
  );
}

/** Renews the leaf while serving: checks twice a day, swaps it in without dropping connections. */
function renewLeafWhileServing(
  app: FastifyInstance,
  initial: TlsMaterial,
  tlsOptions: Parameters<typeof ensureTlsMaterial>[0],
  logger: Logger | undefined,
): () => void {
  let material = initial;
  const timer = setInterval(() => {
    void ensureTlsMaterial(tlsOptions).then(
      (next) => {
        if (next.leaf.certPem === material.leaf.certPem) return;
        material = next;
        app.replaceCertificate({ cert: next.leaf.certPem, key: next.leaf.keyPem });
        logger?.info('Renewed the TLS certificate.');
      },
      (error: unknown) => logger?.warn(`Could not renew the TLS certificate: ${String(error)}`),
    );
  }, TLS_RENEWAL_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function listenError(error: unknown, host: string, port: number): RolecallError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new RolecallError(
      'port-in-use',
      `Port ${port} on ${host} is already in use by another program. Choose another port with --port or ROLECALL_PORT.`,
      409,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new RolecallError(
      'port-denied',
      `Not allowed to listen on port ${port}; use a port above 1023.`,
      409,
      {
        cause: error,
      },
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new RolecallError(
      'address-unavailable',
      `${host} is not an address of this machine.`,
      409,
      {
        cause: error,
      },
    );
  }
  return new RolecallError(
    'listen-failed',
    `Could not listen on ${host}:${port}: ${String(error)}`,
    500,
    {
      cause: error,
    },
  );
}

/**
 * What is wrong in the AWS files, once at start, for someone reading the server's log: a refused
 * file (nothing loads), profiles that cannot be loaded under their name, sections that are not
 * what they look like.
 */
async function logProfileProblems(files: ProfileFiles | undefined, logger: Logger): Promise<void> {
  const catalog = await loadProfiles(files);
  for (const refusal of catalog.refusals) logger.error(refusal);
  for (const warning of catalog.warnings) logger.warn(warning);
}

/** What a person running `rolecall serve` in a terminal should see happen. */
function logBrokerEvents(core: Core, logger: Logger): void {
  const words = brokerEventWords;
  core.broker.on('refreshed', (event) => logger.info(words.refreshed(event)));
  core.broker.on('refresh-failed', (event) => logger.warn(words['refresh-failed'](event)));
  core.broker.on('expiring-soon', (event) => logger.warn(words['expiring-soon'](event)));
  core.broker.on('expired', (event) => logger.warn(words.expired(event)));
  core.broker.on('input-required', (event) => logger.warn(words['input-required'](event)));
  core.broker.on('input-ended', (event) => logger.info(words['input-ended'](event)));
  core.broker.on('token-renewed', ({ name }) => logger.info(`Renewed token ${name}.`));
  core.broker.on('token-failed', ({ name, error }) =>
    logger.warn(`Renewing token ${name} failed: ${error}`),
  );
}
