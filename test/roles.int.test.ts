import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from './fixtures/fake-sts';
import { loginWithApprovedCode } from './helpers/cli-login';
import {
  ACCOUNT,
  RoleChains,
  roleArn,
  SECOND,
  SSO_ACCOUNT,
  type StatusEntry,
} from './helpers/role-chains';

/**
 * Assumed-role chains of depth 3 with real processes — `rolecall serve`, `load`, `keys import`,
 * `login`, `logout`, `profiles` and `status` — against a fake STS and a fake IAM Identity Center
 * that the SDK inside Rolecall talks to unmodified, on the real keychain: one chain per kind of
 * first link (long-lived keys in the keychain, an IAM Identity Center role, a credential_process),
 * each → role → role, with what STS saw of every call; a loop; links STS refuses; signing out.
 * Renewals, restarts and the clients that read the slots are in roles-renewal.int.test.ts.
 */
let w: RoleChains;

beforeAll(async () => {
  w = await RoleChains.start();
}, 60 * SECOND);

afterAll(async () => {
  await w?.dispose();
});

describe('assumed-role chains', () => {
  it('refuses a loop with a sentence naming it, before anything is fetched', async () => {
    const result = await w.rolecall(['load', 'loop-entry', '--slot']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'rolecall: Profile loop-entry cannot be loaded: its source_profile settings loop: loop-entry → loop-a → loop-b → loop-a; point one of them at a profile with credentials of its own.\n',
    );
    const direct = await w.rolecall(['load', 'loop-a']);
    expect(direct.stderr).toContain('its source_profile settings loop: loop-a → loop-b → loop-a');
    expect(await w.upstreamCalls()).toEqual({ sts: [], identityCenter: 0, process: 0 });
    expect((await w.status()).entries).toEqual([]);
  });

  it('keys in the keychain → role → role: session credentials with MFA sign the first role, which signs the second', async () => {
    const { sts, alice } = w;
    await w.ok(['keys', 'import', 'base', '--remove']);
    expect(await readFile(w.ws.credentialsFile, 'utf8')).not.toContain(alice.secretAccessKey);
    const before = Math.floor(Date.now() / 1000);
    const code = sts.mfaCode(alice.mfaSerial!);
    const loaded = await w.ok(['load', 'keys-ops', '--slot', '--mfa-code', code]);
    const after = Math.ceil(Date.now() / 1000);
    expect(loaded.stderr).not.toMatch(/MFA code for/);

    expect(sts.calls.map((call) => call.action)).toEqual([
      'GetSessionToken',
      'AssumeRole',
      'AssumeRole',
    ]);
    const [session, admin, ops] = sts.calls as [RecordedCall, RecordedCall, RecordedCall];
    // The long-lived keys sign only GetSessionToken, once, with the code and the set length.
    expect(session).toMatchObject({
      outcome: 'ok',
      signedBy: { accessKeyId: alice.accessKeyId, issuedBy: 'CreateUser' },
      params: { SerialNumber: alice.mfaSerial, TokenCode: code, DurationSeconds: String(2 * 3600) },
      signingRegion: 'eu-west-1',
    });
    // The session (which carries MFA, so no second code) assumes the admin role.
    expect(admin).toMatchObject({
      outcome: 'ok',
      signedBy: { principalArn: alice.arn, issuedBy: 'GetSessionToken' },
      params: {
        RoleArn: roleArn('KeysAdmin'),
        ExternalId: 'admin-external-id',
        DurationSeconds: '5400',
      },
      signingRegion: 'eu-central-1',
    });
    expect(admin.params).not.toHaveProperty('TokenCode');
    expect(admin.params).not.toHaveProperty('SerialNumber');
    expect(sts.credentials(admin.signedBy!.accessKeyId)!.parentAccessKeyId).toBe(alice.accessKeyId);
    // Named as the AWS CLI names its sessions (botocore-session-<seconds>), after Rolecall.
    const seconds = Number(/^rolecall-session-(\d+)$/.exec(admin.params.RoleSessionName!)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
    // The admin role's credentials assume the ops role.
    expect(ops).toMatchObject({
      outcome: 'ok',
      signedBy: {
        principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/KeysAdmin/${admin.params.RoleSessionName}`,
        issuedBy: 'AssumeRole',
      },
      params: {
        RoleArn: roleArn('KeysOps'),
        RoleSessionName: 'ops-session',
        DurationSeconds: '2700',
      },
      signingRegion: 'us-west-2',
    });
    expect(ops.params).not.toHaveProperty('ExternalId');

    // Each link is an entry of its own; only the one asked for has a slot.
    const { entries } = await w.status();
    expect(entries.map(({ profile, state, parents }) => ({ profile, state, parents }))).toEqual([
      { profile: 'base', state: 'fresh', parents: undefined },
      { profile: 'keys-admin', state: 'fresh', parents: ['base'] },
      { profile: 'keys-ops', state: 'fresh', parents: ['keys-admin'] },
    ]);
    const served = await w.endpoint('slot/keys-ops');
    expect(served.status).toBe(200);
    expect(sts.credentials(served.body.AccessKeyId!)).toMatchObject({
      issuedBy: 'AssumeRole',
      parentAccessKeyId: ops.signedBy!.accessKeyId,
      secretAccessKey: served.body.SecretAccessKey,
      sessionToken: served.body.Token,
    });
    expect(served.body.RoleArn).toBe(roleArn('KeysOps'));
    // The links below it are held, not served: no slot answers with the session or the admin role.
    for (const path of ['slot/base', 'slot/keys-admin', ''])
      expect((await w.endpoint(path)).status).toBe(404);
  });

  it('IAM Identity Center role → role → role: the portal’s role credentials sign the first AssumeRole', async () => {
    const { sts, idc } = w;
    // Signed out, the roles made from the session's role say to sign in first, as it does.
    const listed = async () => {
      const result = await w.ok(['profiles', '--json']);
      w.answers.push(result.stdout);
      const profiles = JSON.parse(result.stdout) as Array<{
        name: string;
        loadable: boolean;
        signInFirst?: string;
      }>;
      return profiles
        .filter((profile) => profile.name.startsWith('sso-'))
        .map(({ name, loadable, signInFirst }) => ({ name, loadable, signInFirst }));
    };
    expect(await listed()).toEqual([
      { name: 'sso-admin', loadable: false, signInFirst: 'corp' },
      { name: 'sso-base', loadable: false, signInFirst: 'corp' },
      { name: 'sso-ops', loadable: false, signInFirst: 'corp' },
    ]);
    expect((await w.ok(['profiles'])).stdout).toMatch(
      /\nsso-ops +assume-role +no +its chain sso-ops ← sso-admin ← sso-base cannot be loaded yet: you are not signed in to corp; sign in with `rolecall login corp`\n/,
    );
    const login = await loginWithApprovedCode(w.env, idc, 'corp');
    w.logs.push(login.output);
    expect(login.code, login.output).toBe(0);
    expect((await listed()).every((profile) => profile.loadable)).toBe(true);
    const callsBefore = sts.calls.length;
    await w.ok(['load', 'sso-ops', '--slot']);

    expect(idc.stats.calls.GetRoleCredentials).toBe(1);
    const [admin, ops, ...more] = sts.calls.slice(callsBefore);
    expect(more).toEqual([]);
    expect(admin).toMatchObject({
      action: 'AssumeRole',
      outcome: 'ok',
      signedBy: { issuedBy: 'GetRoleCredentials' },
      params: { RoleArn: roleArn('SsoAdmin', SSO_ACCOUNT), RoleSessionName: 'sso-admin-session' },
    });
    expect(admin!.signedBy!.principalArn).toMatch(
      new RegExp(`^arn:aws:sts::${SSO_ACCOUNT}:assumed-role/AWSReservedSSO_Role1_[0-9a-f]{16}/`),
    );
    expect(admin!.params).not.toHaveProperty('DurationSeconds');
    expect(ops).toMatchObject({
      action: 'AssumeRole',
      outcome: 'ok',
      signedBy: {
        principalArn: expect.stringContaining(':assumed-role/SsoAdmin/sso-admin-session'),
      },
      params: {
        RoleArn: roleArn('SsoOps', SSO_ACCOUNT),
        ExternalId: 'sso-ops-external-id',
        DurationSeconds: '3000',
        RoleSessionName: expect.stringMatching(/^rolecall-session-\d+$/),
      },
    });
    const { entries } = await w.status();
    expect(entries.find((entry) => entry.profile === 'sso-ops')).toMatchObject({
      parents: ['sso-admin'],
      roleArn: roleArn('SsoOps', SSO_ACCOUNT),
    });
    expect(entries.find((entry) => entry.profile === 'sso-admin')?.parents).toEqual(['sso-base']);
    const served = await w.endpoint('slot/sso-ops');
    expect(sts.credentials(served.body.AccessKeyId!)?.principal.roleArn).toBe(
      roleArn('SsoOps', SSO_ACCOUNT),
    );
    expect(served.body.AccountId).toBe(SSO_ACCOUNT);
  });

  it('credential_process → role → role: what the process printed signs the first AssumeRole', async () => {
    const { sts } = w;
    const printed = await w.useToolSession();
    const callsBefore = sts.calls.length;
    await w.ok(['load', 'proc-ops', '--slot']);

    expect(await w.toolRuns()).toBe(1);
    const [admin, ops, ...more] = sts.calls.slice(callsBefore);
    expect(more).toEqual([]);
    expect(admin).toMatchObject({
      action: 'AssumeRole',
      outcome: 'ok',
      signedBy: { accessKeyId: printed.AccessKeyId, principalArn: w.builder.arn },
      params: { RoleArn: roleArn('ProcAdmin') },
    });
    expect(ops).toMatchObject({
      action: 'AssumeRole',
      outcome: 'ok',
      signedBy: {
        principalArn: expect.stringContaining(':assumed-role/ProcAdmin/rolecall-session-'),
      },
      params: { RoleArn: roleArn('ProcOps'), RoleSessionName: 'proc-ops-session' },
    });
    const served = await w.endpoint('slot/proc-ops');
    expect(sts.credentials(served.body.AccessKeyId!)?.parentAccessKeyId).toBe(
      ops!.signedBy!.accessKeyId,
    );
  });

  it('says what to change when STS refuses a link of a chain', async () => {
    const tooLong = await w.rolecall(['load', 'keys-too-long', '--slot']);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toBe(
      "rolecall: Profile keys-too-long: STS refused the AssumeRole request (ValidationError): The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining. A role assumed with another role's credentials lasts at most an hour: set duration_seconds of profile keys-too-long to 3600 or less.\n",
    );
    const untrusted = await w.rolecall(['load', 'keys-untrusted', '--slot']);
    expect(untrusted.code).toBe(1);
    const said = `rolecall: Profile keys-untrusted: AWS denied assuming role ${roleArn('ProcOps')} with the credentials of profile keys-admin: `;
    expect(untrusted.stderr.startsWith(said), untrusted.stderr).toBe(true);
    expect(untrusted.stderr).toContain('is not authorized to perform: sts:AssumeRole');
    expect(untrusted.stderr).toMatch(
      / Check the role's trust policy \(and the profile's external_id and mfa_serial\) and what profile keys-admin may assume\.\n$/,
    );
    // Neither failure costs the parents: they stay, valid, for the chain that works.
    const { entries } = await w.status();
    expect(entries.map((entry) => entry.profile)).not.toContain('keys-too-long');
    expect(entries.find((entry) => entry.profile === 'keys-admin')?.state).toBe('fresh');
  });

  it('stops serving the roles made from an IAM Identity Center role when its session is signed out of', async () => {
    const ssoChain = ['sso-admin', 'sso-base', 'sso-ops'];
    const loaded = async () =>
      (await w.status()).entries.map((entry) => entry.profile).filter((p) => ssoChain.includes(p));
    expect(await loaded()).toEqual(ssoChain);

    // From the command line…
    const logout = await w.ok(['logout', 'corp']);
    expect(logout.stderr).toBe('Signed out of corp; stopped serving 3 profiles.\n');
    expect(await loaded()).toEqual([]);
    expect((await w.endpoint('slot/sso-ops')).status).toBe(404);

    // …and from a window (the control API the web UI and the desktop app call).
    const login = await loginWithApprovedCode(w.env, w.idc, 'corp');
    w.logs.push(login.output);
    await w.ok(['load', 'sso-ops', '--slot']);
    expect(await loaded()).toEqual(ssoChain);
    const response = await fetch(new URL('api/signOut', w.serve.info.url), {
      method: 'POST',
      headers: { authorization: w.token, 'content-type': 'application/json' },
      body: JSON.stringify({ session: 'corp' }),
    });
    const snapshot = (await response.json()) as { entries: StatusEntry[]; slots: string[] };
    expect(response.status).toBe(200);
    expect(snapshot.entries.map((entry) => entry.profile)).toEqual([
      'base',
      'keys-admin',
      'keys-ops',
      'proc-admin',
      'proc-base',
      'proc-ops',
    ]);
    expect(snapshot.slots).toEqual(['keys-ops', 'proc-ops']);
    expect((await w.endpoint('slot/sso-ops')).status).toBe(404);
  });
});
