import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { fromHttp } from '@aws-sdk/credential-providers';
import { expect, test, type Page } from '@playwright/test';
import {
  runCli,
  startServe,
  type ServeProcess,
  printedUiLink,
  uiLink,
} from '../test/helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from '../test/helpers/workspace';
import { withEnv } from '../test/helpers/with-env';
import { freePort } from '../test/helpers/free-port';
import { screenshot } from './screenshot';
import { slotRow } from './slot-row';

/**
 * The server panel (address, copying exports, revealing and rotating the token), the settings
 * panel, keyboard use, and an accessibility scan of every screen, against `rolecall serve --ui`.
 */
let ws: Workspace;
let serve: ServeProcess;
let origin: string;

test.beforeAll(async () => {
  ws = await createWorkspace();
  const dev = await ws.script('dev', credentialScript({ accessKeyId: 'ASIASERVERPANEL' }));
  await ws.writeConfig(`[profile dev]\ncredential_process = ${dev}\n`);
  serve = await startServe(ws.env, ['--ui']);
  origin = new URL(printedUiLink(serve)).origin;
});

test.afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

const tab = (page: Page, name: string) => page.getByRole('tab', { name });
const status = async (authorization: string) =>
  (await fetch(new URL('/slot', serve.info.url), { headers: { authorization } })).status;

test('is usable from the keyboard alone: tabs with arrow keys, then filter and load', async ({
  page,
}) => {
  await page.goto(await uiLink(ws.env));
  await expect(page.getByRole('heading', { name: 'Profiles', exact: true })).toBeVisible();
  // The header first: the command palette, the link to the tray view; then the tab list.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /Search profiles and actions/ })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Tray view' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(tab(page, 'Profiles')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(tab(page, 'Server')).toBeFocused();
  await expect(tab(page, 'Server')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'Credentials server' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(tab(page, 'Settings')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(tab(page, 'Profiles')).toBeFocused();

  // Tab leaves the tab list for the panel: the filter, then the account's fold, the profile's
  // pin, and its Load button.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('searchbox')).toBeFocused();
  await page.keyboard.type('dev');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /Other profiles/ })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Pin dev' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Load dev', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(slotRow(page, 'Default')).toContainText('fresh');
  await runCli(['unload', '--all'], ws.env);
});

test('has no accessibility violations on any screen, in light and dark', async ({
  page,
  context,
}) => {
  // Ten full scans.
  test.slow();
  // Screens with something in them: a profile in the default slot and in its own.
  await runCli(['load', 'dev'], ws.env);
  await runCli(['load', 'dev', '--slot'], ws.env);
  const scan = async (target: Page, what: string) => {
    const { violations } = await new AxeBuilder({ page: target }).analyze();
    expect(violations.map((violation) => `${what}: ${violation.id} ${violation.help}`)).toEqual([]);
  };
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(await uiLink(ws.env));
    const screens = { Profiles: 'Loaded', Server: 'Shell exports', Settings: 'Renewal' };
    for (const [name, shown] of Object.entries(screens)) {
      await tab(page, name).click();
      await expect(tab(page, name)).toHaveAttribute('aria-selected', 'true');
      // Scan once the panel's data has arrived, not its loading state.
      await expect(page.getByText(shown, { exact: true })).toBeVisible();
      if (name === 'Profiles') await expect(page.getByRole('row', { name: /dev/ })).toHaveCount(2);
      await scan(page, `${scheme} ${name}`);
    }
    // Settings saying what is wrong, and warning.
    await page.getByLabel('Port').fill('80');
    await page.getByLabel('Renew credentials when fewer than this many minutes remain').fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Port must be 1024 or more.')).toBeVisible();
    await scan(page, `${scheme} Settings with problems`);
    // A narrow window stacks the Loaded table's cells.
    await tab(page, 'Profiles').click();
    await page.setViewportSize({ width: 420, height: 760 });
    await expect(page.getByRole('row', { name: /dev/ })).toHaveCount(2);
    await scan(page, `${scheme} Profiles at 420 px`);
    await page.setViewportSize({ width: 1100, height: 760 });

    const without = await context.newPage();
    await without.emulateMedia({ colorScheme: scheme });
    await without.goto(new URL('/ui/', origin).href);
    await expect(without.getByRole('alert')).toBeVisible();
    await scan(without, `${scheme} without a session`);
    await without.close();
  }
  await runCli(['unload', '--all'], ws.env);
});

