import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src-shared/snapshot';
import { entryView } from '../../src-shared/testing/views';
import { ManualClock, settle } from '../../test/helpers/manual-clock';
import { CHECK_INTERVAL_MS, FIRST_CHECK_DELAY_MS } from './models/update-policy';
import { setupUpdates, type Updater } from './updates';

const MINUTE = 60_000;
const idle: Snapshot = { defaultProfile: null, slots: [], entries: [] };
const renewing: Snapshot = {
  defaultProfile: 'dev',
  slots: [],
  entries: [entryView('dev', { state: 'refreshing' })],
};

/** electron-updater as the app drives it: checks are recorded, a download is announced by hand. */
function fakeUpdater() {
  const listeners = new Map<string, (value: never) => void>();
  const state = {
    checks: [] as number[],
    installs: [] as Array<[boolean | undefined, boolean | undefined]>,
    failNextCheck: null as string | null,
  };
  const updater: Updater = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    async checkForUpdates() {
      state.checks.push(clock.now());
      if (state.failNextCheck) {
        const message = state.failNextCheck;
        state.failNextCheck = null;
        throw new Error(message);
      }
      return null;
    },
    quitAndInstall(isSilent, isForceRunAfter) {
      state.installs.push([isSilent, isForceRunAfter]);
    },
    on(event: string, listener: (value: never) => void) {
      listeners.set(event, listener);
      return updater;
    },
  } as Updater;
  const downloaded = (version: string) =>
    (listeners.get('update-downloaded') as (info: { version: string }) => void)({ version });
  return { updater, state, downloaded };
}

let clock: ManualClock;

function start(
  options: { packaged?: boolean; enabled?: () => boolean; snapshot?: () => Snapshot } = {},
) {
  clock = new ManualClock();
  const fake = fakeUpdater();
  const notices: Array<string | null> = [];
  const warnings: string[] = [];
  const updates = setupUpdates({
    updater: fake.updater,
    clock,
    packaged: options.packaged ?? true,
    enabled: options.enabled ?? (() => true),
    snapshot: options.snapshot ?? (() => idle),
    onNotice: (notice) => notices.push(notice),
    warn: (sentence) => warnings.push(sentence),
  });
  return { ...fake, updates, notices, warnings, startedAt: clock.now() };
}

describe('checking for updates', () => {
  it('checks five minutes after start, then every four hours; installing is left to the app', async () => {
    const { updater, state, updates, startedAt } = start();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(false);

    await clock.advance(FIRST_CHECK_DELAY_MS - 1);
    expect(state.checks).toEqual([]);
    await clock.advance(1);
    expect(state.checks).toEqual([startedAt + 5 * MINUTE]);
    await clock.advance(CHECK_INTERVAL_MS * 2);
    expect(state.checks).toEqual([
      startedAt + 5 * MINUTE,
      startedAt + 5 * MINUTE + 4 * 60 * MINUTE,
      startedAt + 5 * MINUTE + 8 * 60 * MINUTE,
    ]);
    updates.stop();
  });

  it('keeps checking after a failed check, and says why it failed', async () => {
    const { state, warnings, updates } = start();
    state.failNextCheck = 'net::ERR_INTERNET_DISCONNECTED';
    await clock.advance(FIRST_CHECK_DELAY_MS);
    await settle();
    expect(warnings).toEqual(['Checking for updates failed: net::ERR_INTERNET_DISCONNECTED']);
    await clock.advance(CHECK_INTERVAL_MS);
    expect(state.checks).toHaveLength(2);
    updates.stop();
  });

  it('never checks when turned off in the settings, nor run from a clone; again once turned on', async () => {
    let enabled = false;
    const off = start({ enabled: () => enabled });
    await clock.advance(24 * 60 * MINUTE);
    expect(off.state.checks).toEqual([]);
    enabled = true;
    off.updates.reschedule();
    await clock.advance(FIRST_CHECK_DELAY_MS);
    expect(off.state.checks).toHaveLength(1);
    off.updates.stop();

    const clone = start({ packaged: false });
    await clock.advance(24 * 60 * MINUTE);
    expect(clone.state.checks).toEqual([]);
  });

  it('stops checking once an update waits to be installed, and shows a notice', async () => {
    const { state, downloaded, notices, updates } = start();
    await clock.advance(FIRST_CHECK_DELAY_MS);
    downloaded('1.4.0');
    expect(notices).toEqual(['Rolecall 1.4.0 is ready; it installs when you quit Rolecall.']);
    expect(updates.notice()).toBe('Rolecall 1.4.0 is ready; it installs when you quit Rolecall.');
    await clock.advance(24 * 60 * MINUTE);
    expect(state.checks).toHaveLength(1);
  });
});

describe('installing at quit', () => {
  it('installs the downloaded update silently, without starting the app again', async () => {
    const { state, downloaded, updates } = start();
    expect(updates.decideAtQuit()).toEqual({ kind: 'nothing' });
    downloaded('1.4.0');
    expect(updates.decideAtQuit()).toEqual({ kind: 'install', version: '1.4.0' });
    expect(state.installs).toEqual([]);
    updates.install();
    expect(state.installs).toEqual([[true, false]]);
  });

  it('never while credentials are being renewed: the update waits for a later quit', () => {
    let snapshot = renewing;
    const { state, downloaded, updates } = start({ snapshot: () => snapshot });
    downloaded('1.4.0');
    expect(updates.decideAtQuit()).toEqual({
      kind: 'not-now',
      reason: 'Credentials were being renewed; Rolecall 1.4.0 installs when you next quit.',
    });
    expect(state.installs).toEqual([]);
    snapshot = idle;
    expect(updates.decideAtQuit()).toMatchObject({ kind: 'install' });
  });

  it('not when updates were turned off after the download', () => {
    let enabled = true;
    const { state, downloaded, updates, notices } = start({ enabled: () => enabled });
    downloaded('1.4.0');
    enabled = false;
    updates.reschedule();
    expect(notices.at(-1)).toBeNull();
    expect(updates.decideAtQuit()).toEqual({
      kind: 'not-now',
      reason: 'Automatic updates are turned off in the settings.',
    });
    expect(state.installs).toEqual([]);
  });
});
