import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { Snapshot } from '../src-shared/snapshot';
import { entryView, MFA_SERIAL as SERIAL, mfaQuestion } from '../src-shared/testing/views';
import { screenshot } from './screenshot';
import { slotRow } from './slot-row';

/**
 * The question dialog of the built window, in Chromium, as the desktop app shows it: a stand-in
 * for the preload's `window.rolecall` keeps a snapshot with an MFA question, takes "123456" as
 * the right code (anything else comes back refused, as the broker does), and records every call.
 * The same dialog against a real `rolecall serve --ui` is in web-ui-questions.spec.ts.
 */
const RENDERER = join(__dirname, '../out/renderer');
const ORIGIN = 'http://rolecall.test';
const mfa = mfaQuestion({ since: new Date().toISOString() });
const hour = () => new Date(Date.now() + 3_600_000).toISOString();
const waiting: Snapshot = {
  defaultProfile: 'admin',
  slots: ['base'],
  entries: [
    entryView('admin', { state: 'refreshing', expiresAt: hour(), parents: ['base'] }),
    entryView('base', { state: 'needs-input', expiresAt: hour(), waitingFor: mfa.key }),
  ],
  inputRequests: [mfa],
};

async function openWindow(page: Page): Promise<void> {
  await page.route(`${ORIGIN}/**`, (route) =>
    route.fulfill({ path: join(RENDERER, new URL(route.request().url()).pathname) }),
  );
  await page.addInitScript((initial: Snapshot) => {
    let snapshot = initial;
    const snapshotListeners = new Set<(snapshot: unknown) => void>();
    const questionListeners = new Set<(key: string) => void>();
    const calls: Array<[string, unknown]> = [];
    const push = (next: Snapshot) => {
      snapshot = next;
      snapshotListeners.forEach((listener) => listener(snapshot));
    };
    const answers: Record<string, (args: never) => unknown> = {
      getSnapshot: () => snapshot,
      listProfiles: () => [],
      listSessions: () => [],
      getServerInfo: () => null,
      answerInput: ({ key, answer }: { key: string; answer: string }) => {
        const asked = snapshot.inputRequests?.find((question) => question.key === key);
        if (!asked) throw new Error(`No question ${key} is waiting.`);
        // The broker answers at once; the source tries the code, then asks again or renews.
        setTimeout(() => {
          if (answer === '123456') {
            push({
              ...snapshot,
              inputRequests: undefined,
              entries: snapshot.entries.map((entry) => ({
                ...entry,
                state: 'fresh' as const,
                waitingFor: undefined,
              })),
            });
          } else {
            push({
              ...snapshot,
              inputRequests: [
                { ...asked, retryReason: 'AWS refused the code: it is wrong or was used already.' },
              ],
            });
          }
        }, 150);
        return { ...snapshot, inputRequests: [] };
      },
      dismissInput: () => {
        const next = {
          ...snapshot,
          inputRequests: undefined,
          entries: snapshot.entries.map((entry) => ({
            ...entry,
            state: 'stale' as const,
            waitingFor: undefined,
            lastError: 'Nobody answered the question.',
          })),
        };
        push(next);
        return next;
      },
    };
    const bridge = new Proxy(
      {
        subscribeSnapshots(listener: (snapshot: unknown) => void) {
          snapshotListeners.add(listener);
          return () => snapshotListeners.delete(listener);
        },
        subscribeShowQuestion(listener: (key: string) => void) {
          questionListeners.add(listener);
          return () => questionListeners.delete(listener);
        },
      } as Record<string, unknown>,
      {
        get: (target, name: string) =>
          target[name] ??
          (async (args: unknown) => {
            calls.push([name, args]);
            const answer = answers[name];
            return answer ? answer(args as never) : null;
          }),
      },
    );
    Object.assign(globalThis, {
      rolecall: bridge,
      calls,
      showQuestion: (key: string) => questionListeners.forEach((listener) => listener(key)),
    });
  }, waiting);
  await page.goto(`${ORIGIN}/index.html`);
}

const calls = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { calls: Array<[string, unknown]> }).calls);
const dialog = (page: Page) => page.getByRole('dialog', { name: `MFA code needed for ${SERIAL}` });
const codeField = (page: Page) => dialog(page).getByLabel('MFA code');

