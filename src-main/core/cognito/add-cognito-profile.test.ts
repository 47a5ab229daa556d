import { readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from '../../../test/helpers/workspace';
import { loadProfiles } from '../config/profiles';
import { addCognitoProfile, type CognitoSettings } from './add-cognito-profile';

let ws: Workspace;
beforeEach(async () => {
  ws = await createWorkspace();
});
afterEach(() => ws.dispose());

const settings: CognitoSettings = {
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1example23456789',
  username: 'alice',
  identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
  authFlow: 'USER_SRP_AUTH',
  region: 'eu-west-1',
};

describe('addCognitoProfile', () => {
  it('adds the section after every byte of the file as it was, with its line endings', async () => {
    const before =
      '# my profiles\r\n[profile dev]\r\nregion = us-east-1 ; kept\r\n\r\n[default]\r\nregion=eu-west-2';
    await writeFile(ws.configFile, before);
    await chmod(ws.configFile, 0o640);
    expect(
      await addCognitoProfile(ws.configFile, 'app', {
        ...settings,
        authFlow: 'USER_PASSWORD_AUTH',
      }),
    ).toBe('added');
    const after = await readFile(ws.configFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe(
      '\r\n\r\n[profile app]\r\nregion = eu-west-1\r\ncognito_user_pool_id = eu-west-1_AbCdEf123\r\ncognito_client_id = 1example23456789\r\ncognito_username = alice\r\ncognito_identity_pool_id = eu-west-1:11111111-2222-3333-4444-555555555555\r\ncognito_auth_flow = USER_PASSWORD_AUTH\r\n',
    );
    expect((await stat(ws.configFile)).mode & 0o777).toBe(0o640);
    const catalog = await loadProfiles({
      configFile: ws.configFile,
      credentialsFile: ws.credentialsFile,
    });
    expect(catalog.profiles.find((p) => p.name === 'app')).toMatchObject({
      kind: 'cognito',
      authFlow: 'USER_PASSWORD_AUTH',
    });
    expect(catalog.profiles.find((p) => p.name === 'app')).not.toHaveProperty('notLoadableReason');
  });

  it('creates a missing file, owner only', async () => {
    const configFile = join(ws.dir, 'new', 'config');
    expect(await addCognitoProfile(configFile, 'app', settings)).toBe('created');
    expect(await readFile(configFile, 'utf8')).toMatch(/^\[profile app\]\nregion = eu-west-1\n/);
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
  });

  it('changes nothing when the profile is there already, or the settings would not load', async () => {
    const before = '[profile app]\nregion = us-east-1\n';
    await writeFile(ws.configFile, before);
    await expect(addCognitoProfile(ws.configFile, 'app', settings)).rejects.toThrow(
      `${ws.configFile} already has a section for profile app, so nothing was changed; choose another name, or edit that section by hand.`,
    );
    await expect(
      addCognitoProfile(ws.configFile, 'other', { ...settings, userPoolId: 'AbC' }),
    ).rejects.toThrow(/Profile other could not be loaded like this: its cognito_user_pool_id/);
    await expect(
      addCognitoProfile(ws.configFile, 'other', { ...settings, username: 'al\nice' }),
    ).rejects.toThrow(/line break/);
    expect(await readFile(ws.configFile, 'utf8')).toBe(before);
  });
});
