import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';
import { freePort } from '../test/helpers/free-port';

const requireHere = createRequire(__filename);

/** The Electron binary, or why there is none (its installer downloads it; some machines can't). */
function electronBinary(): { path: string } | { reason: string } {
  try {
    return { path: requireHere('electron') as string };
  } catch (error) {
    return {
      reason: `no Electron binary is installed here (${(error as Error).message.split('\n')[0]})`,
    };
  }
}

const binary = electronBinary();
let ws: Workspace;

test.describe('the desktop app', () => {
  test.skip(
    'reason' in binary,
    'reason' in binary ? `${binary.reason}; run \`npm start\` once where it can be downloaded` : '',
  );

  test.beforeAll(async () => {
    ws = await createWorkspace();
  });
  test.afterAll(async () => {
    await ws?.dispose();
  });

  test('opens the profile window with the preload API and keeps running in the tray when it closes', async () => {
    const app = await electron.launch({
      executablePath: (binary as { path: string }).path,
      args: ['.'],
      env: { ...ws.env } as Record<string, string>,
    });
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Rolecall' })).toBeVisible();
    expect(
      await window.evaluate(() => typeof (window as unknown as { rolecall?: object }).rolecall),
    ).toBe('object');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
    await window.close();
    expect(await app.evaluate(({ app }) => app.isReady())).toBe(true);
    await app.close();
  });

  test('moves its credentials server to a new port at once, and offers to start at login', async () => {
    const app = await electron.launch({
      executablePath: (binary as { path: string }).path,
      args: ['.'],
      env: { ...ws.env } as Record<string, string>,
    });
    const window = await app.firstWindow();
    await window.getByRole('tab', { name: 'Settings' }).click();
    await expect(window.getByLabel('Start Rolecall when I log in')).toBeEnabled();
    const port = await freePort();
    await window.getByLabel('Port').fill(String(port));
    await window.getByRole('button', { name: 'Save settings' }).click();
    await expect(window.getByText('Saved to')).toBeVisible();
    await window.getByRole('tab', { name: 'Server' }).click();
    await expect(window.getByText(`http://127.0.0.1:${port}/`)).toBeVisible();
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    await app.close();
  });
});
