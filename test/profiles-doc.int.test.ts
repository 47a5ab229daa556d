import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../src-shared/profile';
import { startFakeIdentityCenter, type FakeIdentityCenter } from './fixtures/fake-identity-center';
import { FakeSignin, loginCachePath, type LoginCacheFile } from './fixtures/fake-signin';
import { FakeSts, type FakeUser, type RecordedCall } from './fixtures/fake-sts';
import { loginWithApprovedCode } from './helpers/cli-login';
import { fakeStsEnv } from './helpers/fake-sts';
import {
  CLI,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * docs/profiles.md, run: its example config and credentials file are read from the page, the
 * example values are replaced with those of test doubles (a fake STS, a fake IAM Identity Center,
 * a fake AWS Sign-In service, two scripts and a token file), the page's commands are run with real
 * `rolecall` processes, and every profile in the example must be listed as loadable, list as the
 * page shows, load, and be served — with the STS calls the page says it makes.
 */

const DOC = resolve(__dirname, '../docs/profiles.md');
const LOGIN_SESSION = 'arn:aws:iam::111122223333:user/alice';
/** Each test runs the CLI many times; on a busy machine each run takes seconds. */
const CLI_HEAVY_TIMEOUT_MS = 180_000;
/** A load that waits longer than this is waiting for a question nobody will answer. */
const LOAD_TIMEOUT_MS = 30_000;

let ws: Workspace;
let sts: FakeSts;
let idc: FakeIdentityCenter;
let signin: FakeSignin;
let serve: ServeProcess;
let token: string;
let doc: string;
let alice: FakeUser;
let ci: FakeUser;
let automation: FakeUser;
let tokenFile: string;
let loginCache: LoginCacheFile;
/** Moves the fake STS's clock (and so the expiry of what it issues) against the real one. */
let stsClockOffsetMs = 0;
const example = { config: '', credentials: '', commands: [] as string[], profilesOutput: '' };

/** The fenced block of `language` whose first line is `firstLine`; there must be exactly one. */
function fencedBlock(language: string, firstLine: string): string {
  const blocks = [...doc.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))]
    .map((match) => match[1]!)
    .filter((body) => body.startsWith(`${firstLine}\n`));
  expect(blocks, `one \`\`\`${language} block starting "${firstLine}"`).toHaveLength(1);
  return blocks[0]!;
}

/**
 * Replaces every example value with the test doubles' own; each example value must be on the page,
 * so a changed example fails here instead of silently loading something else.
 */
function substitute(texts: string[], pairs: Array<[string, string]>): string[] {
  for (const [example] of pairs) {
    expect(
      texts.some((text) => text.includes(example)),
      `the example value ${example} is on the page`,
    ).toBe(true);
  }
  return texts.map((text) => pairs.reduce((out, [from, to]) => out.replaceAll(from, to), text));
}

function profileNames(config: string): string[] {
  return [...config.matchAll(/^\[profile ([^\]]+)\]$/gm)].map((match) => match[1]!);
}

/** `rolecall load <profile> --slot`, failing (not hanging) when it waits for an answer. */
function load(profile: string, extra: string[] = []): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, 'load', profile, '--slot', ...extra], {
      env: ws.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      fail(
        new Error(
          `rolecall load ${profile} was still waiting after ${LOAD_TIMEOUT_MS} ms: ${stderr}`,
        ),
      );
    }, LOAD_TIMEOUT_MS);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

async function served(profile: string): Promise<Record<string, string>> {
  const response = await fetch(new URL(`slot/${encodeURIComponent(profile)}`, serve.info.url), {
    headers: { authorization: token },
  });
  expect(response.status, `GET /slot/${profile}`).toBe(200);
  return (await response.json()) as Record<string, string>;
}

function callsOf(action: string, since = 0): RecordedCall[] {
  return sts.calls.slice(since).filter((call) => call.action === action);
}

