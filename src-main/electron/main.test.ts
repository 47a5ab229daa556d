import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopBridge } from '../../src-shared/api';
import type { Snapshot } from '../../src-shared/snapshot';
import { FakeFederation } from '../../test/fixtures/fake-federation';
import { FakeSource, fakeCredentials } from '../../test/helpers/fake-source';
import { ManualClock, settle } from '../../test/helpers/manual-clock';
import type { HostOptions, RunningHost } from '../core/host';
import { SourceError } from '../core/sources/source';
import { createFakeHost, type FakeHost } from './testing/fake-host';
import { collectGarbage, type FakeElectron, type MenuEntry } from './testing/fake-electron';
import { pretendPlatform } from './testing/platform';

/**
 * main.ts, the tray, the notifications, the window and the preload, run under Node against a
 * fake `electron` module and a host over a real core (fake sources, a clock moved by hand).
 */
const { fake } = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  return { fake: createFakeElectron() };
});
vi.mock('electron', () => fake.module);

/** electron-updater, which only the installed app loads: checks and installs are recorded. */
const updater = vi.hoisted(() => {
  const listeners = new Map<string, (info: { version: string }) => void>();
  return {
    listeners,
    installs: 0,
    autoUpdater: {
      autoDownload: false,
      autoInstallOnAppQuit: true,
      checkForUpdates: async () => null,
      quitAndInstall() {
        updater.installs += 1;
      },
      on(event: string, listener: (info: { version: string }) => void) {
        listeners.set(event, listener);
      },
    },
  };
});
vi.mock('electron-updater', () => ({ autoUpdater: updater.autoUpdater }));

const hosting = vi.hoisted(() => ({
  start: null as ((options: HostOptions) => Promise<RunningHost>) | null,
}));
vi.mock('../core/host', () => ({
  startHost: (options: HostOptions) => hosting.start!(options),
}));

const MINUTE = 60_000;
// Each test starts the whole desktop shell, and one also closes it (which flushes the core to
// disk): on two cores shared with every other test file, 5 s is not always enough for that.
vi.setConfig({ testTimeout: 20_000 });
/**
 * vi.waitFor with 5 s rather than 1 s to see it happen: the whole desktop start-up runs in each
 * test, and with every other test file running beside it on two cores, a second is not always
 * enough. A test that passes still passes as soon as it can.
 */
const waitFor = <T>(check: () => T | Promise<T>, options: { timeout?: number } = {}): Promise<T> =>
  vi.waitFor(check, { timeout: 5_000, ...options });
let dir: string;
let clock: ManualClock;
let restorePlatform: (() => void) | null = null;
let argv: string[];

beforeEach(async () => {
  fake.reset();
  vi.resetModules();
  dir = await mkdtemp(join(tmpdir(), 'rolecall-shell-'));
  const configFile = join(dir, 'config');
  await writeFile(
    configFile,
    [
      '[profile dev]',
      'credential_process = /bin/false',
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = us-east-1',
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'credentials'), '');
  vi.stubEnv('ROLECALL_HOME', join(dir, 'home'));
  vi.stubEnv('AWS_CONFIG_FILE', configFile);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  clock = new ManualClock();
  argv = process.argv;
});

