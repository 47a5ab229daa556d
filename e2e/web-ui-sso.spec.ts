import { expect, test } from '@playwright/test';
import {
  startFakeIdentityCenter,
  type FakeIdentityCenter,
} from '../test/fixtures/fake-identity-center';
import { startServe, type ServeProcess, printedUiLink } from '../test/helpers/rolecall-process';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';
import { screenshot } from './screenshot';
import { slotRow } from './slot-row';

/** Signing in to IAM Identity Center from the web UI, against the fake Identity Center. */
let ws: Workspace;
let fake: FakeIdentityCenter;
let serve: ServeProcess;
let link: string;

test.beforeAll(async () => {
  ws = await createWorkspace();
  fake = await startFakeIdentityCenter({ accounts: 3, rolesPerAccount: 2 });
  await ws.writeConfig(
    `[sso-session corp]\nsso_start_url = ${fake.startUrl}\nsso_region = eu-west-1\n`,
  );
  serve = await startServe(
    { ...ws.env, AWS_ENDPOINT_URL_SSO: fake.url, AWS_ENDPOINT_URL_SSO_OIDC: fake.url },
    ['--ui'],
  );
  link = printedUiLink(serve);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await ws?.dispose();
});

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
    await expect(page.getByRole('heading', { name: account })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Load Account 01/Role2', exact: true }).click();
  await expect(slotRow(page, 'Default').locator('.profile-name')).toHaveText('Account 01/Role2');
  await expect(slotRow(page, 'Default').locator('.state')).toHaveText('fresh');
  await screenshot(page, testInfo, 'signed-in');

  await page.getByRole('button', { name: 'Sign out of corp' }).click();
  await expect(page.getByText('not signed in')).toBeVisible();
  await expect(page.getByText('Nothing is loaded.')).toBeVisible();
});
