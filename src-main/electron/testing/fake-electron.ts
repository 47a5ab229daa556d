import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as Electron from 'electron';

/**
 * A stand-in for the `electron` module, so the desktop shell runs under Node in tests (no
 * Electron binary runs on these machines). Each part implements a `Pick` of the real type from
 * electron.d.ts, so a signature the shell relies on that Electron changes or removes fails the
 * type check here too. What the fake adds — reading the tray menu back, clicking a notification,
 * a renderer end for IPC — is test control, kept apart from the picked members.
 *
 * Where Electron's behaviour matters to the shell, the fake copies it: IPC arguments and results
 * are structured clones, `invoke` without a handler rejects, a destroyed webContents throws on
 * `send`, and a Notification nobody references can be garbage-collected (its clicks are then lost).
 */

type AppPart = Pick<
  Electron.App,
  | 'whenReady'
  | 'isReady'
  | 'requestSingleInstanceLock'
  | 'quit'
  | 'exit'
  | 'isPackaged'
  | 'getAppPath'
  | 'getLoginItemSettings'
  | 'setLoginItemSettings'
  | 'setAppUserModelId'
>;
type WebContentsPart = Pick<
  Electron.WebContents,
  'id' | 'send' | 'setWindowOpenHandler' | 'isDestroyed'
>;
type WindowPart = Pick<
  Electron.BrowserWindow,
  | 'id'
  | 'show'
  | 'focus'
  | 'close'
  | 'isVisible'
  | 'isDestroyed'
  | 'getNormalBounds'
  | 'loadURL'
  | 'loadFile'
  | 'hide'
  | 'setBounds'
  | 'getBounds'
> & { webContents: WebContentsPart };
type TrayPart = Pick<
  Electron.Tray,
  | 'setToolTip'
  | 'setContextMenu'
  | 'setImage'
  | 'popUpContextMenu'
  | 'destroy'
  | 'isDestroyed'
  | 'getBounds'
>;
type NotificationPart = Pick<Electron.Notification, 'show' | 'close'>;
type ImagePart = Pick<Electron.NativeImage, 'setTemplateImage' | 'isTemplateImage' | 'isEmpty'>;

/** The part of `electron` the shell uses, each member held to the real module's signature. */
export interface ElectronSubset {
  app: AppPart;
  BrowserWindow: new (options?: Electron.BrowserWindowConstructorOptions) => WindowPart;
  Tray: new (image: Electron.NativeImage | string, guid?: string) => TrayPart;
  Menu: {
    buildFromTemplate(
      template: Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>,
    ): object;
  };
  Notification: Pick<typeof Electron.Notification, 'isSupported'> &
    (new (options?: Electron.NotificationConstructorOptions) => NotificationPart);
  nativeImage: { createFromPath(path: string): ImagePart };
  ipcMain: Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;
  ipcRenderer: Pick<Electron.IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
  contextBridge: Pick<Electron.ContextBridge, 'exposeInMainWorld'>;
  screen: Pick<Electron.Screen, 'getAllDisplays' | 'getDisplayMatching'>;
  shell: Pick<Electron.Shell, 'openExternal'>;
  dialog: Pick<Electron.Dialog, 'showErrorBox' | 'showMessageBox'>;
  clipboard: Pick<Electron.Clipboard, 'writeText'>;
}