afterEach(async () => {
  fake.app.quit();
  await settle();
  restorePlatform?.();
  restorePlatform = null;
  delete (process as { resourcesPath?: string }).resourcesPath;
  process.argv = argv;
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

function hostWith(...sources: FakeSource[]): FakeHost {
  return createFakeHost({
    home: join(dir, 'home'),
    clock,
    sources,
    profileFiles: { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') },
    ...(federation
      ? {
          console: {
            sessionSeconds: () => 3600,
            signInUrlOverride: () => ({ url: federation!.url, from: 'ROLECALL_SIGNIN_URL' }),
          },
        }
      : {}),
  });
}

/** A fake AWS federation endpoint, for the tests that open the console. */
let federation: FakeFederation | null = null;
afterEach(async () => {
  await federation?.close();
  federation = null;
});

/** Runs main.ts as Electron would: the module loads, then Electron becomes ready. */
async function startDesktop(
  host: FakeHost,
  options: { platform?: NodeJS.Platform; hostStarted?: Promise<void>; argv?: string[] } = {},
) {
  if (options.platform) restorePlatform = pretendPlatform(options.platform);
  if (options.argv) process.argv = [...argv, ...options.argv];
  hosting.start = async () => {
    await options.hostStarted;
    return host;
  };
  await import('./main');
  fake.becomeReady();
  await settle();
}

/** Loads the preload into `window`'s page, as Electron does, and returns `window.rolecall`. */
async function openPage(
  window: ReturnType<FakeElectron['windows']>[number],
): Promise<DesktopBridge> {
  fake.attachRenderer(window.webContents);
  vi.resetModules();
  await import('./preload');
  return fake.mainWorld().rolecall as DesktopBridge;
}

function onlyWindow() {
  const open = fake.openWindows();
  expect(open).toHaveLength(1);
  return open[0]!;
}

function findItem(entries: MenuEntry[], label: string): MenuEntry | undefined {
  for (const entry of entries) {
    if (entry.label === label) return entry;
    const inner = entry.submenu && findItem(entry.submenu, label);
    if (inner) return inner;
  }
  return undefined;
}

/** Clicks a tray item once the menu (built after reading the AWS config) has it. */
async function clickTray(label: string): Promise<void> {
  const item = await waitFor(() => {
    const found = findItem(fake.tray().entries(), label);
    if (!found?.click) throw new Error(`The tray menu has no item ${label}: ${menuLabels()}`);
    return found;
  });
  item.click!();
}

function menuLabels(): string[] {
  const labels: string[] = [];
  const walk = (entries: MenuEntry[]) =>
    entries.forEach((entry) => {
      labels.push(entry.label);
      if (entry.submenu) walk(entry.submenu);
    });
  walk(fake.tray().entries());
  return labels;
}

describe('live updates in the window', () => {
  it('pushes a background renewal to the page, which hears only the new snapshot', async () => {
    const first = fakeCredentials({ expiresAt: clock.now() + 60 * MINUTE });
    const renewed = fakeCredentials({ expiresAt: clock.now() + 120 * MINUTE });
    await startDesktop(hostWith(new FakeSource('dev', first, renewed)));
    const rolecall = await openPage(onlyWindow());

    const heard: unknown[][] = [];
    const unsubscribe = rolecall.subscribeSnapshots((...args: unknown[]) => heard.push(args));
    await rolecall.loadProfile({ profile: 'dev' });
    const expiry = () => (heard.at(-1)?.[0] as Snapshot | undefined)?.entries[0]?.expiresAt;
    await waitFor(() => expect(expiry()).toBe(new Date(first.expiresAt!).toISOString()));

    // Renewal is due 20 minutes before expiry; nobody in the window asked for anything.
    await clock.advance(45 * MINUTE);
    await waitFor(() => expect(expiry()).toBe(new Date(renewed.expiresAt!).toISOString()));
    expect(heard.every((args) => args.length === 1)).toBe(true);

    unsubscribe();
    const heardBefore = heard.length;
    await rolecall.unloadProfile({ profile: 'dev' });
    await settle();
    expect(heard).toHaveLength(heardBefore);
  });

  it('pushes loads made from the tray', async () => {
    await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())));
    const rolecall = await openPage(onlyWindow());
    const heard: Snapshot[] = [];
    rolecall.subscribeSnapshots((snapshot) => heard.push(snapshot));

    await clickTray('dev');
    await settle();
    expect(heard.at(-1)?.defaultProfile).toBe('dev');
  });

  it('sends nothing to a closed window, and pushes to the one opened next', async () => {
    await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())));
    const closed = onlyWindow();
    closed.close();

    await clickTray('dev');
    await settle();
    expect(closed.webContents.sent).toEqual([]);
    expect(fake.state.errorBoxes).toEqual([]);

    await clickTray('Open Rolecall');
    await settle();
    const reopened = onlyWindow();
    const rolecall = await openPage(reopened);
    const heard: Snapshot[] = [];
    rolecall.subscribeSnapshots((snapshot) => heard.push(snapshot));
    await rolecall.unloadProfile({ profile: 'dev' });
    await settle();
    expect(heard.at(-1)?.defaultProfile).toBeNull();
    expect(reopened.webContents.sent.map((message) => message.channel)).toContain(
      'rolecall-push:snapshot',
    );
  });
});

