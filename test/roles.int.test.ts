import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIdentityCenter, type FakeIdentityCenter } from './fixtures/fake-identity-center';
import type { FakeSts, FakeUser, RecordedCall } from './fixtures/fake-sts';
import { botocoreUnavailable, SYSTEM_PYTHON } from './helpers/botocore';
import { loginWithApprovedCode } from './helpers/cli-login';
import { startFakeStsFor, writeKeysProfile } from './helpers/fake-sts';
import { runCli, startServe, type CliResult, type ServeProcess } from './helpers/rolecall-process';
import { filesUnder, placesOf, processView, whereFound, type Place } from './helpers/secret-search';
import { withEnv } from './helpers/with-env';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * Assumed-role chains with real processes: `rolecall serve`, `load`, `keys import` and `status`
 * against a fake STS and a fake IAM Identity Center that the SDK inside Rolecall talks to
 * unmodified, the real keychain, and the AWS SDK for JavaScript and botocore reading what is
 * served. Three chains of depth 3, one per kind of first link — long-lived keys in the keychain,
 * an IAM Identity Center role, a credential_process — each → role → role; then a loop, renewals,
 * a kill -9, and a search for the long-lived secret everywhere it must not be.
 *
 * The fake STS's clock runs behind by SHIFT_MS, so what it issues lives that much less here:
 * a 15-minute role (the shortest STS gives) lives 12 s, and its renewal by the timer happens
 * within the test; longer ones still last half an hour or more.
 */
const SHIFT_MS = (900 - 12) * 1000;
const ACCOUNT = '111122223333';
const SSO_ACCOUNT = '100000000001';
const SECOND = 1000;

let ws: Workspace;
let sts: FakeSts;
let idc: FakeIdentityCenter;
let env: NodeJS.ProcessEnv;
let serve: ServeProcess;
let token: string;
let alice: FakeUser;
let builder: FakeUser;
let procScript: string;

/** Everything Rolecall said (CLI output, the server's log) and every answer of its endpoint. */
const logs: string[] = [];
const answers: string[] = [];
const processViews: string[] = [];

async function rolecall(args: string[]): Promise<CliResult> {
  const result = await runCli(args, env);
  logs.push(result.stdout, result.stderr);
  return result;
}