test('copies exports the AWS SDK can use, reveals the token, and rotates it', async ({
  page,
  context,
}, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin,
  });
  await runCli(['load', 'dev'], ws.env);
  await page.goto(await uiLink(ws.env));
  await tab(page, 'Server').click();
  await expect(page.getByText(serve.info.url)).toBeVisible();
  await expect(page.getByText('Plain HTTP on this machine only')).toBeVisible();

  await page.getByLabel('Shell').selectOption('json');
  await page.getByRole('button', { name: 'Copy exports' }).click();
  await expect(page.getByRole('status').first()).toContainText('Copied as JSON');
  await screenshot(page, testInfo, 'server');
  const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
  const vars = JSON.parse(copied) as Record<string, string>;
  expect(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(serve.info.url);
  await withEnv(vars, async () => {
    expect((await fromHttp({})()).accessKeyId).toBe('ASIASERVERPANEL');
  });

  const old = (await runCli(['token'], ws.env)).stdout.trim();
  await expect(page.locator('#token-value')).toBeEmpty();
  await page.getByRole('button', { name: 'Reveal token' }).click();
  await expect(page.locator('#token-value')).toHaveText(old);

  await page.getByRole('button', { name: 'Rotate token…' }).click();
  await expect(page.getByRole('button', { name: 'Rotate now' })).toBeFocused();
  await page.getByRole('button', { name: 'Rotate now' }).click();
  await expect(page.getByText('Rotated. Programs using the old token now get 401')).toBeVisible();
  const fresh = (await runCli(['token'], ws.env)).stdout.trim();
  expect(fresh).not.toBe(old);
  await expect(page.locator('#token-value')).toHaveText(fresh);
  expect(await status(old)).toBe(401);
  expect(await status(fresh)).toBe(200);

  // The page itself goes on with the new token.
  await page.getByRole('button', { name: 'Hide token' }).click();
  await expect(page.locator('#token-value')).toBeEmpty();
  await tab(page, 'Profiles').click();
  await page.getByRole('button', { name: 'Unload dev' }).click();
  await expect(page.getByText('Nothing is loaded.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('saves settings and says what waits for a restart', async ({ page }, testInfo) => {
  await page.goto(await uiLink(ws.env));
  await tab(page, 'Settings').click();
  const lead = page.getByLabel('Renew credentials when fewer than this many minutes remain');
  await expect(lead).toHaveValue('20');
  await expect(page.getByLabel('Start Rolecall when I log in')).toBeDisabled();

  const port = await freePort();
  await page.getByLabel('Port').fill(String(port));
  await lead.fill('30');
  await page.getByLabel('Warn this many minutes before (comma-separated)').fill('10, 1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved to')).toBeVisible();
  await expect(
    page.getByText(`In effect now: port ${serve.info.port}, HTTP.`, { exact: false }),
  ).toBeVisible();
  const note = page.getByText('take effect when rolecall serve starts again');
  await expect(note).toBeVisible();
  // The command in the core's sentence is shown as code, not between backticks.
  await expect(note.locator('code')).toHaveText('rolecall serve');
  await screenshot(page, testInfo, 'settings');

  const saved = JSON.parse(await readFile(join(ws.home, 'settings.json'), 'utf8')) as unknown;
  expect(saved).toEqual({
    refresh: { minRemainingMinutes: 30 },
    notifications: { beforeMinutes: [10, 1] },
    server: { port },
  });
  await page.reload();
  await tab(page, 'Settings').click();
  await expect(lead).toHaveValue('30');
});

test('refuses bad settings beside their field, in words, until fixed or the tab is left', async ({
  page,
}) => {
  await page.goto(await uiLink(ws.env));
  await tab(page, 'Settings').click();
  const port = page.getByLabel('Port');
  const save = page.getByRole('button', { name: 'Save settings' });
  await expect(port).toHaveValue(/\d+/);

  await port.fill('65536');
  await save.click();
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  await expect(port).toHaveAccessibleDescription('Port must be 65535 or less.');
  await expect(port).toBeFocused();
  // Beside the field, not in a banner at the top of the window; no internal names.
  const problem = page.getByText('Port must be 65535 or less.');
  const [field, text] = [await port.boundingBox(), await problem.boundingBox()];
  expect(text!.y - (field!.y + field!.height)).toBeGreaterThanOrEqual(0);
  expect(text!.y - (field!.y + field!.height)).toBeLessThan(16);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(/updateSettings|server\.port/);

  // Fixing the field takes the problem away.
  await port.fill('4150');
  await expect(problem).toHaveCount(0);
  await expect(port).not.toHaveAttribute('aria-invalid');

  // Leaving the tab does too.
  await port.fill('80');
  await save.click();
  await expect(page.getByText('Port must be 1024 or more.')).toBeVisible();
  await tab(page, 'Profiles').click();
  await expect(page.getByText('Port must be 1024 or more.')).toHaveCount(0);
  await tab(page, 'Settings').click();
  await expect(page.getByText('Port must be 1024 or more.')).toHaveCount(0);
  await expect(port).not.toHaveAttribute('aria-invalid');

  // What the core refuses is said beside Save, and also goes when the tab is left.
  const file = join(ws.home, 'settings.json');
  const before = await readFile(file, 'utf8').catch(() => null);
  await writeFile(file, '{ not json');
  await page.getByLabel('Renew credentials when fewer than this many minutes remain').fill('25');
  await save.click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('Fix or remove it before changing settings here.');
  // Beside the Save button (or just under it, in a narrow window).
  const [button, said] = [await save.boundingBox(), await refusal.boundingBox()];
  expect(said!.y).toBeGreaterThanOrEqual(button!.y - 4);
  expect(said!.y).toBeLessThan(button!.y + button!.height + 16);
  await tab(page, 'Server').click();
  await tab(page, 'Settings').click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await (before === null ? rm(file) : writeFile(file, before));
});

test('warns, and still saves, a refresh lead shorter than the SDKs’ own 15 minutes', async ({
  page,
}) => {
  await page.goto(await uiLink(ws.env));
  await tab(page, 'Settings').click();
  const lead = page.getByLabel('Renew credentials when fewer than this many minutes remain');
  const warning = /^Under 15 minutes, AWS SDKs fetch credentials again before Rolecall renews them/;
  await lead.fill('15');
  await expect(page.getByText(warning)).toHaveCount(0);
  await lead.fill('5');
  await expect(page.getByText(warning)).toBeVisible();
  await expect(lead).toHaveAccessibleDescription(warning);
  await expect(lead).not.toHaveAttribute('aria-invalid');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved to')).toBeVisible();
  await expect(lead).toHaveValue('5');
  await expect(page.getByText(warning)).toBeVisible();
  const saved = JSON.parse(await readFile(join(ws.home, 'settings.json'), 'utf8')) as {
    refresh: unknown;
  };
  expect(saved.refresh).toEqual({ minRemainingMinutes: 5 });
});
