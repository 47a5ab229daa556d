import { fromHttp } from '@aws-sdk/credential-providers';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  printedUiLink,
  runCli,
  startServe,
  uiLink,
  type ServeProcess,
} from '../test/helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from '../test/helpers/workspace';
import { withEnv } from '../test/helpers/with-env';
import { screenshot } from './screenshot';
import { slotRow } from './slot-row';

/**
 * The web UI of `rolecall serve --ui` in Chromium: load into the default slot and a named slot,
 * watch the countdown, see the AWS SDK get the same credentials, unload, and see an expired slot
 * explained. Each main screen is photographed (see e2e/README.md for where to).
 */
/** A name like those IAM Identity Center roles get: long, with a slash. */
const LONG = 'team/AdministratorAccessForTheWholeOrganisation';
let ws: Workspace;
let serve: ServeProcess;
let link: string;

test.beforeAll(async () => {
  ws = await createWorkspace();
  const dev = await ws.script('dev', credentialScript({ accessKeyId: 'ASIAWEBUIDEV' }));
  const prod = await ws.script('prod', credentialScript({ accessKeyId: 'ASIAWEBUIPROD' }));
  const long = await ws.script('long', credentialScript({ accessKeyId: 'ASIAWEBUILONG' }));
  // Three-second credentials whose renewal fails: the slot goes stale, then expires.
  const flaky = await ws.script(
    'flaky',
    `#!/bin/sh\nif [ -e "$0.ran" ]; then echo "the token for team-ops has expired; run sso-login" >&2; exit 2; fi\ntouch "$0.ran"\nnode -e 'process.stdout.write(JSON.stringify({Version:1,AccessKeyId:"ASIAFLAKY",SecretAccessKey:"s",SessionToken:"t",Expiration:new Date(Date.now()+3000).toISOString()}))'\n`,
  );
  await ws.writeConfig(
    [
      '[profile dev]',
      `credential_process = ${dev}`,
      '[profile prod]',
      `credential_process = ${prod}`,
      '[profile ops]',
      `credential_process = ${flaky}`,
      `[profile ${LONG}]`,
      `credential_process = ${long}`,
      // Two roles made from each other: listed, with why neither can load.
      '[profile loop-a]',
      'role_arn = arn:aws:iam::111122223333:role/A',
      'source_profile = loop-b',
      '[profile loop-b]',
      'role_arn = arn:aws:iam::111122223333:role/B',
      'source_profile = loop-a',
      '',
    ].join('\n'),
  );
  serve = await startServe(ws.env, ['--ui']);
  link = printedUiLink(serve);
});

test.afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