async function ok(args: string[]): Promise<CliResult> {
  const result = await rolecall(args);
  expect(result.code, `rolecall ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

interface StatusEntry {
  profile: string;
  state: string;
  refreshCount: number;
  parents?: string[];
  roleArn?: string;
}

async function status(): Promise<{ entries: StatusEntry[]; inputRequests?: unknown[] }> {
  const result = await ok(['status', '--json']);
  answers.push(result.stdout);
  return JSON.parse(result.stdout) as { entries: StatusEntry[]; inputRequests?: unknown[] };
}

/** GET a path of the credentials endpoint with the bearer token; the body is kept for the search. */
async function endpoint(path: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(new URL(path, serve.info.url), {
    headers: { authorization: token },
  });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: JSON.parse(text) as Record<string, string> };
}

/** The AssumeRole calls of one role, in order. */
function assumeRoleCalls(roleArn: string): RecordedCall[] {
  return sts.calls.filter(
    (call) => call.action === 'AssumeRole' && call.params.RoleArn === roleArn,
  );
}

function roleArn(name: string, account = ACCOUNT): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

/** How many times the credential_process script has run. */
async function procRuns(): Promise<number> {
  return Number(await readFile(`${procScript}.count`, 'utf8').catch(() => '0'));
}

/** Every STS action and Identity Center call made so far, and the script's runs. */
async function upstreamCalls() {
  return {
    sts: sts.calls.map((call) => `${call.action} ${call.params.RoleArn ?? ''}`.trim()),
    identityCenter: idc.stats.calls.GetRoleCredentials ?? 0,
    process: await procRuns(),
  };
}

async function until(what: string, check: () => Promise<boolean>, ms = 30 * SECOND) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  ws = await createWorkspace();
  sts = await startFakeStsFor(ws, { now: () => Date.now() - SHIFT_MS });
  idc = await startFakeIdentityCenter({
    accounts: 2,
    rolesPerAccount: 1,
    roleCredentials: (request) => sts.identityCenterRoleCredentials(request),
  });
  env = {
    ...ws.env,
    AWS_ENDPOINT_URL_SSO: idc.url,
    AWS_ENDPOINT_URL_SSO_OIDC: idc.url,
  };

  alice = sts.createUser({ userName: 'alice', mfa: true });
  builder = sts.createUser({ userName: 'builder' });
  sts.createRole({
    roleName: 'KeysAdmin',
    requireMfa: true,
    externalId: 'admin-external-id',
    maxSessionDurationSeconds: 7200,
    trustedPrincipals: [alice.arn],
  });
  sts.createRole({ roleName: 'KeysOps', trustedPrincipals: [roleArn('KeysAdmin')] });
  sts.createRole({ roleName: 'KeysShort', trustedPrincipals: [roleArn('KeysAdmin')] });
  sts.createRole({ roleName: 'SsoAdmin', accountId: SSO_ACCOUNT });
  sts.createRole({
    roleName: 'SsoOps',
    accountId: SSO_ACCOUNT,
    externalId: 'sso-ops-external-id',
    trustedPrincipals: [roleArn('SsoAdmin', SSO_ACCOUNT)],
  });
  sts.createRole({ roleName: 'ProcAdmin', trustedPrincipals: [builder.arn] });
  sts.createRole({ roleName: 'ProcOps', trustedPrincipals: [roleArn('ProcAdmin')] });

  await writeKeysProfile(ws, 'base', alice);
  // What a credential tool prints (a company's own, say): session credentials it keeps in a file
  // (written by the test below), and a record of what the process was shown.
  procScript = await ws.script(
    'company-credentials',
    `#!/usr/bin/env node
const fs = require('fs');
const counter = __filename + '.count';
const runs = Number(fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8') : 0) + 1;
fs.writeFileSync(counter, String(runs));
for (const name of ['cmdline', 'environ'])
  fs.writeFileSync(__filename + '.' + name + '.' + runs, fs.readFileSync('/proc/self/' + name));
process.stdout.write(fs.readFileSync(__filename + '.json'));
`,
  );
  await ws.writeConfig(
    [
      '[profile base]',
      'region = eu-west-1',
      `mfa_serial = ${alice.mfaSerial}`,
      '',
      '[profile keys-admin]',
      `role_arn = ${roleArn('KeysAdmin')}`,
      'source_profile = base',
      `mfa_serial = ${alice.mfaSerial}`,
      'external_id = admin-external-id',
      'duration_seconds = 5400',
      'region = eu-central-1',
      '',
      '[profile keys-ops]',
      `role_arn = ${roleArn('KeysOps')}`,
      'source_profile = keys-admin',
      'role_session_name = ops-session',
      'duration_seconds = 2700',
      'region = us-west-2',
      '',
      '[profile keys-short]',
      `role_arn = ${roleArn('KeysShort')}`,
      'source_profile = keys-admin',
      'duration_seconds = 900',
      '',
      '[sso-session corp]',
      `sso_start_url = ${idc.startUrl}`,
      'sso_region = eu-west-1',
      '',
      '[profile sso-base]',
      'sso_session = corp',
      `sso_account_id = ${SSO_ACCOUNT}`,
      'sso_role_name = Role1',
      'region = eu-west-1',
      '',
      '[profile sso-admin]',
      `role_arn = ${roleArn('SsoAdmin', SSO_ACCOUNT)}`,
      'source_profile = sso-base',
      'role_session_name = sso-admin-session',
      '',
      '[profile sso-ops]',
      `role_arn = ${roleArn('SsoOps', SSO_ACCOUNT)}`,
      'source_profile = sso-admin',
      'external_id = sso-ops-external-id',
      'duration_seconds = 3000',
      '',
      '[profile proc-base]',
      `credential_process = ${procScript}`,
      '',
      '[profile proc-admin]',
      `role_arn = ${roleArn('ProcAdmin')}`,
      'source_profile = proc-base',
      '',
      '[profile proc-ops]',
      `role_arn = ${roleArn('ProcOps')}`,
      'source_profile = proc-admin',
      'role_session_name = proc-ops-session',
      '',
      // Links STS refuses: longer than role chaining allows, and a role that does not trust it.
      '[profile keys-too-long]',
      `role_arn = ${roleArn('KeysOps')}`,
      'source_profile = keys-admin',
      'duration_seconds = 7200',
      '',
      '[profile keys-untrusted]',
      `role_arn = ${roleArn('ProcOps')}`,
      'source_profile = keys-admin',
      '',
      // A loop, reached through a role that is not in it.
      '[profile loop-entry]',
      `role_arn = ${roleArn('KeysOps')}`,
      'source_profile = loop-a',
      '',
      '[profile loop-a]',
      `role_arn = ${roleArn('KeysAdmin')}`,
      'source_profile = loop-b',
      '',
      '[profile loop-b]',
      `role_arn = ${roleArn('KeysOps')}`,
      'source_profile = loop-a',
      '',
    ].join('\n'),
  );
  // Sessions made from keys last two hours here (GetSessionToken's DurationSeconds).
  await mkdir(ws.home, { recursive: true });
  await writeFile(join(ws.home, 'settings.json'), JSON.stringify({ keys: { sessionHours: 2 } }));

  serve = await startServe(env, ['--verbose']);
  processViews.push(...(await processView(serve.child.pid!)));
  token = (await ok(['token'])).stdout.trim();
}, 60 * SECOND);

afterAll(async () => {
  await serve?.stop('SIGKILL');
  await runCli(['keys', 'remove', 'base'], env).catch(() => undefined);
  await runCli(['unload', '--all'], env).catch(() => undefined);
  await idc?.close();
  await sts?.close();
  await ws?.dispose();
});

describe('assumed-role chains', () => {
  it('refuses a loop with a sentence naming it, before anything is fetched', async () => {
    const result = await rolecall(['load', 'loop-entry', '--slot']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('loop-a → loop-b → loop-a');
    expect(result.stderr).toMatch(/^rolecall: Profile loop-entry cannot be loaded: .*\.\n$/);
    const direct = await rolecall(['load', 'loop-a']);
    expect(direct.stderr).toContain('its source_profile settings loop: loop-a → loop-b → loop-a');
    expect(await upstreamCalls()).toEqual({ sts: [], identityCenter: 0, process: 0 });
    expect((await status()).entries).toEqual([]);
  });

  it('keys in the keychain → role → role: session credentials with MFA sign the first role, which signs the second', async () => {
    await ok(['keys', 'import', 'base', '--remove']);
    expect(await readFile(ws.credentialsFile, 'utf8')).not.toContain(alice.secretAccessKey);
    const before = Math.floor(Date.now() / 1000);
    const loaded = await ok([
      'load',
      'keys-ops',
      '--slot',
      '--mfa-code',
      sts.mfaCode(alice.mfaSerial!),
    ]);
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
      params: {
        SerialNumber: alice.mfaSerial,
        DurationSeconds: String(2 * 3600),
      },
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
    // Named as the AWS CLI names its sessions (botocore-session-<seconds>), after Rolecall.
    const seconds = Number(/^rolecall-session-(\d+)$/.exec(admin.params.RoleSessionName!)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
    const adminCredentials = sts.credentials(admin.signedBy!.accessKeyId)!;
    expect(adminCredentials.parentAccessKeyId).toBe(alice.accessKeyId);
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
    const { entries } = await status();
    expect(entries.map(({ profile, state, parents }) => ({ profile, state, parents }))).toEqual([
      { profile: 'base', state: 'fresh', parents: undefined },
      { profile: 'keys-admin', state: 'fresh', parents: ['base'] },
      { profile: 'keys-ops', state: 'fresh', parents: ['keys-admin'] },
    ]);
    const served = await endpoint('slot/keys-ops');
    expect(served.status).toBe(200);
    expect(sts.credentials(served.body.AccessKeyId!)).toMatchObject({
      issuedBy: 'AssumeRole',
      parentAccessKeyId: ops.signedBy!.accessKeyId,
      secretAccessKey: served.body.SecretAccessKey,
      sessionToken: served.body.Token,
    });
    expect(served.body.RoleArn).toBe(roleArn('KeysOps'));
  });

  it('IAM Identity Center role → role → role: the portal’s role credentials sign the first AssumeRole', async () => {
    // Signed out, the roles made from the session's role say to sign in first, as it does.
    const listed = async () => {
      const result = await ok(['profiles', '--json']);
      answers.push(result.stdout);
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
    expect((await ok(['profiles'])).stdout).toMatch(
      /\nsso-ops +assume-role +no +its chain sso-ops ← sso-admin ← sso-base cannot be loaded yet: you are not signed in to corp; sign in with `rolecall login corp`\n/,
    );
    const login = await loginWithApprovedCode(env, idc, 'corp');
    logs.push(login.output);
    expect(login.code, login.output).toBe(0);
    expect((await listed()).every((profile) => profile.loadable)).toBe(true);
    const callsBefore = sts.calls.length;
    await ok(['load', 'sso-ops', '--slot']);

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
    const { entries } = await status();
    expect(entries.find((entry) => entry.profile === 'sso-ops')).toMatchObject({
      parents: ['sso-admin'],
      roleArn: roleArn('SsoOps', SSO_ACCOUNT),
    });
    expect(entries.find((entry) => entry.profile === 'sso-admin')?.parents).toEqual(['sso-base']);
    const served = await endpoint('slot/sso-ops');
    expect(sts.credentials(served.body.AccessKeyId!)?.principal.roleArn).toBe(
      roleArn('SsoOps', SSO_ACCOUNT),
    );
    expect(served.body.AccountId).toBe(SSO_ACCOUNT);
  });

  it('credential_process → role → role: what the process printed signs the first AssumeRole', async () => {
    // The company tool's session, made from the builder's keys by the test itself.
    const made = await new STSClient({
      region: 'eu-west-1',
      endpoint: sts.url,
      maxAttempts: 1,
      credentials: { accessKeyId: builder.accessKeyId, secretAccessKey: builder.secretAccessKey },
    }).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    const printed = made.Credentials!;
    await writeFile(
      `${procScript}.json`,
      JSON.stringify({
        Version: 1,
        AccessKeyId: printed.AccessKeyId,
        SecretAccessKey: printed.SecretAccessKey,
        SessionToken: printed.SessionToken,
        Expiration: printed.Expiration!.toISOString(),
      }),
    );
    const callsBefore = sts.calls.length;
    await ok(['load', 'proc-ops', '--slot']);

    expect(await procRuns()).toBe(1);
    const [admin, ops, ...more] = sts.calls.slice(callsBefore);
    expect(more).toEqual([]);
    expect(admin).toMatchObject({
      action: 'AssumeRole',
      outcome: 'ok',
      signedBy: { accessKeyId: printed.AccessKeyId, principalArn: builder.arn },
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
    const served = await endpoint('slot/proc-ops');
    expect(sts.credentials(served.body.AccessKeyId!)?.parentAccessKeyId).toBe(
      ops!.signedBy!.accessKeyId,
    );
  });

  it('says what to change when STS refuses a link of a chain', async () => {
    const tooLong = await rolecall(['load', 'keys-too-long', '--slot']);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toBe(
      "rolecall: Profile keys-too-long: STS refused the AssumeRole request (ValidationError): The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining. A role assumed with another role's credentials lasts at most an hour: set duration_seconds of profile keys-too-long to 3600 or less.\n",
    );
    const untrusted = await rolecall(['load', 'keys-untrusted', '--slot']);
    expect(untrusted.code).toBe(1);
    const said = `rolecall: Profile keys-untrusted: AWS denied assuming role ${roleArn('ProcOps')} with the credentials of profile keys-admin: `;
    expect(untrusted.stderr.startsWith(said), untrusted.stderr).toBe(true);
    expect(untrusted.stderr).toContain('is not authorized to perform: sts:AssumeRole');
    expect(untrusted.stderr).toMatch(
      / Check the role's trust policy \(and the profile's external_id and mfa_serial\) and what profile keys-admin may assume\.\n$/,
    );
    // Neither failure costs the parents: they stay, valid, for the chain that works.
    const { entries } = await status();
    expect(entries.map((entry) => entry.profile)).not.toContain('keys-too-long');
    expect(entries.find((entry) => entry.profile === 'keys-admin')?.state).toBe('fresh');
  });

  it(
    'renews a child from its still-valid parent: on a load, and on its timer',
    async () => {
      const before = await upstreamCalls();
      const adminBefore = assumeRoleCalls(roleArn('KeysAdmin')).length;
      const opsCalls = assumeRoleCalls(roleArn('KeysOps'));
      const adminKey = opsCalls[0]!.signedBy!.accessKeyId;

      // A load of a loaded profile renews it now — without a code: the parent holds a session.
      const again = await ok(['load', 'keys-ops', '--slot']);
      expect(again.stderr).not.toMatch(/MFA/);
      expect(assumeRoleCalls(roleArn('KeysOps'))).toHaveLength(opsCalls.length + 1);
      expect(assumeRoleCalls(roleArn('KeysOps')).at(-1)!.signedBy!.accessKeyId).toBe(adminKey);

      // A 15-minute role (12 s here) is renewed by the timer at half its life.
      await ok(['load', 'keys-short', '--slot']);
      await until('a renewal of keys-short by its timer', async () =>
        (await status()).entries.some(
          (entry) => entry.profile === 'keys-short' && entry.refreshCount >= 2,
        ),
      );
      const short = assumeRoleCalls(roleArn('KeysShort'));
      expect(short.length).toBeGreaterThanOrEqual(2);
      expect(new Set(short.map((call) => call.signedBy!.accessKeyId))).toEqual(new Set([adminKey]));
      expect(short.every((call) => call.params.DurationSeconds === '900')).toBe(true);
      await ok(['unload', 'keys-short']);

      // Nothing further down the chain ran again.
      expect(assumeRoleCalls(roleArn('KeysAdmin'))).toHaveLength(adminBefore);
      expect(sts.callCount('GetSessionToken')).toBe(
        before.sts.filter((call) => call === 'GetSessionToken').length,
      );
      expect((await upstreamCalls()).identityCenter).toBe(before.identityCenter);
      expect((await upstreamCalls()).process).toBe(before.process);
    },
    60 * SECOND,
  );

  it("serves an assumed-role slot to the AWS SDK for JavaScript's fromHttp and to botocore", async () => {
    const exports = JSON.parse(
      (await ok(['env', '--profile', 'keys-ops', '--format', 'json'])).stdout,
    ) as Record<string, string>;
    expect(exports.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/\/slot\/keys-ops$/);
    const credentials = await withEnv(exports, () => fromHttp({})());
    answers.push(JSON.stringify(credentials));
    const identity = await new STSClient({
      region: 'us-west-2',
      endpoint: sts.url,
      maxAttempts: 1,
      credentials,
    }).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/KeysOps/ops-session`);
    expect(credentials.expiration).toBeInstanceOf(Date);

    if (botocoreUnavailable() !== null) return;
    const script = [
      'import json, sys, botocore.session',
      'session = botocore.session.get_session()',
      'credentials = session.get_credentials()',
      "sts = session.create_client('sts', region_name='us-west-2', endpoint_url=sys.argv[1])",
      "print(json.dumps({'method': credentials.method, 'accessKeyId': credentials.access_key, 'arn': sts.get_caller_identity()['Arn']}))",
    ].join('\n');
    const botocore = await new Promise<string>((done, fail) =>
      execFile(
        SYSTEM_PYTHON,
        ['-c', script, sts.url],
        {
          env: {
            PATH: '/usr/bin:/bin',
            HOME: ws.dir,
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            ...exports,
          },
        },
        (error, stdout, stderr) =>
          error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout),
      ),
    );
    answers.push(botocore);
    expect(JSON.parse(botocore)).toEqual({
      method: 'container-role',
      accessKeyId: credentials.accessKeyId,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/KeysOps/ops-session`,
    });
  });

  it(
    'comes back after kill -9 with parents and children from the keychain: no STS call, no MFA question',
    async () => {
      const before = await upstreamCalls();
      const servedBefore = await Promise.all(
        ['keys-ops', 'sso-ops', 'proc-ops'].map((profile) => endpoint(`slot/${profile}`)),
      );
      const statusBefore = await status();
      logs.push(serve.stderr());
      await serve.stop('SIGKILL');

      serve = await startServe(env, ['--verbose']);
      processViews.push(...(await processView(serve.child.pid!)));
      const servedAfter = await Promise.all(
        ['keys-ops', 'sso-ops', 'proc-ops'].map((profile) => endpoint(`slot/${profile}`)),
      );
      expect(servedAfter).toEqual(servedBefore);
      const statusAfter = await status();
      expect(statusAfter.inputRequests).toBeUndefined();
      expect(
        statusAfter.entries.map(({ profile, state, parents }) => ({ profile, state, parents })),
      ).toEqual(
        statusBefore.entries.map(({ profile, state, parents }) => ({ profile, state, parents })),
      );
      for (const profile of [
        'base',
        'keys-admin',
        'sso-base',
        'sso-admin',
        'proc-base',
        'proc-admin',
      ])
        expect(statusAfter.entries.map((entry) => entry.profile)).toContain(profile);
      expect(await upstreamCalls()).toEqual(before);

      // Renewing the child after the restart uses the restored parent: no code, no new session.
      const renewed = await ok(['load', 'keys-ops', '--slot']);
      expect(renewed.stderr).not.toMatch(/MFA/);
      const after = await upstreamCalls();
      expect(after.sts).toEqual([...before.sts, `AssumeRole ${roleArn('KeysOps')}`]);
      expect((await status()).inputRequests).toBeUndefined();
    },
    60 * SECOND,
  );

  it('stops serving the roles made from an IAM Identity Center role when its session is signed out of', async () => {
    const ssoChain = ['sso-admin', 'sso-base', 'sso-ops'];
    const loaded = async () =>
      (await status()).entries.map((entry) => entry.profile).filter((p) => ssoChain.includes(p));
    expect(await loaded()).toEqual(ssoChain);

    // From the command line…
    const logout = await ok(['logout', 'corp']);
    expect(logout.stderr).toBe('Signed out of corp; stopped serving 3 profiles.\n');
    expect(await loaded()).toEqual([]);
    expect((await endpoint('slot/sso-ops')).status).toBe(404);

    // …and from a window (the control API the web UI and the desktop app call).
    const login = await loginWithApprovedCode(env, idc, 'corp');
    logs.push(login.output);
    await ok(['load', 'sso-ops', '--slot']);
    expect(await loaded()).toEqual(ssoChain);
    const response = await fetch(new URL('api/signOut', serve.info.url), {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ session: 'corp' }),
    });
    const snapshot = (await response.json()) as { entries: StatusEntry[]; slots: string[] };
    answers.push(JSON.stringify(snapshot));
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
    expect((await endpoint('slot/sso-ops')).status).toBe(404);
  });

  it('keeps the long-lived secret out of every file, log, process view and answer', async () => {
    const profiles = await ok(['profiles', '--json']);
    answers.push(profiles.stdout);
    expect((await endpoint('slot')).status).toBe(200);
    await serve.stop();
    logs.push(serve.stderr());
    // The credential_process ran as a child of the server: what it was shown.
    for (const file of await filesUnder(ws.dir)) {
      if (/company-credentials\.(cmdline|environ)\.\d+$/.test(file.path))
        processViews.push(file.text);
    }
    expect(processViews.length).toBeGreaterThanOrEqual(6);

    const secrets = [alice.secretAccessKey];
    const places: Place[] = [
      ...(await filesUnder(ws.dir)).map(({ path, text }) => ({ where: path, text })),
      ...placesOf('log', logs),
      ...placesOf('process view', processViews),
      ...placesOf('answer', answers),
    ];
    expect(whereFound(secrets, places)).toEqual([]);
    // Nor was the key pair ever served: every answer's key is a temporary one.
    expect(whereFound([alice.accessKeyId], placesOf('answer', answers))).toEqual([]);
  });
});
