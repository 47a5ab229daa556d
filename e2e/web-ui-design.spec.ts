import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { FakeFederation } from '../test/fixtures/fake-federation';
import { startServe, uiLink, type ServeProcess } from '../test/helpers/rolecall-process';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';
import { slotRow } from './slot-row';

/**
 * The designed window against a real `rolecall serve --ui`, by keyboard alone: the command
 * palette switches the default slot, pins, and opens the console; pinned profiles stay pinned;
 * the tray view (the popover's route) switches in one press; the states that teach, with their
 * fix; and axe in light and dark on each.
 */
let ws: Workspace;
let serve: ServeProcess;
let federation: FakeFederation;

/** A credential_process printing these credentials, valid for an hour. */
function printing(accessKeyId: string) {
  return `#!/bin/sh\nnode -e 'process.stdout.write(JSON.stringify({Version:1,AccessKeyId:"${accessKeyId}",SecretAccessKey:"${accessKeyId}-secret",SessionToken:"${accessKeyId}-token",Expiration:new Date(Date.now()+3600000).toISOString()}))'\n`;
}

test.beforeAll(async () => {
  ws = await createWorkspace();
  federation = await FakeFederation.start();
  federation.know(
    {
      accessKeyId: 'ASIADESIGNPROD',
      secretAccessKey: 'ASIADESIGNPROD-secret',
      sessionToken: 'ASIADESIGNPROD-token',
    },
    'role',
  );
  ws.env.ROLECALL_SIGNIN_URL = federation.url;
  const dev = await ws.script('dev', printing('ASIADESIGNDEV'));
  const prod = await ws.script('prod', printing('ASIADESIGNPROD'));
  await ws.writeConfig(
    [
      '[profile dev]',
      `credential_process = ${dev}`,
      '[profile prod]',
      'region = eu-west-1',
      `credential_process = ${prod}`,
      '',
    ].join('\n'),
  );
  serve = await startServe(ws.env, ['--ui']);
});

test.afterAll(async () => {
  await serve?.stop();
  await federation?.close();
  await ws?.dispose();
});

/** Opens the palette with the keyboard, types, and runs the highlighted command with Enter. */
async function runFromPalette(page: Page, typed: string, expected: string) {
  await page.keyboard.press('Control+k');
  const search = page.getByRole('combobox', { name: 'Search profiles, accounts and actions' });
  await expect(search).toBeFocused();
  await page.keyboard.type(typed);
  await expect(page.getByRole('option', { selected: true })).toHaveText(new RegExp(`^${expected}`));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeHidden();
}

async function axeClean(page: Page, what: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(
      violations.map((v) => v.id),
      `${what}, ${colorScheme}`,
    ).toEqual([]);
  }
}