describe('notifications', () => {
  it('routes a click that comes after a garbage collection', async () => {
    const failing = new SourceError('dev', 'exit', 'credential_process for dev exited 1: denied.');
    await startDesktop(
      hostWith(
        new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + 60 * MINUTE }), failing),
      ),
    );
    onlyWindow().close();

    await clickTray('dev');
    await waitFor(() => expect(fake.tray().toolTip).toBe('Rolecall — ok'));
    await clock.advance(45 * MINUTE);
    // Shown once the check after the failure has also read the IAM Identity Center sessions.
    const shown = await waitFor(() => {
      const found = fake.notifications().find(({ title }) => title === 'Renewing dev is failing');
      if (!found) throw new Error('not shown yet');
      return found;
    });

    // The collector does run here: a notification nobody holds is gone after it.
    const Notification = fake.module.Notification;
    new Notification({ title: 'unheld' }).show();
    const unheld = fake.notifications().at(-1)!;
    await collectGarbage();
    expect(fake.clickNotification(unheld)).toBe('collected');

    expect(fake.clickNotification(shown)).toBe('clicked');
    await settle();
    expect(fake.openWindows()).toHaveLength(1);
  });
});

describe('the tray menu', () => {
  it('is rebuilt after turning the server off, so a second click turns it back on', async () => {
    const host = hostWith();
    await startDesktop(host);
    await clickTray('Stop the credentials server');
    await waitFor(() => expect(menuLabels()).toContain('Start the credentials server'));
    expect(host.serving()).toBe(false);

    await clickTray('Start the credentials server');
    await waitFor(() => expect(menuLabels()).toContain('Stop the credentials server'));
    expect(host.serving()).toBe(true);
  });

  it('is rebuilt after a sign-in, which changes no snapshot', async () => {
    const host = hostWith();
    await startDesktop(host);
    await clickTray('Sign in to corp…');
    await waitFor(() => expect(menuLabels()).toContain('Sign out of corp'));
    expect(host.signIns).toEqual(['corp']);
  });
});

describe('the tray popover', () => {
  /** The window that is not the main one: the popover. */
  const popoverWindow = () => {
    const found = fake.windows().find((window) => window.loaded.query?.view === 'popover');
    if (!found) throw new Error('No popover window was made.');
    return found;
  };

  it('opens frameless under the icon on macOS, leaves the menu to the right click, and hides when it loses focus', async () => {
    await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())), {
      platform: 'darwin',
    });
    onlyWindow().close();
    const tray = fake.tray();
    tray.bounds = { x: 1500, y: 0, width: 22, height: 24 };
    tray.click();
    const popover = popoverWindow();
    expect(popover.options).toMatchObject({ frame: false, skipTaskbar: true, alwaysOnTop: true });
    expect(popover.loaded.file).toMatch(/renderer[/\\]index\.html$/);
    // Centred on the icon, just under the menu bar (the fake display's work area starts at 25).
    expect(popover.getBounds()).toEqual({ x: 1511 - 180, y: 30, width: 360, height: 540 });
    expect(popover.isVisible()).toBe(true);
    expect(tray.popUps).toBe(0);

    tray.emit('right-click', { preventDefault() {}, defaultPrevented: false }, tray.bounds);
    expect(tray.popUps).toBe(1);
    // Never set as the context menu, which macOS would show on the left click too.
    await settle();
    expect(tray.menu).toBeNull();

    popover.blur();
    expect(popover.isVisible()).toBe(false);
    tray.click();
    expect(popover.isVisible()).toBe(true);
    tray.click();
    expect(popover.isVisible()).toBe(false);
    // Made once: shown and hidden since.
    expect(fake.windows().filter((window) => window.loaded.query?.view === 'popover')).toHaveLength(
      1,
    );
  });

  it('opens on a left click on Windows, above the taskbar, and the right click keeps the menu', async () => {
    await startDesktop(hostWith(), { platform: 'win32' });
    const tray = fake.tray();
    tray.bounds = { x: 1800, y: 1048, width: 24, height: 32 };
    tray.click();
    const popover = popoverWindow();
    expect(popover.getBounds().y + popover.getBounds().height).toBeLessThanOrEqual(1048);
    expect(popover.options.frame).toBe(false);
    // Windows shows a set context menu on the right click by itself.
    await waitFor(() => expect(tray.entries().length).toBeGreaterThan(0));
    expect(tray.popUps).toBe(0);
  });

  it('is a small normal window on Linux, which stays when it loses focus', async () => {
    await startDesktop(hostWith(), { platform: 'linux' });
    fake.tray().click();
    const popover = popoverWindow();
    expect(popover.options.frame).toBe(true);
    expect(popover.getBounds()).toEqual({
      x: (1920 - 360) / 2,
      y: 25 + Math.round((1055 - 540) / 2),
      width: 360,
      height: 540,
    });
    popover.blur();
    expect(popover.isVisible()).toBe(true);
    // The menu is still the way in where the tray reports no click.
    await waitFor(() => expect(fake.tray().entries().length).toBeGreaterThan(0));
  });

  it('is our renderer: its page calls the API and hears each new snapshot', async () => {
    await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())), {
      platform: 'darwin',
    });
    fake.tray().bounds = { x: 1500, y: 0, width: 22, height: 24 };
    fake.tray().click();
    const rolecall = await openPage(popoverWindow());
    const heard: Snapshot[] = [];
    rolecall.subscribeSnapshots((snapshot) => heard.push(snapshot));
    await rolecall.loadProfile({ profile: 'dev' });
    await waitFor(() => expect(heard.at(-1)?.defaultProfile).toBe('dev'));
    expect((await rolecall.getSnapshot()).defaultProfile).toBe('dev');
  });
});