beforeAll(async () => {
  doc = await readFile(DOC, 'utf8');
  ws = await createWorkspace();
  sts = await FakeSts.start({ now: () => Date.now() + stsClockOffsetMs });
  idc = await startFakeIdentityCenter();
  signin = await FakeSignin.start();

  alice = sts.createUser({ userName: 'alice', mfa: true });
  ci = sts.createUser({ userName: 'ci', mfa: true });
  automation = sts.createUser({ userName: 'automation' });
  // Admin trusts only sessions that proved MFA, so an AssumeRole without a code of its own
  // passes only with a session that carries alice's.
  const admin = sts.createRole({ roleName: 'Admin', accountId: '444455556666', requireMfa: true });
  sts.createRole({
    roleName: 'Ops',
    accountId: '777788889999',
    externalId: 'ops-7f3a',
    trustedPrincipals: [admin.arn],
  });
  sts.createRole({
    roleName: 'Automation',
    accountId: '444455556666',
    trustedPrincipals: [automation.arn],
  });
  sts.createRole({ roleName: 'Deploy', accountId: '444455556666' });
  sts.registerWebIdentityToken('deploy-token-1');

  const company = await ws.script('company-credentials', credentialScript());
  const ykman = await ws.script(
    'ykman',
    `#!/bin/sh\nprintf '%s\\n' "$@" > "$0.args"\ncat "$0.code"\n`,
  );
  tokenFile = join(ws.dir, 'deploy-token');
  await writeFile(tokenFile, 'deploy-token-1\n');
  const cacheDir = join(ws.dir, '.aws', 'login', 'cache');
  await mkdir(cacheDir, { recursive: true });
  loginCache = signin.signIn({ loginSession: LOGIN_SESSION, accountId: '111122223333' });
  await writeFile(loginCachePath(cacheDir, LOGIN_SESSION), JSON.stringify(loginCache));

  const [config, credentials, commands, profilesOutput] = substitute(
    [
      fencedBlock('ini', '# ~/.aws/config'),
      fencedBlock('ini', '# ~/.aws/credentials'),
      fencedBlock('sh', 'rolecall keys import alice --remove'),
      fencedBlock('text', 'PROFILE     KIND                LOADABLE  DETAIL'),
    ],
    [
      ['https://my-company.awsapps.com/start', idc.startUrl],
      // The fake Identity Center's second account, and its two roles.
      ['123456789012', '100000000001'],
      ['Developer', 'Role1'],
      ['ReadOnly', 'Role2'],
      ['/usr/local/bin/company-credentials', company],
      ['mfa_process = ykman', `mfa_process = ${ykman}`],
      ['/var/run/secrets/deploy/token', tokenFile],
      ['AKIAIOSFODNN7EXAMPLE', alice.accessKeyId],
      ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', alice.secretAccessKey],
      ['AKIAI44QH8DHBEXAMPLE', ci.accessKeyId],
      ['je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', ci.secretAccessKey],
    ],
  );
  for (const text of [config!, credentials!]) {
    expect(text).not.toMatch(/EXAMPLE|awsapps\.com|\/usr\/local|\/var\/run|= ykman/);
  }
  Object.assign(example, {
    config: config!,
    credentials: credentials!,
    commands: commands!
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    profilesOutput: profilesOutput!,
  });
  await ws.writeConfig(example.config);
  await writeFile(ws.credentialsFile, example.credentials);

  Object.assign(ws.env, fakeStsEnv(sts), {
    AWS_ENDPOINT_URL_SSO: idc.url,
    AWS_ENDPOINT_URL_SSO_OIDC: idc.url,
    AWS_ENDPOINT_URL_SIGNIN: signin.url,
  });
  // credential_source = Environment: the keys Rolecall itself is started with.
  serve = await startServe({
    ...ws.env,
    AWS_ACCESS_KEY_ID: automation.accessKeyId,
    AWS_SECRET_ACCESS_KEY: automation.secretAccessKey,
  });
  token = (await runCli(['token'], ws.env)).stdout.trim();
});

afterAll(async () => {
  await serve?.stop();
  await Promise.all([sts?.close(), idc?.close(), signin?.close()]);
  await ws?.dispose();
});

