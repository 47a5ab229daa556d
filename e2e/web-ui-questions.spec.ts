import { spawn } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { FakeSts, FakeUser } from '../test/fixtures/fake-sts';
import { startFakeStsFor, writeKeysProfile } from '../test/helpers/fake-sts';
import {
  CLI,
  printedUiLink,
  startServe,
  type ServeProcess,
} from '../test/helpers/rolecall-process';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';
import { slotRow } from './slot-row';

/**
 * The question dialog of the web UI against a real `rolecall serve --ui` and the fake STS: a
 * `rolecall load` with no terminal waits for an MFA code, the dialog the browser shows takes a
 * wrong code (refused by STS, and said so) and then the right one, and the load goes on. The same
 * dialog, driven by a stand-in API, is in question-dialog.spec.ts.
 */
let ws: Workspace;
let fake: FakeSts;
let alice: FakeUser;
let serve: ServeProcess;
let link: string;

test.beforeAll(async () => {
  ws = await createWorkspace();
  fake = await startFakeStsFor(ws);
  alice = fake.createUser({ userName: 'alice', mfa: true });
  const admin = fake.createRole({ roleName: 'Admin', requireMfa: true });
  await writeKeysProfile(ws, 'base', alice);
  await ws.writeConfig(
    [
      '[profile base]',
      'region = eu-west-1',
      `mfa_serial = ${alice.mfaSerial!}`,
      '[profile admin]',
      `role_arn = ${admin.arn}`,
      'source_profile = base',
      '',
    ].join('\n'),
  );
  serve = await startServe(ws.env, ['--ui']);
  link = printedUiLink(serve);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await ws?.dispose();
});

/** `rolecall load …` in a session of its own: no terminal to ask in, so it waits for a door. */
function loadWithoutTerminal(profile: string) {
  const child = spawn(process.execPath, [CLI, 'load', profile], {
    env: ws.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { stderr: () => stderr, ended, stop: () => child.kill() };
}

const dialog = (page: Page) =>
  page.getByRole('dialog', { name: `MFA code needed for ${alice.mfaSerial!}` });
const codeField = (page: Page) => dialog(page).getByLabel('MFA code');

/** GetSessionToken calls signed with alice's keys: "ok" or the error STS answered. */
const sessionCalls = () =>
  fake.calls
    .filter(
      (call) => call.action === 'GetSessionToken' && call.signedBy?.principalArn === alice.arn,
    )
    .map((call) => call.outcome);

test('answers a waiting load from the dialog: a wrong code is refused in words, the right one loads', async ({
  page,
}) => {
  const load = loadWithoutTerminal('admin');
  try {
    await expect.poll(load.stderr, { timeout: 30_000 }).toContain('there is no terminal to ask in');

    await page.goto(link);
    await expect(dialog(page)).toBeVisible();
    await expect(codeField(page)).toBeFocused();
    // A first load: nothing is held, so nothing is said to be served meanwhile.
    await expect(dialog(page)).toContainText('admin and base wait for it.');
    await expect(dialog(page)).not.toContainText('served until it expires');

    const right = fake.mfaCode(alice.mfaSerial!);
    const wrong = right === '000000' ? '111111' : '000000';
    await codeField(page).fill(wrong);
    await codeField(page).press('Enter');
    await expect(dialog(page).getByRole('alert')).toHaveText(
      'AWS refused the code: it is wrong, or was already used. Enter the next code the device shows.',
    );
    await expect(codeField(page)).toHaveValue('');
    await expect(codeField(page)).toBeFocused();
    // Refused once, and not tried again: the code was wrong, and only a person has another.
    expect(sessionCalls()).toEqual(['AccessDenied']);

    // The refused code's dialog, as a screen reader meets it, in light and dark.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.map((violation) => `${scheme}: ${violation.id} ${violation.help}`)).toEqual(
        [],
      );
    }

    await codeField(page).fill(right);
    await dialog(page).getByRole('button', { name: 'Send code' }).click();
    await expect(dialog(page)).toBeHidden();
    expect(await load.ended, load.stderr()).toBe(0);
    expect(load.stderr()).toContain('Loaded admin into the default slot');
    await expect(slotRow(page, 'Default').locator('.profile-name')).toHaveText('admin');
    await expect(slotRow(page, 'Default').locator('.state')).toHaveText('fresh');
    expect(sessionCalls()).toEqual(['AccessDenied', 'ok']);
    expect(fake.callCount('AssumeRole')).toBe(1);
  } finally {
    load.stop();
  }
});