describe('the AWS console', () => {
  /** Credentials the fake endpoint signs in with, and the host that serves them as dev. */
  async function consoleHost() {
    federation = await FakeFederation.start({ now: clock.now });
    const credentials = fakeCredentials({ expiresAt: clock.now() + 60 * MINUTE });
    federation.know(credentials as Required<typeof credentials>, 'role');
    return { host: hostWith(new FakeSource('dev', credentials)), credentials };
  }

  /** Where a one-time link the browser was given leads: the sign-in URL's token's credentials. */
  function signedInWith(host: FakeHost, link: string): string | undefined {
    const code = /^http:\/\/127\.0\.0\.1:4144\/console\/([\w-]+)$/.exec(link)?.[1];
    const signIn = code ? host.consoleLinks.take(code) : null;
    if (!signIn) return undefined;
    return federation!.token(new URL(signIn).searchParams.get('SigninToken')!)?.accessKeyId;
  }

  it('opens from the tray in the browser through a one-time link, on a loaded role and in Switch role', async () => {
    const { host, credentials } = await consoleHost();
    await startDesktop(host);

    await clickTray('Open console as dev');
    await waitFor(() => expect(fake.state.openedUrls).toHaveLength(1));
    expect(signedInWith(host, fake.state.openedUrls[0]!)).toBe(credentials.accessKeyId);
    // Loaded into its own slot to sign in: the tray now offers it on the slot.
    await waitFor(() => expect(host.core.broker.snapshot().slots).toEqual(['dev']));

    const slots = await waitFor(() => {
      const found = findItem(fake.tray().entries(), 'Slots');
      if (!found?.submenu) throw new Error('no Slots yet');
      return found;
    });
    findItem(slots.submenu!, 'Open console')!.click!();
    await waitFor(() => expect(fake.state.openedUrls).toHaveLength(2));
    expect(signedInWith(host, fake.state.openedUrls[1]!)).toBe(credentials.accessKeyId);
    expect(fake.state.errorBoxes).toEqual([]);
  });

  it('opens from the window without the URL or the link ever reaching the page', async () => {
    const { host, credentials } = await consoleHost();
    await startDesktop(host);
    const rolecall = await openPage(onlyWindow());

    const opened = await rolecall.openConsole({ profile: 'dev', service: 's3' });

    expect(opened).toEqual({
      profile: 'dev',
      sessionEndsAt: new Date(credentials.expiresAt!).toISOString(),
      note: expect.stringContaining('whose kind Rolecall cannot tell'),
      loadedIntoSlot: true,
    });
    expect(JSON.stringify(opened)).not.toContain('console/');
    expect(fake.state.openedUrls).toHaveLength(1);
    expect(signedInWith(host, fake.state.openedUrls[0]!)).toBe(credentials.accessKeyId);
  });

  it('says why it cannot open, in the window and in a dialog for the tray', async () => {
    const { host } = await consoleHost();
    await startDesktop(host);
    const rolecall = await openPage(onlyWindow());
    await expect(
      rolecall.openConsole({ profile: 'dev', destination: 'https://evil.example/' }),
    ).rejects.toThrow('The destination must be a page of the AWS console in aws');
    await expect(
      rolecall.openConsole({ profile: 'dev', service: 's3', destination: '/ec2' } as never),
    ).rejects.toThrow('Give either service or destination, not both.');

    await host.setServing(false);
    await clickTray('Open console as dev');
    await waitFor(() => expect(fake.state.errorBoxes).toHaveLength(1));
    expect(fake.state.errorBoxes[0]!.content).toContain(
      'Opening the console in a browser goes through the credentials server, which is off; turn it on',
    );
    expect(fake.state.openedUrls).toEqual([]);
  });
});