describe('docs/profiles.md, its example config', () => {
  it(
    "runs the page's commands, lists every profile as loadable as the page shows, and loads each",
    async () => {
      const names = profileNames(example.config);
      expect(names).toEqual([
        'dev',
        'legacy-sso',
        'build',
        'alice',
        'admin',
        'ops',
        'ci',
        'automation',
        'deploy',
        'console',
      ]);

      let profilesText = '';
      for (const line of example.commands) {
        const argv = line.split(/\s+/);
        expect(argv[0], line).toBe('rolecall');
        if (argv[1] === 'login') {
          // The page's sign-in opens a browser; a test approves a device code instead.
          const login = await loginWithApprovedCode(ws.env, idc, argv[2]!);
          expect(login.code, login.output).toBe(0);
          continue;
        }
        const result = await runCli(argv.slice(1), ws.env);
        expect(result.code, `${line}: ${result.stderr}`).toBe(0);
        if (argv[1] === 'profiles') profilesText = result.stdout;
      }
      // keys import --remove took alice's keys out of the file, and ci's stayed.
      const credentialsNow = await readFile(ws.credentialsFile, 'utf8');
      expect(credentialsNow).not.toContain(alice.secretAccessKey);
      expect(credentialsNow).toContain(ci.secretAccessKey);

      // Every row the page shows, as `rolecall profiles` prints it (columns are as wide as the
      // longest name, and the roles found by signing in are left out of the page).
      const rows = (text: string) =>
        text.split('\n').map((row) => row.trim().split(/\s+/).join(' '));
      const printed = new Set(rows(profilesText));
      for (const row of rows(example.profilesOutput).filter(Boolean)) {
        expect(printed, `rolecall profiles prints: ${row}`).toContain(row);
      }
      const listed = JSON.parse(
        (await runCli(['profiles', '--json'], ws.env)).stdout,
      ) as ProfileInfo[];
      for (const name of names) {
        expect(listed.find((profile) => profile.name === name)).toMatchObject({
          name,
          loadable: true,
        });
      }

      // ops first: one MFA code makes alice's session, which assumes Admin, which assumes Ops.
      const before = sts.calls.length;
      const opsLoad = await load('ops', ['--mfa-code', sts.mfaCode(alice.mfaSerial!)]);
      expect(opsLoad.code, opsLoad.stderr).toBe(0);
      const chain = sts.calls.slice(before);
      expect(chain.map((call) => [call.action, call.outcome])).toEqual([
        ['GetSessionToken', 'ok'],
        ['AssumeRole', 'ok'],
        ['AssumeRole', 'ok'],
      ]);
      const [session, adminCall, opsCall] = chain as [RecordedCall, RecordedCall, RecordedCall];
      expect(session.params).toMatchObject({
        DurationSeconds: String(12 * 3600),
        SerialNumber: alice.mfaSerial,
      });
      expect(session.signedBy?.accessKeyId).toBe(alice.accessKeyId);
      // Admin's own AssumeRole sends no code: alice's session carries it.
      expect(adminCall.params).toEqual({
        RoleArn: 'arn:aws:iam::444455556666:role/Admin',
        RoleSessionName: 'alice-admin',
        DurationSeconds: '3600',
      });
      expect(adminCall.signedBy?.issuedBy).toBe('GetSessionToken');
      expect(opsCall.params).toMatchObject({
        RoleArn: 'arn:aws:iam::777788889999:role/Ops',
        ExternalId: 'ops-7f3a',
      });
      expect(opsCall.params.RoleSessionName).toMatch(/^rolecall-session-\d+$/);
      expect(opsCall.signingRegion).toBe('eu-central-1');
      expect(opsCall.signedBy?.principalArn).toBe(
        'arn:aws:sts::444455556666:assumed-role/Admin/alice-admin',
      );

      // admin afterwards asks nothing: alice's session is still valid.
      const adminLoad = await load('admin');
      expect(adminLoad.code, adminLoad.stderr).toBe(0);
      expect(callsOf('GetSessionToken', before)).toHaveLength(1);

      // ci's session asks its own device, with the code its mfa_process printed.
      const ciCode = sts.mfaCode(ci.mfaSerial!);
      await writeFile(join(ws.dir, 'ykman.code'), `${ciCode}\n`);
      const sinceCi = sts.calls.length;
      const ciLoad = await load('ci');
      expect(ciLoad.code, ciLoad.stderr).toBe(0);
      expect(callsOf('GetSessionToken', sinceCi)).toEqual([
        expect.objectContaining({
          outcome: 'ok',
          params: expect.objectContaining({ SerialNumber: ci.mfaSerial, TokenCode: ciCode }),
          signedBy: expect.objectContaining({ accessKeyId: ci.accessKeyId }),
        }),
      ]);
      expect(await readFile(join(ws.dir, 'ykman.args'), 'utf8')).toBe(
        'oath\naccounts\ncode\n--single\naws-ci\n',
      );
      // The page quotes this warning.
      const warning = /^rolecall: warning: .*$/m.exec(ciLoad.stderr)?.[0];
      expect(warning).toBeDefined();
      expect(doc).toContain(warning!);

      // Loading alice itself renews its session, so it asks for a code again.
      const aliceLoad = await load('alice', ['--mfa-code', sts.mfaCode(alice.mfaSerial!)]);
      expect(aliceLoad.code, aliceLoad.stderr).toBe(0);

      for (const name of names.filter((name) => !['ops', 'admin', 'ci', 'alice'].includes(name))) {
        const result = await load(name);
        expect(result.code, `${name}: ${result.stderr}`).toBe(0);
        expect(result.stderr).toContain(`Loaded ${name} into its slot`);
      }
      expect(
        callsOf('AssumeRole').find((call) => call.params.RoleArn?.endsWith('/Automation')),
      ).toMatchObject({
        outcome: 'ok',
        signedBy: expect.objectContaining({ principalArn: automation.arn }),
      });
      expect(callsOf('AssumeRoleWithWebIdentity')).toEqual([
        expect.objectContaining({
          outcome: 'ok',
          signedBy: null,
          params: expect.objectContaining({
            RoleArn: 'arn:aws:iam::444455556666:role/Deploy',
            RoleSessionName: 'deploy',
            WebIdentityToken: 'deploy-token-1',
          }),
        }),
      ]);

      // Every profile is served from its own slot, and never as long-lived keys.
      const longLived = [alice, ci, automation].map((user) => user.accessKeyId);
      for (const name of names) {
        const body = await served(name);
        expect(body.AccessKeyId, name).toBeTruthy();
        expect(longLived, name).not.toContain(body.AccessKeyId);
      }
      expect((await served('dev')).AccountId).toBe('100000000001');
      expect((await served('legacy-sso')).AccountId).toBe('100000000001');
      expect((await served('build')).AccessKeyId).toBe('ASIAROLECALLTEST');
      // The cached `aws login` credentials have an hour left: used as they are.
      expect((await served('console')).AccessKeyId).toBe(loginCache.accessToken.accessKeyId);
      expect(signin.callCount()).toBe(0);
      // Two sign-ins, kept apart: the [sso-session] and the legacy profiles' start URL.
      const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout) as {
        sessions: Array<{ name: string; startUrl: string; signedIn: boolean }>;
      };
      expect(status.sessions).toEqual([
        expect.objectContaining({ name: 'my-company', signedIn: true }),
        expect.objectContaining({ name: idc.startUrl, startUrl: idc.startUrl, signedIn: true }),
      ]);
    },
    CLI_HEAVY_TIMEOUT_MS,
  );

  it(
    'web identity: reads the token file again at a renewal in the background',
    async () => {
      // The fake's clock runs an hour (less 40 s) behind, so what it issues now lasts 40 s and
      // Rolecall renews it on its own, at half that life.
      stsClockOffsetMs = -(3600 - 40) * 1000;
      try {
        const result = await load('deploy');
        expect(result.code, result.stderr).toBe(0);
        const first = await served('deploy');
        const since = sts.calls.length;
        // The tool that writes the file replaces the token; the old one stops working.
        sts.registerWebIdentityToken('deploy-token-2');
        sts.registerWebIdentityToken('deploy-token-1', {
          expiresAt: Date.now() + stsClockOffsetMs,
        });
        await writeFile(tokenFile, 'deploy-token-2\n');
        await expect
          .poll(() => callsOf('AssumeRoleWithWebIdentity', since).length, {
            timeout: 40_000,
            interval: 250,
          })
          .toBeGreaterThan(0);
        expect(callsOf('AssumeRoleWithWebIdentity', since)[0]).toMatchObject({
          outcome: 'ok',
          params: expect.objectContaining({ WebIdentityToken: 'deploy-token-2' }),
        });
        await expect
          .poll(async () => (await served('deploy')).AccessKeyId, { timeout: 5_000 })
          .not.toBe(first.AccessKeyId);
      } finally {
        stsClockOffsetMs = 0;
      }
    },
    CLI_HEAVY_TIMEOUT_MS,
  );

  it(
    'aws login: renews through the AWS Sign-In service, and an ended session says to run aws login',
    async () => {
      const cacheFile = loginCachePath(join(ws.dir, '.aws', 'login', 'cache'), LOGIN_SESSION);
      const nearlyExpired = async () => {
        const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as LoginCacheFile;
        cached.accessToken.expiresAt = new Date(Date.now() + 60_000).toISOString();
        await writeFile(cacheFile, JSON.stringify(cached));
      };
      // A minute left: the SDK's provider renews before Rolecall serves.
      await nearlyExpired();
      const renewed = await load('console');
      expect(renewed.code, renewed.stderr).toBe(0);
      expect(signin.calls).toEqual([{ clientId: loginCache.clientId, outcome: 'ok' }]);
      const written = JSON.parse(await readFile(cacheFile, 'utf8')) as LoginCacheFile;
      expect(written.refreshToken).not.toBe(loginCache.refreshToken);
      const servedNow = await served('console');
      expect(servedNow.AccessKeyId).toBe(written.accessToken.accessKeyId);
      expect(servedNow.AccessKeyId).not.toBe(loginCache.accessToken.accessKeyId);

      // The session has ended: only `aws login` helps, and what is held is still served.
      signin.endSessions(LOGIN_SESSION);
      await nearlyExpired();
      const ended = await load('console');
      expect(ended.code).toBe(1);
      expect(ended.stderr).toBe(
        'rolecall: Profile console: its `aws login` session has ended. Sign in again with `aws login --profile console`.\n',
      );
      expect(doc).toContain(ended.stderr.trim());
      expect((await served('console')).AccessKeyId).toBe(servedNow.AccessKeyId);
    },
    CLI_HEAVY_TIMEOUT_MS,
  );
});