test('loads, counts down, serves the SDK the same slot, unloads, and explains an expired slot', async ({
  page,
}, testInfo) => {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Rolecall' })).toBeVisible();
  // The one-time code left the address bar as soon as the page read it.
  expect(page.url()).not.toContain('code=');
  await expect(page.getByText('Nothing is loaded. Load a profile below.')).toBeVisible();
  await expect(
    page.getByText('its source_profile settings loop: loop-a → loop-b → loop-a'),
  ).toBeVisible();
  await screenshot(page, testInfo, 'profiles');

  await page.getByRole('button', { name: 'Load dev', exact: true }).click();
  const devRow = slotRow(page, 'Default');
  await expect(devRow).toContainText('fresh');
  const first = await devRow.locator('.countdown').textContent();
  await expect(devRow.locator('.countdown')).not.toHaveText(first ?? '', { timeout: 3000 });

  await page.getByRole('button', { name: 'Load prod in its slot' }).click();
  await expect(slotRow(page, 'prod')).toContainText('fresh');
  await screenshot(page, testInfo, 'loaded');

  // The AWS SDK, pointed at the slot the UI shows, gets that profile's credentials.
  const vars = JSON.parse(
    (await runCli(['env', '--format', 'json', '--profile', 'prod'], ws.env)).stdout,
  ) as Record<string, string>;
  await withEnv(vars, async () => {
    expect((await fromHttp({})()).accessKeyId).toBe('ASIAWEBUIPROD');
  });

  await page.getByRole('button', { name: 'Unload prod' }).click();
  await expect(slotRow(page, 'prod')).toHaveCount(0);

  await page.getByRole('searchbox').fill('ops');
  await expect(page.getByRole('button', { name: 'Load dev', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Load ops in its slot' }).click();
  const opsRow = slotRow(page, 'ops');
  await expect(opsRow.locator('.state')).toHaveText('expired', { timeout: 10_000 });
  await expect(opsRow.locator('.countdown')).toHaveText('expired');
  await expect(opsRow).toContainText('the token for team-ops has expired; run sso-login');
  await screenshot(page, testInfo, 'expired');
});

test('refuses the API to a page without a session, and to other origins', async ({
  page,
  request,
}) => {
  const origin = new URL(link).origin;
  const bearer = (await runCli(['token'], ws.env)).stdout.trim();
  // The bearer token never appears in what `rolecall serve --ui` prints.
  expect(serve.stderr()).not.toContain(bearer.slice('Bearer '.length));
  const api = new URL('/api/getSnapshot', origin).href;
  expect((await request.post(api, { data: {} })).status()).toBe(401);
  expect(
    (
      await request.post(api, {
        data: {},
        headers: { origin: 'https://evil.example', authorization: bearer },
      })
    ).status(),
  ).toBe(403);
  await page.goto(new URL('/ui/', origin).href);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Open the web UI with a link from rolecall ui');
  await expect(alert.locator('code').first()).toHaveText('rolecall ui');

  // A link works once: the printed one was used by the first test.
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('This link was used already or has expired');

  // Even the web UI's own page, holding the bearer token, gets no credentials: browsers never do.
  await page.goto(await uiLink(ws.env));
  await expect(page.getByRole('heading', { name: 'Loaded' })).toBeVisible();
  const fromPage = (await page.evaluate(
    `fetch('/', { headers: { authorization: '${bearer}' } }).then((r) => r.status)`,
  )) as number;
  expect(fromPage).toBe(403);
});

test('a page without a session shows only what to do next, even while slots are loaded', async ({
  page,
  context,
}) => {
  await runCli(['load', 'dev'], ws.env);
  const onlyWhatToDo = async (tab: Page, said: string) => {
    await expect(tab.getByRole('alert')).toHaveText(said);
    await expect(tab.getByRole('alert').locator('code')).toHaveText('rolecall ui');
    // Nothing that looks like a working, empty window.
    await expect(tab.getByRole('tablist')).toHaveCount(0);
    await expect(tab.getByText('Nothing is loaded')).toHaveCount(0);
    await expect(tab.getByText('No profiles match')).toHaveCount(0);
    await expect(tab.getByRole('button')).toHaveCount(0);
  };

  const once = await uiLink(ws.env);
  await page.goto(once);
  await expect(page.getByRole('row', { name: /dev/ })).toBeVisible();

  // The same link again, in a tab of its own.
  const again = await context.newPage();
  await again.goto(once);
  await onlyWhatToDo(
    again,
    'This link was used already or has expired. Run rolecall ui for a new one.',
  );
  // A new link pasted into that tab opens the window there.
  await again.goto(await uiLink(ws.env));
  await expect(again.getByRole('row', { name: /dev/ })).toBeVisible();

  // A session the server no longer knows (as after a restart) ends the same way, in its own words.
  await page.evaluate("sessionStorage.setItem('rolecall-session', 'from-before-a-restart')");
  await page.reload();
  await onlyWhatToDo(
    page,
    'This page’s session ended when Rolecall was restarted. Run rolecall ui for a new link.',
  );
  // And is forgotten: the tab does not keep presenting a dead session.
  expect(await page.evaluate("sessionStorage.getItem('rolecall-session')")).toBeNull();
  await runCli(['unload', '--all'], ws.env);
});

test('shows where profiles are loaded and each slot’s URL, fits 420 px, and lines buttons up with their text', async ({
  page,
}, testInfo) => {
  await runCli(['load', 'dev'], ws.env);
  await runCli(['load', 'prod', '--slot'], ws.env);
  await runCli(['load', LONG, '--slot'], ws.env);
  await page.goto(await uiLink(ws.env));

  // Each slot by name, with the URL AWS tools fetch it from.
  const base = serve.info.url;
  await expect(slotRow(page, 'Default').locator('.slot-url')).toHaveText(base);
  await expect(slotRow(page, 'prod').locator('.slot-url')).toHaveText(`${base}slot/prod`);
  const longUrl = slotRow(page, LONG).locator('.slot-url');
  await expect(longUrl).toHaveText(`${base}slot/team%2FAdministratorAccessForTheWholeOrganisation`);
  // The URL shown is the one the AWS SDK gets that slot's credentials from.
  const authorization = (await runCli(['token'], ws.env)).stdout.trim();
  await withEnv(
    {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: (await longUrl.textContent())!,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: authorization,
    },
    async () => {
      expect((await fromHttp({})()).accessKeyId).toBe('ASIAWEBUILONG');
    },
  );

  // The profile list says which profiles are loaded, and where.
  const item = (name: string) =>
    page
      .getByRole('listitem')
      .filter({ has: page.locator('.profile-name').getByText(name, { exact: true }) });
  await expect(item('dev').locator('.loaded-in')).toHaveText('Loaded in the default slot');
  await expect(item('prod').locator('.loaded-in')).toHaveText('Loaded in its own slot');
  await expect(item('ops').locator('.loaded-in')).toHaveCount(0);

  const middle = async (locator: Locator) => {
    const box = (await locator.boundingBox())!;
    return box.y + box.height / 2;
  };
  for (const width of [1100, 420]) {
    await page.setViewportSize({ width, height: 800 });
    // Nothing sticks out of the window's column (main's content box).
    const outside = (await page.evaluate(`(() => {
      const main = document.querySelector('main');
      const right = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
      return [...main.querySelectorAll('*')]
        .filter((element) => element.getBoundingClientRect().right > right + 0.5)
        .map((element) => element.tagName + '.' + element.className + ' ' + element.textContent.slice(0, 30));
    })()`)) as string[];
    expect(outside, `at ${width} px`).toEqual([]);
    // A button's label on the line of its row's text, not a few pixels below it.
    for (const slot of ['Default', 'prod']) {
      const row = slotRow(page, slot);
      const offset =
        (await middle(row.getByRole('button'))) - (await middle(row.locator('.slot-name')));
      expect(Math.abs(offset), `${slot} row at ${width} px`).toBeLessThanOrEqual(1);
    }
    for (const name of ['dev', 'ops']) {
      const offset =
        (await middle(item(name).getByRole('button').first())) -
        (await middle(item(name).locator('.profile-name')));
      expect(Math.abs(offset), `${name} item at ${width} px`).toBeLessThanOrEqual(1);
    }
  }
  await screenshot(page, testInfo, 'narrow');
  await runCli(['unload', '--all'], ws.env);
});