describe('the tray icon', () => {
  const trayImage = () =>
    fake.tray().image as { path: string; isEmpty(): boolean; isTemplateImage(): boolean };

  for (const [platform, file, template] of [
    ['darwin', 'tray-okTemplate.png', true],
    ['linux', 'tray-ok.png', false],
    ['win32', 'tray-ok.png', false],
  ] as const) {
    it(`shows the state's badge on ${platform}${template ? ', as a template image' : ''}`, async () => {
      await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())), { platform });
      expect(trayImage().path).toMatch(
        new RegExp(`resources[/\\\\]tray-idle${template ? 'Template' : ''}\\.png$`),
      );
      await clickTray('dev');
      await waitFor(() => expect(trayImage().path).toMatch(new RegExp(`[/\\\\]${file}$`)));
      expect(trayImage().isEmpty()).toBe(false);
      expect(trayImage().isTemplateImage()).toBe(template);
    });
  }
});

describe('updates of the installed app', () => {
  beforeEach(() => {
    updater.installs = 0;
    updater.listeners.clear();
    fake.state.isPackaged = true;
    Object.defineProperty(process, 'resourcesPath', {
      value: join(__dirname, '../../resources'),
      configurable: true,
    });
  });

  it('says in the tray that an update is ready, and installs it at quit', async () => {
    await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())), { platform: 'linux' });
    updater.listeners.get('update-downloaded')!({ version: '9.9.9' });
    await waitFor(() =>
      expect(menuLabels()).toContain(
        'Rolecall 9.9.9 is ready; it installs when you quit Rolecall.',
      ),
    );
    const quitsBefore = fake.state.quitRequests;
    fake.app.quit();
    await waitFor(() => expect(updater.installs).toBe(1), { timeout: 10_000 });
    expect(fake.state.quitRequests).toBe(quitsBefore);
  });

  it('shows the notice in the window, to a page opened before or after the download', async () => {
    await startDesktop(hostWith(), { platform: 'linux' });
    const rolecall = await openPage(onlyWindow());
    const heard: Array<string | null> = [];
    rolecall.subscribeUpdateNotice((notice) => heard.push(notice));
    await waitFor(() => expect(heard).toEqual([null]));

    updater.listeners.get('update-downloaded')!({ version: '9.9.9' });
    const notice = 'Rolecall 9.9.9 is ready; it installs when you quit Rolecall.';
    await waitFor(() => expect(heard).toEqual([null, notice]));

    onlyWindow().close();
    await clickTray('Open Rolecall');
    const later = await openPage(onlyWindow());
    const heardLater: Array<string | null> = [];
    later.subscribeUpdateNotice((text) => heardLater.push(text));
    await waitFor(() => expect(heardLater).toEqual([notice]));
  });

  it('quits without installing while credentials are being renewed', async () => {
    const first = fakeCredentials({ expiresAt: clock.now() + 60 * MINUTE });
    const source = new FakeSource('dev', first, fakeCredentials());
    const host = hostWith(source);
    await startDesktop(host, { platform: 'linux' });
    await clickTray('dev');
    await waitFor(() => expect(host.core.broker.snapshot().entries[0]?.state).toBe('fresh'));
    updater.listeners.get('update-downloaded')!({ version: '9.9.9' });
    source.hold();
    // Renewal is due 20 minutes before expiry, and is held in flight.
    await clock.advance(45 * MINUTE);
    await waitFor(() => expect(host.core.broker.snapshot().entries[0]?.state).toBe('refreshing'));

    fake.app.quit();
    source.release();
    // Closing the core flushes it to disk first, which takes a while on a busy machine.
    await waitFor(() => expect(fake.state.quitRequests).toBeGreaterThan(0), {
      timeout: 10_000,
    });
    expect(updater.installs).toBe(0);
  });
});

describe('copying shell exports from the tray', () => {
  it('puts the exports on the clipboard before the action is done', async () => {
    await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())));
    await clickTray('dev');
    await clickTray('Copy shell exports');
    await waitFor(() =>
      expect(fake.state.clipboard).toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI'),
    );
    expect(fake.state.errorBoxes).toEqual([]);
  });

  it('says so in a dialog when the clipboard refuses', async () => {
    await startDesktop(hostWith(new FakeSource('dev', fakeCredentials())));
    await clickTray('dev');
    fake.state.clipboardRefuses = 'No clipboard owner';
    await clickTray('Copy shell exports');
    await waitFor(() => expect(fake.state.errorBoxes).toHaveLength(1));
    expect(fake.state.errorBoxes[0]!.content).toBe('No clipboard owner');
    expect(fake.state.clipboard).toBe('');
  });
});