test('asks for the code in a labelled dialog, says why a code was refused, and closes once one is taken', async ({
  page,
}, testInfo) => {
  await openWindow(page);
  await expect(dialog(page)).toBeVisible();
  await expect(codeField(page)).toBeFocused();
  await expect(dialog(page)).toContainText(
    'base, and admin made from it, wait for it; what they hold is served until it expires.',
  );
  await screenshot(page, testInfo, 'question-dialog');

  // What is no code never leaves the window.
  await codeField(page).fill('12ab');
  await dialog(page).getByRole('button', { name: 'Send code' }).click();
  await expect(dialog(page)).toContainText('MFA code must be the 6 digits your MFA device shows.');
  await expect(codeField(page)).toHaveAttribute('aria-invalid', 'true');
  expect((await calls(page)).filter(([name]) => name === 'answerInput')).toEqual([]);

  await codeField(page).fill('111111');
  await codeField(page).press('Enter');
  await expect(dialog(page).getByRole('alert')).toHaveText(
    'AWS refused the code: it is wrong or was used already.',
  );
  await expect(codeField(page)).toHaveValue('');
  await expect(codeField(page)).toBeFocused();

  await codeField(page).fill('123456');
  await codeField(page).press('Enter');
  await expect(dialog(page)).toBeHidden();
  await expect(slotRow(page, 'base').locator('.state')).toHaveText('fresh');
  expect(await calls(page)).toEqual(
    expect.arrayContaining([
      ['answerInput', { key: mfa.key, answer: '111111' }],
      ['answerInput', { key: mfa.key, answer: '123456' }],
    ]),
  );
});

test('Escape only puts the question aside: the window says who waits, and brings it back', async ({
  page,
}) => {
  await openWindow(page);
  await expect(codeField(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeHidden();
  // Nothing was decided for the profiles waiting.
  expect((await calls(page)).map(([name]) => name)).not.toContain('dismissInput');
  const list = page.getByRole('region', { name: 'Waiting for you' });
  await expect(list).toContainText(`MFA code needed for ${SERIAL}`);
  await expect(slotRow(page, 'base')).toContainText(`waiting for the MFA code of ${SERIAL}`);
  await expect(slotRow(page, 'Default')).toContainText(
    `waiting for the MFA code of ${SERIAL} (through base)`,
  );
  await expect(slotRow(page, 'base').locator('.state')).toHaveText('waiting for you');

  const answerButton = list.getByRole('button', { name: `Enter the code for ${SERIAL}…` });
  await answerButton.click();
  await expect(codeField(page)).toBeFocused();
  await dialog(page).getByRole('button', { name: 'Later' }).click();
  // Focus goes back to the control that opened it.
  await expect(answerButton).toBeFocused();

  // The desktop app asks the window to show it (a click on its notification or tray item).
  await page.evaluate(
    (key) => (globalThis as unknown as { showQuestion(key: string): void }).showQuestion(key),
    mfa.key,
  );
  await expect(codeField(page)).toBeFocused();
});

test('stops waiting only after a confirmation', async ({ page }) => {
  await openWindow(page);
  await dialog(page).getByRole('button', { name: 'Stop waiting…' }).click();
  await expect(dialog(page)).toContainText(
    'Stop waiting for this code? base will fail to renew until loaded again.',
  );
  await expect(dialog(page).getByRole('button', { name: 'Back' })).toBeFocused();
  await dialog(page).getByRole('button', { name: 'Back' }).click();
  await expect(codeField(page)).toBeVisible();
  expect((await calls(page)).map(([name]) => name)).not.toContain('dismissInput');

  await dialog(page).getByRole('button', { name: 'Stop waiting…' }).click();
  await dialog(page).getByRole('button', { name: 'Stop waiting', exact: true }).click();
  await expect(dialog(page)).toBeHidden();
  expect(await calls(page)).toContainEqual(['dismissInput', { key: mfa.key }]);
  await expect(slotRow(page, 'base')).toContainText('Nobody answered the question.');
});

test('has no accessibility violations with the dialog open, in light and dark', async ({
  page,
}) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openWindow(page);
    await expect(codeField(page)).toBeFocused();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((violation) => `${scheme}: ${violation.id} ${violation.help}`)).toEqual(
      [],
    );
    await dialog(page).getByRole('button', { name: 'Stop waiting…' }).click();
    const confirming = await new AxeBuilder({ page }).analyze();
    expect(confirming.violations.map((violation) => `${scheme}: ${violation.id}`)).toEqual([]);
  }
});
