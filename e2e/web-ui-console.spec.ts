import { expect, test } from '@playwright/test';
import { FakeFederation } from '../test/fixtures/fake-federation';
import { startServe, uiLink, type ServeProcess } from '../test/helpers/rolecall-process';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';

/**
 * "Open console" in the web UI of `rolecall serve --ui`, in Chromium: the tab it opens goes through
 * a one-time link to the server and on to a fake AWS federation endpoint (ROLECALL_SIGNIN_URL),
 * which signs in only with exactly the credentials Rolecall serves for the profile.
 */
let ws: Workspace;
let serve: ServeProcess;
let federation: FakeFederation;

/** A credential_process printing these credentials. */
function printing(accessKeyId: string) {
  return `#!/bin/sh\nnode -e 'process.stdout.write(JSON.stringify({Version:1,AccessKeyId:"${accessKeyId}",SecretAccessKey:"${accessKeyId}-secret",SessionToken:"${accessKeyId}-token",Expiration:new Date(Date.now()+3600000).toISOString()}))'\n`;
}

test.beforeAll(async () => {
  ws = await createWorkspace();
  federation = await FakeFederation.start();
  const credentials = (accessKeyId: string) => ({
    accessKeyId,
    secretAccessKey: `${accessKeyId}-secret`,
    sessionToken: `${accessKeyId}-token`,
  });
  federation.know(credentials('ASIACONSOLEPROD'), 'role');
  // An IAM user's session, which the real endpoint never signs in with.
  federation.know(credentials('ASIACONSOLEUSER'), 'user-session');
  ws.env.ROLECALL_SIGNIN_URL = federation.url;
  const prod = await ws.script('prod', printing('ASIACONSOLEPROD'));
  const user = await ws.script('user', printing('ASIACONSOLEUSER'));
  await ws.writeConfig(
    [
      '[profile prod]',
      'region = eu-west-1',
      `credential_process = ${prod}`,
      '[profile user]',
      `credential_process = ${user}`,
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

test('opens the console as a profile in a new tab, through a one-time link the page never sees past', async ({
  page,
  context,
}) => {
  await page.goto(await uiLink(ws.env));
  const signedIn = page.waitForResponse('**/api/consoleSignIn');
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Open console as prod' }).click(),
  ]);
  await expect(tab.locator('#signed-in')).toContainText('Signed in as ASIACONSOLEPROD');

  // The tab landed on the endpoint's login, field by field.
  const landed = new URL(tab.url());
  expect(`${landed.origin}${landed.pathname}`).toBe(federation.url);
  expect([...landed.searchParams.keys()]).toEqual([
    'Action',
    'Issuer',
    'Destination',
    'SigninToken',
  ]);
  expect(landed.searchParams.get('Action')).toBe('login');
  expect(landed.searchParams.get('Issuer')).toBe('rolecall');
  expect(landed.searchParams.get('Destination')).toBe(
    'https://console.aws.amazon.com/console/home?region=eu-west-1',
  );
  expect(federation.logins).toEqual([
    expect.objectContaining({ accessKeyId: 'ASIACONSOLEPROD', issuer: 'rolecall' }),
  ]);
  expect(federation.requests.at(-1)).toMatchObject({
    outcome: 'ok',
    session: {
      sessionId: 'ASIACONSOLEPROD',
      sessionKey: 'ASIACONSOLEPROD-secret',
      sessionToken: 'ASIACONSOLEPROD-token',
    },
  });

  // The page itself got only the one-time link, which is spent now.
  const answer = (await (await signedIn).json()) as { url: string };
  expect(answer.url).toMatch(new RegExp(`^${serve.info.url}console/[\\w-]{43}$`));
  expect(answer.url).not.toContain('SigninToken');
  expect((await page.request.get(answer.url, { maxRedirects: 0 })).status()).toBe(404);
  // Loaded into its own slot to sign in; the default slot is left as it was.
  await expect(page.getByRole('row', { name: /prod/ })).toBeVisible();
  await tab.close();
});

test('says in the window why the console could not be opened, and closes the tab it opened', async ({
  page,
  context,
}) => {
  await page.goto(await uiLink(ws.env));
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Open console as user' }).click(),
  ]);
  await expect(page.getByRole('alert')).toContainText(
    "refused the credentials of profile user (HTTP 400). It takes only role credentials and federated users' credentials",
  );
  await expect.poll(() => tab.isClosed()).toBe(true);
});
