import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { loaded, mfaQuestion, openWorld, profiles, type World } from './design-fixture';
import { screenshot } from './screenshot';

/**
 * The look of the main screens, compared pixel by pixel with the committed baselines
 * (`toHaveScreenshot`), in light and dark, and checked with axe. The world is fixed
 * (design-fixture.ts: the built renderer, fixed data, a stopped clock, self-hosted fonts), so a
 * change that alters the look shows here and nothing else does. After a deliberate change of the
 * look, retake the baselines with `npx playwright test web-ui-looks --update-snapshots`.
 */
const quiet: World = { snapshot: { ...loaded, inputRequests: [] } };

async function axeClean(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
  ).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme}`, () => {
    test.use({ colorScheme: scheme });

    // Each runs a full axe scan, slow on a busy machine.
    test.slow();

    test('the window', async ({ page }, testInfo) => {
      await openWorld(page, quiet);
      await expect(page.getByRole('row', { name: /prod-readonly/ })).toContainText(
        'renews in 28m 00s',
      );
      await axeClean(page);
      await expect(page).toHaveScreenshot(`window-${scheme}.png`, { fullPage: true });
      await screenshot(page, testInfo, `window-${scheme}`);
    });

    test('the popover', async ({ page }, testInfo) => {
      await page.setViewportSize({ width: 360, height: 540 });
      await openWorld(page, { ...quiet, view: 'popover' });
      await expect(page.getByRole('group', { name: 'Pinned' })).toBeVisible();
      await axeClean(page);
      await expect(page).toHaveScreenshot(`popover-${scheme}.png`);
      await screenshot(page, testInfo, `popover-${scheme}`);
    });

    test('the command palette', async ({ page }, testInfo) => {
      await openWorld(page, quiet);
      await page.keyboard.press('Control+k');
      await page.keyboard.type('prod');
      await expect(page.getByRole('option', { selected: true })).toHaveText(/Switch to prod-admin/);
      await axeClean(page);
      await expect(page).toHaveScreenshot(`palette-${scheme}.png`);
      if (scheme === 'light') await screenshot(page, testInfo, 'palette');
    });

    test('an MFA prompt', async ({ page }, testInfo) => {
      await openWorld(page, { snapshot: { ...loaded, inputRequests: [mfaQuestion] } });
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.getByRole('textbox', { name: 'MFA code' }).fill('12345');
      await axeClean(page);
      await expect(page).toHaveScreenshot(`prompt-${scheme}.png`);
      if (scheme === 'light') await screenshot(page, testInfo, 'prompt');
    });

    test('a slot that expires and cannot renew', async ({ page }, testInfo) => {
      await openWorld(page, { snapshot: loaded });
      // The sign-in it waits for, put aside: the row says why it cannot renew.
      await page.getByRole('button', { name: 'Later' }).click();
      const row = page.getByRole('row', { name: /dev-admin/ });
      await expect(row).toContainText('expires in 3m 00s — cannot renew: sign in');
      await axeClean(page);
      await expect(page.getByRole('region', { name: 'Loaded' })).toHaveScreenshot(
        `expiring-${scheme}.png`,
      );
      if (scheme === 'light') await screenshot(page, testInfo, 'expiring');
    });
  });
}

test.describe('states that teach', () => {
  test.slow();
  test('no profiles: what to add to the config, Look again, and moving in', async ({ page }) => {
    await openWorld(page, {
      profiles: [],
      sessions: [],
      snapshot: { ...loaded, entries: [], defaultProfile: null, slots: [], inputRequests: [] },
    });
    const teach = page.getByRole('region', { name: 'No profiles yet' });
    await expect(teach).toContainText('[profile dev]');
    await expect(teach.getByRole('button')).toHaveText([
      'Look again',
      'Move in from Leapp',
      'Move in from aws-vault',
    ]);
    await axeClean(page);
    await expect(teach).toHaveScreenshot('teach-no-profiles.png');
  });

  test('no sign-in: the one button that signs in', async ({ page }) => {
    const signedOut = profiles
      .filter((profile) => profile.kind === 'sso')
      .map((profile) => ({ ...profile, loadable: false, signInFirst: 'acme' }));
    await openWorld(page, {
      profiles: signedOut,
      snapshot: { ...quiet.snapshot!, entries: [], defaultProfile: null, slots: [] },
    });
    const teach = page.getByRole('region', { name: 'Sign in to acme to load a profile' });
    await expect(teach.getByRole('button')).toHaveText('Sign in to acme');
    await axeClean(page);
  });

  test('keychain locked: the keychain’s own words, and Try again', async ({ page }) => {
    const locked =
      'The OS keychain is not usable: the login keychain is locked. Unlock your login keychain (Keychain Access) and allow Rolecall to use it, then try again.';
    await openWorld(page, { ...quiet, failing: { getSnapshot: locked } });
    const teach = page.getByRole('region', { name: 'The keychain is locked' });
    await expect(teach).toContainText('Unlock your login keychain');
    await expect(teach.getByRole('button')).toHaveText('Try again');
    // Said once, in the state that teaches, not again in an alert above it.
    await expect(page.getByRole('alert')).toHaveCount(0);
    await axeClean(page);
  });

  test('in the popover too, without the example', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 540 });
    await openWorld(page, {
      view: 'popover',
      profiles: [],
      sessions: [],
      snapshot: { ...loaded, entries: [], defaultProfile: null, slots: [], inputRequests: [] },
    });
    const teach = page.getByRole('region', { name: 'No profiles yet' });
    await expect(teach.getByRole('button')).toHaveText('Look again');
    await expect(teach.locator('pre')).toHaveCount(0);
  });
});

test('the prompts open as dialogs in the popover too', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 540 });
  await openWorld(page, { view: 'popover', snapshot: { ...loaded, inputRequests: [mfaQuestion] } });
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'MFA code' })).toBeFocused();
  await page.keyboard.press('Escape');
  // Put aside, it waits in the popover's list, and comes back from there.
  await page.getByRole('button', { name: /Enter the code for/ }).click();
  await expect(dialog).toBeVisible();
});
