import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import {
  startFakeIdentityCenter,
  type FakeIdentityCenter,
} from '../test/fixtures/fake-identity-center';
import { loginWithApprovedCode, printedCode, runLogin } from '../test/helpers/cli-login';
import {
  printedUiLink,
  runCli,
  startServe,
  uiLink,
  type ServeProcess,
} from '../test/helpers/rolecall-process';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';
import { screenshot } from './screenshot';
import { slotRow } from './slot-row';

/** Signing in to IAM Identity Center from the web UI, against the fake Identity Center. */
let ws: Workspace;
let fake: FakeIdentityCenter;
let serve: ServeProcess;
let env: NodeJS.ProcessEnv;
let link: string;

test.beforeAll(async () => {
  ws = await createWorkspace();
  fake = await startFakeIdentityCenter({ accounts: 3, rolesPerAccount: 2 });
  await ws.writeConfig(
    `[sso-session corp]\nsso_start_url = ${fake.startUrl}\nsso_region = eu-west-1\n`,
  );
  env = { ...ws.env, AWS_ENDPOINT_URL_SSO: fake.url, AWS_ENDPOINT_URL_SSO_OIDC: fake.url };
  serve = await startServe(env, ['--ui']);
  link = printedUiLink(serve);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await ws?.dispose();
});

const signInButtons = (page: Page) => [
  page.getByRole('button', { name: 'Sign in to corp with a code' }),
  page.getByRole('button', { name: 'Sign in to corp in the browser' }),
];
const cancelButton = (page: Page) =>
  page.getByRole('button', { name: 'Cancel the sign-in to corp' });

test('signs in with a device code, sees every account and role, and loads one', async ({
  page,
}, testInfo) => {
  await page.goto(link);
  await expect(page.getByText('not signed in')).toBeVisible();
  await page.getByRole('button', { name: 'Sign in to corp with a code' }).click();
  const code = page.locator('.user-code');
  await expect(code).toBeVisible();
  await screenshot(page, testInfo, 'sign-in');
  fake.approveDeviceCode((await code.textContent()) ?? undefined);

  await expect(page.getByText(/signed in until/)).toBeVisible({ timeout: 15_000 });
  for (const account of [
    'Account 00 (100000000000)',
    'Account 01 (100000000001)',
    'Account 02 (100000000002)',
  ]) {
    // The fold shows the account's name and id, and how many profiles it holds.
    const [, name, id] = /^(.*) \((\d+)\)$/.exec(account)!;
    await expect(page.getByRole('heading', { name: `${name} ${id}` })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Load Account 01/Role2', exact: true }).click();
  await expect(slotRow(page, 'Default').locator('.profile-name')).toHaveText('Account 01/Role2');
  await expect(slotRow(page, 'Default').locator('.state')).toHaveText('fresh');
  await screenshot(page, testInfo, 'signed-in');

  await page.getByRole('button', { name: 'Sign out of corp' }).click();
  await expect(page.getByText('not signed in')).toBeVisible();
  await expect(page.getByText('Nothing is loaded.')).toBeVisible();
});

test("after signing out, offers the sign-in in place of its roles' Load buttons", async ({
  page,
  context,
}, testInfo) => {
  // Roles found by an earlier sign-in, then a sign-out.
  expect((await loginWithApprovedCode(env, fake, 'corp')).code).toBe(0);
  expect((await runCli(['logout', 'corp'], env)).code).toBe(0);
  await page.goto(await uiLink(env));
  await expect(page.getByText('not signed in')).toBeVisible();
  // The roles found before are still listed, but can't load until someone signs in.
  await expect(page.getByRole('heading', { name: 'Account 01 100000000001' })).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Load Account 01/Role2', exact: true }),
  ).toHaveCount(0);
  await expect(page.getByText('Sign in to corp first.').first()).toBeVisible();
  await screenshot(page, testInfo, 'signed-out');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((violation) => `${violation.id} ${violation.help}`)).toEqual([]);

  await page.getByRole('button', { name: 'Sign in to corp to load Account 01/Role2' }).click();
  const link = page.getByRole('link', { name: 'continue signing in to corp' });
  await expect(link).toBeVisible();
  await expect(page.getByRole('status').filter({ has: link })).toBeFocused();
  // The user's browser: already signed in to Identity Center, it comes back to Rolecall.
  const browser = await context.newPage();
  await browser.goto((await link.getAttribute('href'))!);
  await expect(browser.getByText('Signed in to corp.')).toBeVisible();
  await browser.close();

  await expect(page.getByText(/signed in until/)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Load Account 01/Role2', exact: true }).click();
  await expect(
    // The row's name is its cells: the slot, its URL, then the profile.
    page.getByRole('row', { name: /^Default .*Account 01\/Role2/ }).locator('.state'),
  ).toHaveText('fresh');
  await page.getByRole('button', { name: 'Sign out of corp' }).click();
  await expect(page.getByText('not signed in')).toBeVisible();
});

test('shows a sign-in at the click, before the core answers, and cancels it', async ({ page }) => {
  await page.goto(await uiLink(env));
  await expect(page.getByText('not signed in')).toBeVisible();
  // The core takes its time to answer, as it does when Identity Center is slow.
  let release!: () => void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/startSignIn', async (route) => {
    await answered;
    await route.continue();
  });
  await signInButtons(page)[0]!.click();
  await expect(page.getByText('Starting the sign-in to corp…')).toBeVisible({ timeout: 500 });
  for (const button of signInButtons(page)) await expect(button).toHaveCount(0);
  await expect(cancelButton(page)).toBeVisible();
  release();
  await expect(page.locator('.user-code')).toBeVisible();
  await page.unroute('**/api/startSignIn');

  await cancelButton(page).click();
  await expect(page.locator('.user-code')).toHaveCount(0);
  await expect(signInButtons(page)[0]!).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('.error-detail')).toHaveCount(0);
  // The core let go of it too: a terminal can sign in now.
  const login = runLogin(env, ['corp', '--device-code', '--no-browser']);
  fake.approveDeviceCode(await printedCode(login));
  expect(await login.done).toBe(0);
  await runCli(['logout', 'corp'], env);
});

test("shows a terminal's waiting sign-in, not an error, and cancels it from the window", async ({
  page,
}) => {
  await page.goto(await uiLink(env));
  await expect(page.getByText('not signed in')).toBeVisible();
  // A terminal starts a sign-in after the window last looked; the window's click finds it.
  const login = runLogin(env, ['corp', '--device-code', '--no-browser']);
  const code = await printedCode(login);
  await signInButtons(page)[1]!.click();

  await expect(page.locator('.user-code')).toHaveText(code);
  await expect(page.getByText('It was started with rolecall login in a terminal')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((violation) => `${violation.id} ${violation.help}`)).toEqual([]);

  await cancelButton(page).click();
  expect(await login.done).toBe(1);
  expect(login.stderr()).toContain('The sign-in to corp was cancelled');
  await expect(signInButtons(page)[0]!).toBeVisible();
  await expect(page.locator('.user-code')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);

  // A window opened while a terminal's sign-in waits shows it from the start.
  const again = runLogin(env, ['corp', '--device-code', '--no-browser']);
  const secondCode = await printedCode(again);
  await page.reload();
  await expect(page.locator('.user-code')).toHaveText(secondCode);
  await cancelButton(page).click();
  expect(await again.done).toBe(1);
});
