import { expect, test } from '@playwright/test';
import { FakeOAuth } from '../test/fixtures/fake-oauth';
import {
  printedUiLink,
  runCli,
  startServe,
  type ServeProcess,
} from '../test/helpers/rolecall-process';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';

/** Bearer tokens in the web UI, against the fake OAuth2 token endpoint. */
let ws: Workspace;
let fake: FakeOAuth;
let serve: ServeProcess;
let link: string;

test.beforeAll(async () => {
  ws = await createWorkspace();
  fake = await FakeOAuth.start();
  fake.clients.set('cli', { secret: 'the-secret', auth: 'basic' });
  const added = await runCli(
    ['oauth', 'add', 'api', '--token-url', fake.url, '--client-id', 'cli', '--client-secret-stdin'],
    ws.env,
    'the-secret\n',
  );
  expect(added.code, added.stderr).toBe(0);
  serve = await startServe(ws.env, ['--ui']);
  link = printedUiLink(serve);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await ws?.dispose();
});

test('lists a token with its state and time left, renews it, and removes it after asking', async ({
  page,
}) => {
  await page.goto(link);
  const tokens = page.getByRole('table', { name: 'Tokens' });
  const row = tokens.getByRole('row', { name: /api/ });
  await expect(row.locator('.state')).toHaveText('fresh');
  await expect(row).toContainText('OAuth2 client credentials');
  await expect(row.locator('.time-words')).toHaveText(/^renews in /);
  await expect(row.locator('svg.time-bar')).toBeAttached();
  await expect(page.getByText('rolecall oauth add <name>')).toBeVisible();

  const before = fake.requests.length;
  await page.getByRole('button', { name: 'Renew api' }).click();
  await expect.poll(() => fake.requests.length).toBe(before + 1);
  await expect(row.locator('.state')).toHaveText('fresh');

  // The issuer now refuses the client: the refusal shows, in its words, on the row.
  fake.tricks.push({ kind: 'error', status: 401, error: 'invalid_client' });
  await page.getByRole('button', { name: 'Renew api' }).click();
  await expect(page.getByRole('alert')).toContainText('invalid_client');
  await expect(row.locator('.error-detail')).toContainText('invalid_client');
  await expect(row.locator('.time-words')).toHaveText(/cannot renew|renewal failing/);

  // No access token ever reaches the page.
  const html = await page.content();
  for (const token of fake.issuedAccessTokens) expect(html).not.toContain(token);

  await page.getByRole('button', { name: 'Remove api…' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toBeVisible();
  await page.getByRole('button', { name: 'Remove api…' }).click();
  await expect(page.getByText('Remove api and its secrets from the keychain?')).toBeVisible();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Tokens' })).toHaveCount(0);
  expect((await runCli(['oauth', 'list', '--json'], ws.env)).stdout.trim()).toBe('[]');
});