test('switches, pins and opens the console from the palette, by keyboard alone', async ({
  page,
  context,
}) => {
  // Four full axe scans on a busy machine.
  test.slow();
  await page.goto(await uiLink(ws.env));
  await expect(page.getByRole('button', { name: 'Load dev', exact: true })).toBeVisible();

  // Switch: the default slot is filled with prod, and a note says so.
  await runFromPalette(page, 'switch prod', 'Switch to prod');
  await expect(slotRow(page, 'Default').locator('.profile-name')).toHaveText(['prod']);
  await expect(page.getByRole('status').filter({ hasText: 'Switched to prod' })).toBeVisible();
  // The time left: a countdown, the words beside it, and the bar.
  await expect(slotRow(page, 'Default').locator('.time-words')).toHaveText(/^renews in \d+m/);
  await expect(slotRow(page, 'Default').locator('svg.time-bar .mark')).toHaveCount(1);

  // Escape closes the palette and gives focus back where it was.
  await page.getByRole('searchbox').focus();
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox')).toBeFocused();

  // Pin: listed at the top, as a one-press switch, and still there after a reload.
  await runFromPalette(page, 'pin dev', 'Pin dev');
  const pinned = page.getByRole('group', { name: 'Pinned' });
  await expect(pinned.getByRole('button', { name: 'Switch to dev' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pin dev' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.reload();
  await expect(pinned.getByRole('button', { name: 'Switch to dev' })).toBeVisible();
  // prod was used, so it is listed as recent.
  await expect(
    page.getByRole('group', { name: 'Recent' }).getByRole('button', { name: 'Switch to prod' }),
  ).toBeVisible();

  // The pinned switch, by keyboard: focus it and press Enter.
  await pinned.getByRole('button', { name: 'Switch to dev' }).focus();
  await page.keyboard.press('Enter');
  await expect(slotRow(page, 'Default').locator('.profile-name')).toHaveText(['dev']);

  // Open console: a new tab through the fake federation endpoint, signed in as prod.
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    runFromPalette(page, 'console prod', 'Open console as prod'),
  ]);
  await expect(tab.locator('#signed-in')).toContainText('Signed in as ASIADESIGNPROD');
  await tab.close();

  // An account (here the profiles of no account) folds away and back, by keyboard.
  const fold = page.getByRole('button', { name: /Other profiles/ });
  await fold.focus();
  await page.keyboard.press('Enter');
  await expect(fold).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('button', { name: 'Load dev', exact: true })).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Load dev', exact: true })).toBeVisible();

  await page.keyboard.press('Control+k');
  await axeClean(page, 'the palette');
  await page.keyboard.press('Escape');
  await axeClean(page, 'the window');
});

test('the tray view: what is loaded, and a one-press switch of the default slot', async ({
  page,
}) => {
  test.slow();
  await page.goto(await uiLink(ws.env));
  // Pinned in the window, shown in the tray view (same page, same storage).
  await page.getByRole('button', { name: 'Pin prod' }).click();
  await page.getByRole('link', { name: 'Tray view' }).click();
  await expect(page).toHaveURL(/\?view=popover$/);
  const loaded = page.getByRole('region', { name: 'Loaded' });
  await page.getByRole('button', { name: 'Switch to prod' }).focus();
  await page.keyboard.press('Enter');
  // The default slot holds prod now (an earlier test may have loaded prod in its own slot too).
  await expect(
    loaded.locator('.popover-slot', { hasText: 'default slot' }).locator('.profile-name'),
  ).toHaveText('prod');
  await expect(loaded).toContainText(/renews in \d+m/);
  await expect(page.getByRole('button', { name: 'Open console as prod' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Copy exports' })).toBeEnabled();
  await axeClean(page, 'the tray view');
  await page.getByRole('link', { name: 'Full window' }).click();
  await expect(page.getByRole('tablist')).toBeVisible();
});

test('with no profile, says what to add to the config; Look again finds it', async ({ page }) => {
  test.slow();
  const empty = await createWorkspace();
  await empty.writeConfig('');
  const bare = await startServe(empty.env, ['--ui']);
  try {
    await page.goto(await uiLink(empty.env));
    const teach = page.getByRole('region', { name: 'No profiles yet' });
    await expect(teach).toContainText('~/.aws/config');
    await axeClean(page, 'no profiles');
    await empty.writeConfig(
      [
        '[profile dev]',
        `credential_process = ${await empty.script('dev', printing('X'))}`,
        '',
      ].join('\n'),
    );
    await teach.getByRole('button', { name: 'Look again' }).click();
    await expect(teach).toBeHidden();
    await expect(page.getByRole('button', { name: 'Load dev', exact: true })).toBeVisible();

    // The server goes away: the window says so, with the way back.
    await bare.stop();
    await page.getByRole('button', { name: 'Load dev', exact: true }).click();
    const off = page.getByRole('region', { name: 'Rolecall is not answering' });
    await expect(off).toContainText('rolecall serve --ui');
    await expect(off.getByRole('button')).toHaveText('Try again');
  } finally {
    await bare.stop().catch(() => undefined);
    await empty.dispose();
  }
});
