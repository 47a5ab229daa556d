import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Snapshot } from '../src-shared/snapshot';

/**
 * The built window as the desktop app shows it, in Chromium: `window.rolecall` is a stand-in for
 * the preload's bridge (the preload itself is tested under Node with a fake `electron`), and
 * snapshots are pushed to it as the main process pushes them.
 */
const RENDERER = join(__dirname, '../out/renderer');
const ORIGIN = 'http://rolecall.test';

test('shows each snapshot the desktop bridge pushes, without asking for it', async ({ page }) => {
  await page.route(`${ORIGIN}/**`, (route) =>
    route.fulfill({ path: join(RENDERER, new URL(route.request().url()).pathname) }),
  );
  await page.addInitScript(() => {
    const listeners = new Set<(snapshot: unknown) => void>();
    const answers: Record<string, unknown> = {
      getSnapshot: { defaultProfile: null, slots: [], entries: [] },
      listProfiles: [],
      listSessions: [],
    };
    const bridge = new Proxy(
      {
        subscribeSnapshots(listener: (snapshot: unknown) => void) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        subscribeShowQuestion: () => () => undefined,
      } as Record<string, unknown>,
      {
        get: (target, name: string) => target[name] ?? (async () => answers[name] ?? null),
      },
    );
    Object.assign(globalThis, {
      rolecall: bridge,
      pushSnapshot: (snapshot: unknown) => listeners.forEach((listener) => listener(snapshot)),
    });
  });
  await page.goto(`${ORIGIN}/index.html`);
  const loaded = page.getByRole('region', { name: 'Loaded' });
  await expect(loaded).toContainText('Nothing is loaded');

  const pushed: Snapshot = {
    defaultProfile: 'dev',
    slots: [],
    entries: [
      {
        profile: 'dev',
        state: 'fresh',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        refreshedAt: new Date().toISOString(),
        nextRefreshAt: null,
        lastError: null,
        refreshCount: 1,
        refreshable: true,
      },
    ],
  };
  await page.evaluate(
    (snapshot) =>
      (globalThis as unknown as { pushSnapshot(s: unknown): void }).pushSnapshot(snapshot),
    pushed,
  );
  await expect(loaded).toContainText('dev');
  await expect(loaded).not.toContainText('Nothing is loaded');
});

test('opens the console through the desktop bridge, which keeps the URL in main', async ({
  page,
}) => {
  await page.route(`${ORIGIN}/**`, (route) =>
    route.fulfill({ path: join(RENDERER, new URL(route.request().url()).pathname) }),
  );
  await page.addInitScript(() => {
    const calls: Array<[string, unknown]> = [];
    const answers: Record<string, unknown> = {
      getSnapshot: { defaultProfile: null, slots: [], entries: [] },
      listProfiles: [{ name: 'prod', kind: 'sso', loadable: true }],
      listSessions: [],
      openConsole: { profile: 'prod', sessionEndsAt: null, loadedIntoSlot: true },
    };
    const bridge = new Proxy(
      {
        subscribeSnapshots: () => () => undefined,
        subscribeShowQuestion: () => () => undefined,
      } as Record<string, unknown>,
      {
        get: (target, name: string) =>
          target[name] ??
          (async (args: unknown) => {
            calls.push([name, args]);
            return answers[name] ?? null;
          }),
      },
    );
    Object.assign(globalThis, { rolecall: bridge, bridgeCalls: calls });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.getByRole('button', { name: 'Open console as prod' }).click();
  const calls = async () => (await page.evaluate('bridgeCalls')) as Array<[string, unknown]>;
  await expect.poll(async () => (await calls()).map(([name]) => name)).toContain('openConsole');
  expect(await calls()).toContainEqual(['openConsole', { profile: 'prod' }]);
  expect((await calls()).map(([name]) => name)).not.toContain('consoleSignIn');
  // Nothing for the page to open itself: the browser is main's business.
  expect(page.context().pages()).toHaveLength(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
