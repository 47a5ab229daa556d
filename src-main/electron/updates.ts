import type { AppUpdater } from 'electron-updater';
import type { Snapshot } from '../../src-shared/snapshot';
import type { Clock, TimerHandle } from '../core/clock';
import { errorMessage } from '../core/errors';
import {
  installOnQuit,
  nextCheckAt,
  updateNotice,
  type InstallDecision,
  type UpdateFacts,
} from './models/update-policy';

/** The part of electron-updater's AppUpdater the app uses (a fake in tests). */
export type Updater = Pick<
  AppUpdater,
  'autoDownload' | 'autoInstallOnAppQuit' | 'checkForUpdates' | 'quitAndInstall'
> & {
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export interface UpdatesDeps {
  updater: Updater;
  clock: Clock;
  packaged: boolean;
  /** The `updates.automatic` setting, read at each decision. */
  enabled: () => boolean;
  snapshot: () => Snapshot;
  /** The window's notice changed (null: none). */
  onNotice: (notice: string | null) => void;
  warn: (sentence: string) => void;
}

export interface Updates {
  notice(): string | null;
  /** Asked as the app starts to quit, while the core still runs: install or not. */
  decideAtQuit(): InstallDecision;
  /** Installs the downloaded update and ends the app (after the core has closed). */
  install(): void;
  /** Looks again at the schedule (after the setting changed). */
  reschedule(): void;
  stop(): void;
}

/**
 * Background updates from GitHub Releases with electron-updater. The updater only checks and
 * downloads; installing is decided here at quit (`installOnQuit`), so it never happens while a
 * renewal runs — electron-updater's own install-on-quit would not ask.
 */
export function setupUpdates(deps: UpdatesDeps): Updates {
  const { updater, clock } = deps;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  let lastCheckAt: number | null = null;
  let busy = false;
  let downloaded: string | null = null;
  let timer: TimerHandle | null = null;
  const startedAt = clock.now();
  const facts = (): UpdateFacts => ({
    enabled: deps.enabled(),
    packaged: deps.packaged,
    startedAt,
    lastCheckAt,
    busy,
    downloaded,
  });

  updater.on('update-downloaded', (info) => {
    downloaded = info.version;
    // Nothing more to look for until it is installed.
    schedule();
    deps.onNotice(updateNotice(facts()));
  });
  updater.on('error', (error) => deps.warn(`Checking for updates failed: ${errorMessage(error)}`));

  async function check(): Promise<void> {
    busy = true;
    lastCheckAt = clock.now();
    try {
      await updater.checkForUpdates();
    } catch (error) {
      deps.warn(`Checking for updates failed: ${errorMessage(error)}`);
    } finally {
      busy = false;
      schedule();
    }
  }

  function schedule(): void {
    if (timer) clock.clearTimeout(timer);
    timer = null;
    const due = nextCheckAt(facts());
    if (due === null) return;
    timer = clock.setTimeout(() => void check(), Math.max(0, due - clock.now()));
  }

  schedule();
  return {
    notice: () => updateNotice(facts()),
    decideAtQuit: () => installOnQuit(facts(), deps.snapshot()),
    // Silently, and without starting the app again: the user asked to quit.
    install: () => updater.quitAndInstall(true, false),
    reschedule() {
      schedule();
      deps.onNotice(updateNotice(facts()));
    },
    stop() {
      if (timer) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
