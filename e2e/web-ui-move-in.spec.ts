import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import {
  leappAccessKeyIdAccount,
  leappSecretAccessKeyAccount,
} from '../src-main/core/import/leapp-candidates';
import { createKeytarStore } from '../src-main/core/secrets/keytar-store';
import { leappSession, leappWorkspace, writeLeappWorkspace } from '../test/helpers/leapp-fixture';
import { printedUiLink, startServe, type ServeProcess } from '../test/helpers/rolecall-process';
import { createWorkspace, type Workspace } from '../test/helpers/workspace';
import { screenshot } from './screenshot';

/**
 * Moving in from Leapp from the window's empty state: a Leapp workspace made as Leapp makes it
 * (encrypted under this machine's key, the IAM user's keys in the keychain under service Leapp),
 * the dry run's table in a dialog, Import, and the imported profile listed afterwards.
 */
let ws: Workspace;
let serve: ServeProcess;
let link: string;
const leapp = createKeytarStore('Leapp');
// Its own session id, so its keychain items never meet another test's.
const sessionId = `session-e2e-${randomBytes(4).toString('hex')}`;
const SECRET = 'e2eMoveInSecret0000000000000000000000000';

test.beforeAll(async () => {
  ws = await createWorkspace();
  await writeLeappWorkspace(
    ws.dir,
    leappWorkspace({
      profiles: [
        { id: 'profile-default', name: 'default' },
        { id: 'profile-alice', name: 'alice' },
      ],
      sessions: [
        leappSession({
          sessionId,
          sessionName: 'Alice keys',
          type: 'awsIamUser',
          region: 'eu-west-1',
          profileId: 'profile-alice',
        }),
        leappSession({
          sessionId: 'session-azure',
          sessionName: 'Contoso subscription',
          type: 'azure',
          region: 'eastus',
          subscriptionId: '00000000-0000-0000-0000-000000000002',
          tenantId: '00000000-0000-0000-0000-000000000001',
          azureIntegrationId: 'integration-contoso',
        }),
      ],
    }),
  );
  await leapp.set(leappAccessKeyIdAccount(sessionId), 'AKIAE2EMOVEIN0000001');
  await leapp.set(leappSecretAccessKeyAccount(sessionId), SECRET);
  serve = await startServe(ws.env, ['--ui']);
  link = printedUiLink(serve);
});

test.afterAll(async () => {
  await serve?.stop();
  await leapp.delete(leappAccessKeyIdAccount(sessionId)).catch(() => false);
  await leapp.delete(leappSecretAccessKeyAccount(sessionId)).catch(() => false);
  await ws?.dispose();
});

test('moves in from Leapp: the dry run, Import, then the profile is listed', async ({
  page,
}, testInfo) => {
  await page.goto(link);
  const teach = page.getByRole('region', { name: 'No profiles yet' });
  await teach.getByRole('button', { name: 'Move in from Leapp' }).click();

  const dialog = page.getByRole('dialog', { name: 'Move in from Leapp' });
  const table = dialog.getByRole('table', { name: 'What Leapp has' });
  await expect(table.getByRole('row', { name: /Alice keys/ })).toContainText(
    'would add: [profile alice] + access keys into the keychain',
  );
  await expect(table.getByRole('row', { name: /Contoso subscription/ })).toContainText(
    'not imported',
  );
  await screenshot(page, testInfo, 'move-in-preview');
  // The dry run changed nothing.
  expect(await readFile(ws.configFile, 'utf8')).toBe('');

  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('table', { name: 'What came in from Leapp' })).toContainText(
    'added: [profile alice]',
  );
  await expect(dialog).toContainText('Imported: added 1 section at the end of');
  await expect(dialog).toContainText('Load alice from the profile list.');
  await expect(dialog).not.toContainText(SECRET);
  await screenshot(page, testInfo, 'move-in-done');
  const config = await readFile(ws.configFile, 'utf8');
  expect(config).toContain('[profile alice]');
  expect(config).not.toContain(SECRET);

  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(teach).toBeHidden();
  await expect(page.getByRole('button', { name: 'Load alice', exact: true })).toBeVisible();
});
