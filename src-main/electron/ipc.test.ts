import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../test/helpers/fake-source';
import { ManualClock, settle } from '../../test/helpers/manual-clock';
import { createCore } from '../core/core';
import { createMemoryStore } from '../core/secrets/memory-store';
import { openConsoleChannel } from '../../src-shared/console';
import { pushSnapshots, setupOpenConsole } from './ipc';

const { fake } = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  return { fake: createFakeElectron() };
});
vi.mock('electron', () => fake.module);

beforeEach(() => fake.reset());

function setup() {
  const core = createCore({
    secrets: createMemoryStore(),
    clock: new ManualClock(),
    resolveSource: resolverFor(new FakeSource('dev', fakeCredentials())),
  });
  const ours = new fake.module.BrowserWindow();
  const other = new fake.module.BrowserWindow();
  return { broker: core.broker, ours, other };
}

// pushSnapshots takes Electron's WebContents; the fake implements the part of it the shell uses.
type Contents = Parameters<Parameters<typeof pushSnapshots>[0]['isOurWindow']>[0];
const asContents = (window: { webContents: object }) => window.webContents as Contents;

describe('pushSnapshots', () => {
  it('sends each new snapshot to our window on the shared snapshot channel', async () => {
    const { broker, ours } = setup();
    const stop = pushSnapshots({
      broker,
      receiver: () => asContents(ours),
      isOurWindow: (contents) => contents === asContents(ours),
    });
    await broker.load('dev');
    await settle();
    const last = ours.webContents.sent.at(-1)!;
    expect(last.channel).toBe('rolecall-push:snapshot');
    expect(last.args).toEqual([broker.snapshot()]);

    stop();
    const sent = ours.webContents.sent.length;
    broker.unload('dev');
    await settle();
    expect(ours.webContents.sent).toHaveLength(sent);
  });

  it('sends nothing to a window that is not ours, or one already destroyed', async () => {
    const { broker, ours, other } = setup();
    let receiver = other;
    pushSnapshots({
      broker,
      receiver: () => asContents(receiver),
      isOurWindow: (contents) => contents === asContents(ours),
    });
    await broker.load('dev');
    await settle();
    expect(other.webContents.sent).toEqual([]);

    // Electron throws on send to a destroyed webContents; the broker's listener must not.
    receiver = ours;
    ours.close();
    broker.unload('dev');
    await settle();
    expect(ours.webContents.sent).toEqual([]);
  });
});

describe('setupOpenConsole', () => {
  it('opens only for our window, with arguments checked, and answers errors as data', async () => {
    const { ours, other } = setup();
    const opened: unknown[] = [];
    setupOpenConsole(
      async (request) => {
        opened.push(request);
        return { profile: request.profile, sessionEndsAt: null, loadedIntoSlot: false };
      },
      (contents) => contents === asContents(ours),
    );
    const invoke = fake.module.ipcRenderer.invoke;

    fake.attachRenderer(other.webContents);
    expect(await invoke(openConsoleChannel, { profile: 'dev' })).toEqual({
      ok: false,
      error: { code: '403', message: 'This window may not call Rolecall.' },
    });
    fake.attachRenderer(ours.webContents);
    expect(await invoke(openConsoleChannel, { profile: 'dev', deliver: 'url' })).toMatchObject({
      ok: false,
      error: { code: '400' },
    });
    expect(opened).toEqual([]);
    expect(await invoke(openConsoleChannel, { profile: 'dev', region: 'eu-west-1' })).toEqual({
      ok: true,
      value: { profile: 'dev', sessionEndsAt: null, loadedIntoSlot: false },
    });
    expect(opened).toEqual([{ profile: 'dev', region: 'eu-west-1' }]);
  });
});