describe('start-up', () => {
  it('starts as the desktop app, and says in a dialog when rolecall serve has the home', async () => {
    const { acquireInstanceLock } = await import('../core/runtime/instance-lock');
    const home = join(dir, 'home');
    const serve = await acquireInstanceLock(home, 'serve');
    serve.announce('http://127.0.0.1:4144/');
    let askedAs: HostOptions['app'];
    hosting.start = async (options) => {
      askedAs = options.app;
      const lock = await acquireInstanceLock(options.home, options.app);
      await lock.release();
      throw new Error('unreachable: the lock is held');
    };
    try {
      await import('./main');
      fake.becomeReady();
      await waitFor(() => expect(fake.state.errorBoxes).toHaveLength(1));
    } finally {
      await serve.release();
    }
    expect(askedAs).toBe('desktop');
    expect(fake.state.errorBoxes[0]).toEqual({
      title: 'Rolecall could not start',
      content: `rolecall serve is already running (pid ${process.pid}) with this ROLECALL_HOME (${home}), serving credentials at http://127.0.0.1:4144/. Stop it (Ctrl-C in its terminal, or its service manager) and start the app again.`,
    });
    expect(fake.state.exitCode).toBe(1);
    expect(fake.openWindows()).toEqual([]);
  });

  it('opens the window for a launch during start-up only once its calls are answered', async () => {
    let hostReady!: () => void;
    const hostStarted = new Promise<void>((resolve) => (hostReady = resolve));
    // Started at login (no window of its own), then launched again by hand while starting.
    const starting = startDesktop(hostWith(), { hostStarted, argv: ['--hidden'] });
    await settle();
    fake.launchAgain();
    await settle();
    expect(fake.windows()).toHaveLength(0);

    hostReady();
    await starting;
    await settle();
    const rolecall = await openPage(onlyWindow());
    await expect(rolecall.getSnapshot()).resolves.toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('stays in the tray when started at login', async () => {
    await startDesktop(hostWith(), { argv: ['--hidden'] });
    expect(fake.windows()).toHaveLength(0);
    fake.launchAgain();
    expect(fake.openWindows()).toHaveLength(1);
  });

  it('reopens the window from the Dock on macOS once it was closed', async () => {
    await startDesktop(hostWith(), { platform: 'darwin' });
    onlyWindow().close();
    fake.activate(true);
    expect(fake.openWindows()).toHaveLength(0);
    fake.activate(false);
    expect(fake.openWindows()).toHaveLength(1);
  });

  it("gives Windows notifications an AppUserModelId: Electron's executable when run from a clone", async () => {
    await startDesktop(hostWith(), { platform: 'win32' });
    expect(fake.state.appUserModelId).toBe(process.execPath);
  });

  it('gives Windows notifications the installed app’s AppUserModelId when packaged', async () => {
    fake.state.isPackaged = true;
    Object.defineProperty(process, 'resourcesPath', {
      value: join(__dirname, '../../resources'),
      configurable: true,
    });
    await startDesktop(hostWith(), { platform: 'win32' });
    const { APP_USER_MODEL_ID } = await import('./main');
    expect(fake.state.appUserModelId).toBe(APP_USER_MODEL_ID);
  });

  it('offers to install the command in the tray of the installed app', async () => {
    fake.state.isPackaged = true;
    Object.defineProperty(process, 'resourcesPath', {
      value: join(__dirname, '../../resources'),
      configurable: true,
    });
    await startDesktop(hostWith(), { platform: 'darwin' });
    await waitFor(() => expect(menuLabels()).toContain('Install command-line tool…'));
    expect(menuLabels().slice(-2)).toEqual(['Install command-line tool…', 'Quit Rolecall']);
  });

  it('offers no command install run from a clone, nor on Linux (the deb installs it)', async () => {
    await startDesktop(hostWith(), { platform: 'linux' });
    await waitFor(() => expect(menuLabels()).toContain('Quit Rolecall'));
    expect(menuLabels()).not.toContain('Install command-line tool…');
  });

  it('gives the window an icon on Linux', async () => {
    await startDesktop(hostWith(), { platform: 'linux' });
    const icon = onlyWindow().options.icon;
    expect(typeof icon).toBe('string');
    expect(icon).toMatch(/resources[/\\]icon\.png$/);
    expect(existsSync(icon as string)).toBe(true);
  });
});