/** The Event Electron passes as the first argument of most listeners. */
function electronEvent(): Electron.Event {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** IPC copies every argument and result; functions and class instances do not survive. */
const overIpc = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

type InvokeHandler = (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export interface ShownNotification {
  title: string;
  body: string;
  /** Only a weak reference: what happens to the object is up to the shell, as in Electron. */
  ref: WeakRef<FakeNotificationInstance>;
}

export type FakeNotificationInstance = NotificationPart & EventEmitter;

export interface MenuEntry {
  label: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuEntry[];
}

/** Creates one fake `electron` module and the controls a test drives it with. */
export function createFakeElectron() {
  const state = {
    ready: deferred(),
    isReady: false,
    singleInstanceLock: true,
    isPackaged: false,
    appPath: '/opt/rolecall/app',
    quitRequests: 0,
    exitCode: null as number | null,
    appUserModelId: null as string | null,
    loginItem: null as Electron.Settings | null,
    windows: [] as FakeBrowserWindow[],
    trays: [] as FakeTray[],
    notificationsSupported: true,
    notifications: [] as ShownNotification[],
    handlers: new Map<string, InvokeHandler>(),
    renderer: null as FakeWebContents | null,
    mainWorld: {} as Record<string, unknown>,
    errorBoxes: [] as Array<{ title: string; content: string }>,
    messageBoxes: [] as string[],
    openedUrls: [] as string[],
    clipboard: '',
    /** When set, the clipboard refuses writes with this message. */
    clipboardRefuses: null as string | null,
  };
  let nextId = 1;

  class FakeApp extends EventEmitter implements AppPart {
    get isPackaged() {
      return state.isPackaged;
    }
    whenReady(): Promise<void> {
      return state.ready.promise;
    }
    isReady(): boolean {
      return state.isReady;
    }
    requestSingleInstanceLock(): boolean {
      return state.singleInstanceLock;
    }
    /** As Electron: `before-quit` first, and a listener may cancel the quit. */
    quit(): void {
      const event = electronEvent();
      this.emit('before-quit', event);
      if (!event.defaultPrevented) state.quitRequests += 1;
    }
    exit(exitCode = 0): void {
      state.exitCode = exitCode;
    }
    getAppPath(): string {
      return state.appPath;
    }
    /** As on Windows: a login item matches only when asked with the path and args it was set with. */
    getLoginItemSettings(options?: Electron.LoginItemSettingsOptions): Electron.LoginItemSettings {
      const set = state.loginItem;
      const matches =
        set !== null &&
        (options?.path ?? null) === (set.path ?? null) &&
        JSON.stringify(options?.args ?? []) === JSON.stringify(set.args ?? []);
      return {
        openAtLogin: matches && set.openAtLogin === true,
        wasOpenedAtLogin: false,
        status: matches && set.openAtLogin ? 'enabled' : 'not-registered',
        executableWillLaunchAtLogin: matches && set.openAtLogin === true,
        launchItems: [],
      };
    }
    setLoginItemSettings(settings: Electron.Settings): void {
      state.loginItem = { ...settings };
    }
    setAppUserModelId(id: string): void {
      state.appUserModelId = id;
    }
  }
  const app = new FakeApp();

  class FakeWebContents extends EventEmitter implements WebContentsPart {
    readonly id = nextId++;
    destroyed = false;
    windowOpenHandler:
      ((details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse) | null = null;
    /** Every message sent to this renderer, as it arrived (copied). */
    readonly sent: Array<{ channel: string; args: unknown[] }> = [];
    /** The renderer's end: what `ipcRenderer.on` listens on. */
    readonly rendererSide = new EventEmitter();

    send(channel: string, ...args: unknown[]): void {
      if (this.destroyed) throw new TypeError('Object has been destroyed');
      const copied = args.map(overIpc);
      this.sent.push({ channel, args: copied });
      // Delivered later, from another process.
      setImmediate(() => this.rendererSide.emit(channel, { sender: null }, ...copied));
    }
    setWindowOpenHandler(
      handler: (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse,
    ): void {
      this.windowOpenHandler = handler;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
  }

  class FakeBrowserWindow extends EventEmitter implements WindowPart {
    readonly id = nextId++;
    readonly webContents = new FakeWebContents();
    readonly options: Electron.BrowserWindowConstructorOptions;
    visible = false;
    focused = false;
    destroyed = false;
    loaded: { file?: string; url?: string; query?: Record<string, string> } = {};
    bounds: Electron.Rectangle | null = null;

    constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
      super();
      this.options = options;
      state.windows.push(this);
    }
    hide(): void {
      this.assertAlive();
      this.visible = false;
      this.focused = false;
    }
    setBounds(bounds: Partial<Electron.Rectangle>): void {
      this.assertAlive();
      this.bounds = { ...this.getBounds(), ...bounds };
    }
    getBounds(): Electron.Rectangle {
      return this.bounds ?? this.getNormalBounds();
    }
    /** The window lost focus (the user clicked elsewhere). */
    blur(): void {
      this.focused = false;
      this.emit('blur', electronEvent());
    }
    show(): void {
      this.assertAlive();
      this.visible = true;
    }
    focus(): void {
      this.assertAlive();
      this.focused = true;
    }
    isVisible(): boolean {
      return this.visible;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    /** As Electron: `close` (cancellable), then the window is destroyed and `closed` follows. */
    close(): void {
      if (this.destroyed) return;
      const event = electronEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.visible = false;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    getNormalBounds(): Electron.Rectangle {
      return {
        x: this.options.x ?? 0,
        y: this.options.y ?? 0,
        width: this.options.width ?? 800,
        height: this.options.height ?? 600,
      };
    }
    async loadURL(url: string): Promise<void> {
      this.loaded = { url };
      setImmediate(() => this.emit('ready-to-show', electronEvent()));
    }
    async loadFile(filePath: string, options?: Electron.LoadFileOptions): Promise<void> {
      this.loaded = {
        file: filePath,
        ...(options?.query ? { query: options.query as Record<string, string> } : {}),
      };
      setImmediate(() => this.emit('ready-to-show', electronEvent()));
    }
    private assertAlive(): void {
      if (this.destroyed) throw new TypeError('Object has been destroyed');
    }
  }

  class FakeNativeImage implements ImagePart {
    template = false;
    constructor(readonly path: string) {}
    setTemplateImage(option: boolean): void {
      this.template = option;
    }
    isTemplateImage(): boolean {
      return this.template;
    }
    /** As Electron: an image made from a file that is not there is empty (and draws nothing). */
    isEmpty(): boolean {
      return !existsSync(this.path);
    }
  }

  class FakeMenu {
    constructor(
      readonly template: Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>,
    ) {}
    static buildFromTemplate(
      template: Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>,
    ): FakeMenu {
      return new FakeMenu(template);
    }
  }

  class FakeTray extends EventEmitter implements TrayPart {
    menu: unknown = null;
    image: unknown;
    toolTip = '';
    popUps = 0;
    destroyed = false;
    /** Where the icon is on screen; Linux trays report nothing (all zero). */
    bounds: Electron.Rectangle = { x: 0, y: 0, width: 0, height: 0 };
    constructor(image: Electron.NativeImage | string, _guid?: string) {
      super();
      this.image = image;
      state.trays.push(this);
    }
    setToolTip(toolTip: string): void {
      this.toolTip = toolTip;
    }
    setContextMenu(menu: Electron.Menu | null): void {
      this.menu = menu;
    }
    setImage(image: Electron.NativeImage | string): void {
      this.image = image;
    }
    /** The menu last popped up by hand (macOS with a popover: the right click's). */
    poppedUp: unknown = null;
    popUpContextMenu(menu?: Electron.Menu, _position?: Electron.Point): void {
      this.popUps += 1;
      if (menu) this.poppedUp = menu;
    }
    destroy(): void {
      this.destroyed = true;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    getBounds(): Electron.Rectangle {
      return this.bounds;
    }
    /** A left click on the icon, with its bounds, as Electron emits it. */
    click(): void {
      this.emit('click', electronEvent(), this.bounds, { x: this.bounds.x, y: this.bounds.y });
    }
    /**
     * The menu as a person reaches it, read back as plain entries: the context menu as set or,
     * where none is (macOS with a popover), the one a right click pops up.
     */
    entries(): MenuEntry[] {
      if (this.menu === null && this.listenerCount('right-click') > 0) {
        this.emit('right-click', electronEvent(), this.bounds);
      }
      const menu = this.menu ?? this.poppedUp;
      if (!(menu instanceof FakeMenu)) throw new Error('The tray has no menu built by Menu.');
      return readTemplate(menu.template);
    }
    imagePath(): string | null {
      return this.image instanceof FakeNativeImage ? this.image.path : null;
    }
  }

  class FakeNotification extends EventEmitter implements NotificationPart {
    static isSupported(): boolean {
      return state.notificationsSupported;
    }
    readonly title: string;
    readonly body: string;
    constructor(options: Electron.NotificationConstructorOptions = {}) {
      super();
      this.title = options.title ?? '';
      this.body = options.body ?? '';
    }
    show(): void {
      state.notifications.push({ title: this.title, body: this.body, ref: new WeakRef(this) });
    }
    close(): void {
      this.emit('close', electronEvent());
    }
  }

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Menu: FakeMenu,
    Notification: FakeNotification,
    nativeImage: { createFromPath: (path: string) => new FakeNativeImage(path) },
    ipcMain: {
      handle(channel: string, listener: InvokeHandler): void {
        if (state.handlers.has(channel))
          throw new Error(`Attempted to register a second handler for '${channel}'`);
        state.handlers.set(channel, listener);
      },
      removeHandler(channel: string): void {
        state.handlers.delete(channel);
      },
    },
    ipcRenderer: {
      async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
        const renderer = attachedRenderer();
        const handler = state.handlers.get(channel);
        if (!handler)
          throw new Error(
            `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`,
          );
        const event = { sender: renderer, frameId: 1, processId: 1 };
        try {
          return overIpc(
            await handler(event as unknown as Electron.IpcMainInvokeEvent, ...args.map(overIpc)),
          );
        } catch (error) {
          throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, {
            cause: error,
          });
        }
      },
      on(
        channel: string,
        listener: (event: Electron.IpcRendererEvent, ...args: unknown[]) => void,
      ): Electron.IpcRenderer {
        attachedRenderer().rendererSide.on(channel, listener);
        return module.ipcRenderer as unknown as Electron.IpcRenderer;
      },
      removeListener(
        channel: string,
        listener: (event: Electron.IpcRendererEvent, ...args: unknown[]) => void,
      ): Electron.IpcRenderer {
        attachedRenderer().rendererSide.removeListener(channel, listener);
        return module.ipcRenderer as unknown as Electron.IpcRenderer;
      },
    },
    contextBridge: {
      exposeInMainWorld(apiKey: string, api: unknown): void {
        if (Object.hasOwn(state.mainWorld, apiKey))
          throw new Error('Cannot bind an API on top of an existing property on the window object');
        state.mainWorld[apiKey] = api;
      },
    },
    screen: {
      getAllDisplays: (): Electron.Display[] => [primaryDisplay()],
      getDisplayMatching: (_rect: Electron.Rectangle): Electron.Display => primaryDisplay(),
    },
    shell: {
      async openExternal(url: string): Promise<void> {
        state.openedUrls.push(url);
      },
    },
    dialog: {
      showErrorBox(title: string, content: string): void {
        state.errorBoxes.push({ title, content });
      },
      async showMessageBox(
        windowOrOptions: Electron.BaseWindow | Electron.MessageBoxOptions,
        options?: Electron.MessageBoxOptions,
      ): Promise<Electron.MessageBoxReturnValue> {
        state.messageBoxes.push(
          (options ?? (windowOrOptions as Electron.MessageBoxOptions)).message,
        );
        return { response: 0, checkboxChecked: false };
      },
    },
    clipboard: {
      // Electron writes the clipboard asynchronously and can refuse (no clipboard owner on a
      // headless Linux session); the fake writes on a later turn and refuses when told to.
      async writeText(text: string): Promise<void> {
        await new Promise((resolve) => setImmediate(resolve));
        if (state.clipboardRefuses) throw new Error(state.clipboardRefuses);
        state.clipboard = text;
      },
    },
  } satisfies ElectronSubset;

  function attachedRenderer(): FakeWebContents {
    if (!state.renderer) throw new Error('No renderer is attached; call attachRenderer first.');
    return state.renderer;
  }

  return {
    /** What `vi.mock('electron', ...)` returns. */
    module,
    state,
    app,
    /** Electron finished starting: `whenReady()` resolves and `ready` is emitted. */
    becomeReady(): void {
      state.isReady = true;
      state.ready.resolve();
      app.emit('ready', electronEvent(), {});
    },
    /** Another launch of the app while this one runs (the single-instance lock forwards it). */
    launchAgain(argv: string[] = []): void {
      app.emit('second-instance', electronEvent(), argv, process.cwd(), {});
    },
    /** A click on the Dock icon (macOS). */
    activate(hasVisibleWindows: boolean): void {
      app.emit('activate', electronEvent(), hasVisibleWindows);
    },
    windows: () => state.windows,
    openWindows: () => state.windows.filter((window) => !window.isDestroyed()),
    tray(): FakeTray {
      const tray = state.trays.at(-1);
      if (!tray) throw new Error('No tray was created.');
      return tray;
    },
    /** Makes `webContents` the renderer the preload runs in, for ipcRenderer and contextBridge. */
    attachRenderer(webContents: WebContentsPart): void {
      if (!(webContents instanceof FakeWebContents)) throw new Error('Not a fake webContents.');
      state.renderer = webContents;
      state.mainWorld = {};
    },
    /** What the preload exposed, as the page's `window` would see it. */
    mainWorld: () => state.mainWorld,
    notifications: () => state.notifications,
    /**
     * Clicks a shown notification. `'collected'` when the object was garbage-collected first:
     * Electron then has no object to emit `click` on, so the click is lost.
     */
    clickNotification(shown: ShownNotification): 'clicked' | 'collected' {
      const notification = shown.ref.deref();
      if (!notification) return 'collected';
      notification.emit('click', electronEvent());
      return 'clicked';
    },
    reset(): void {
      app.removeAllListeners();
      Object.assign(state, {
        ready: deferred(),
        isReady: false,
        singleInstanceLock: true,
        isPackaged: false,
        quitRequests: 0,
        exitCode: null,
        appUserModelId: null,
        loginItem: null,
        windows: [],
        trays: [],
        notificationsSupported: true,
        notifications: [],
        handlers: new Map(),
        renderer: null,
        mainWorld: {},
        errorBoxes: [],
        messageBoxes: [],
        openedUrls: [],
        clipboard: '',
        clipboardRefuses: null,
      });
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/**
 * Runs a full garbage collection, so a test can show what survives it. Node exposes `gc` only
 * with --expose-gc; setting the flag at run time and reading `gc` from a fresh context does the
 * same without changing how the test runner starts.
 */
export async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // WeakRefs read in the current job stay alive until it ends, so collect in later ones.
  for (let round = 0; round < 3; round += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
  }
}

function readTemplate(
  template: Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>,
): MenuEntry[] {
  return template.map((item) => {
    const options = item as Electron.MenuItemConstructorOptions;
    const submenu = Array.isArray(options.submenu)
      ? readTemplate(options.submenu as Electron.MenuItemConstructorOptions[])
      : undefined;
    return {
      label: options.label ?? (options.type === 'separator' ? '---' : ''),
      ...(options.type ? { type: options.type } : {}),
      ...(options.checked === undefined ? {} : { checked: options.checked }),
      ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
      ...(options.click
        ? {
            click: () =>
              options.click!(item as Electron.MenuItem, undefined, {} as Electron.KeyboardEvent),
          }
        : {}),
      ...(submenu ? { submenu } : {}),
    };
  });
}

function primaryDisplay(): Electron.Display {
  const bounds = { x: 0, y: 0, width: 1920, height: 1080 };
  return {
    accelerometerSupport: 'unknown',
    bounds,
    colorDepth: 24,
    colorSpace: '',
    depthPerComponent: 8,
    detected: true,
    displayFrequency: 60,
    id: 1,
    internal: false,
    label: 'Fake display',
    maximumCursorSize: { width: 64, height: 64 },
    monochrome: false,
    nativeOrigin: { x: 0, y: 0 },
    rotation: 0,
    scaleFactor: 1,
    size: { width: 1920, height: 1080 },
    touchSupport: 'unknown',
    workArea: { x: 0, y: 25, width: 1920, height: 1055 },
    workAreaSize: { width: 1920, height: 1055 },
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}
