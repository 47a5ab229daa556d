import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'vitest';
import { startFakeIdentityCenter, type FakeIdentityCenter } from '../fixtures/fake-identity-center';
import type { FakeSts, FakeUser, RecordedCall } from '../fixtures/fake-sts';
import { startFakeStsFor, writeKeysProfile } from './fake-sts';
import { runCli, startServe, type CliResult, type ServeProcess } from './rolecall-process';
import { processView } from './secret-search';
import { createWorkspace, type Workspace } from './workspace';

/**
 * A served Rolecall with assumed-role chains to load, for the tests of chains with real
 * processes: a fake STS and a fake IAM Identity Center (whose role credentials the fake STS
 * made, so roles can be assumed from them), one `rolecall serve --verbose`, and a config with
 * three chains of depth 3, one per kind of first link:
 *
 * - `keys-ops` ← `keys-admin` ← `base`: alice's long-lived keys (in the credentials file until a
 *   test imports them), with her MFA device; `keys-admin` needs MFA, an external ID, and lasts
 *   90 minutes; `keys-ops` has its own session name and lasts 45 minutes. `keys-short` is a
 *   15-minute role from `keys-admin`; `keys-too-long` asks for more than role chaining allows, and
 *   `keys-untrusted` for a role that does not trust `keys-admin`.
 * - `sso-ops` ← `sso-admin` ← `sso-base`: an IAM Identity Center role of the session `corp`.
 * - `proc-ops` ← `proc-admin` ← `proc-base`: a credential_process printing the builder's session
 *   (`useToolSession` makes it), and recording what the process was shown.
 * - `loop-entry` → `loop-a` → `loop-b` → `loop-a`: a loop.
 *
 * The fake STS's clock runs behind by SHIFT_MS, so what it issues lives that much less here: a
 * 15-minute role (the shortest STS gives) lives 12 s, and its renewal by the timer happens within
 * a test; the others still last half an hour or more.
 *
 * Everything Rolecall says (CLI output, the server's log) is kept in `logs`, every answer of its
 * endpoint and control API in `answers`, and what the server's processes show in
 * `processViews`, for the search for secrets.
 */
export const SHIFT_MS = (900 - 12) * 1000;
export const ACCOUNT = '111122223333';
export const SSO_ACCOUNT = '100000000001';
export const SECOND = 1000;

export interface StatusEntry {
  profile: string;
  state: string;
  refreshCount: number;
  parents?: string[];
  roleArn?: string;
}

export function roleArn(name: string, account = ACCOUNT): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

export class RoleChains {
  readonly logs: string[] = [];
  readonly answers: string[] = [];
  readonly processViews: string[] = [];
  /** The secrets of the session the credential tool prints, which its own file holds. */
  printedByTool: string[] = [];
  serve!: ServeProcess;
  token = '';

  private constructor(
    readonly ws: Workspace,
    readonly sts: FakeSts,
    readonly idc: FakeIdentityCenter,
    readonly env: NodeJS.ProcessEnv,
    readonly alice: FakeUser,
    readonly builder: FakeUser,
    readonly procScript: string,
  ) {}

  static async start(): Promise<RoleChains> {
    const ws = await createWorkspace();
    const sts = await startFakeStsFor(ws, { now: () => Date.now() - SHIFT_MS });
    const idc = await startFakeIdentityCenter({
      accounts: 2,
      rolesPerAccount: 1,
      roleCredentials: (request) => sts.identityCenterRoleCredentials(request),
    });
    const env = { ...ws.env, AWS_ENDPOINT_URL_SSO: idc.url, AWS_ENDPOINT_URL_SSO_OIDC: idc.url };
    const alice = sts.createUser({ userName: 'alice', mfa: true });
    const builder = sts.createUser({ userName: 'builder' });
    createRoles(sts, alice, builder);
    await writeKeysProfile(ws, 'base', alice);
    const procScript = await ws.script('company-credentials', CREDENTIAL_TOOL);
    await ws.writeConfig(chainsConfig(alice, idc, procScript));
    // Sessions made from keys last two hours here (GetSessionToken's DurationSeconds).
    await mkdir(ws.home, { recursive: true });
    await writeFile(join(ws.home, 'settings.json'), JSON.stringify({ keys: { sessionHours: 2 } }));

    const world = new RoleChains(ws, sts, idc, env, alice, builder, procScript);
    await world.startServe();
    world.token = (await world.ok(['token'])).stdout.trim();
    return world;
  }

  async startServe(): Promise<void> {
    this.serve = await startServe(this.env, ['--verbose']);
    this.processViews.push(...(await processView(this.serve.child.pid!)));
  }

  /** Stops the server (`signal`), keeping what it logged. */
  async stopServe(signal?: NodeJS.Signals): Promise<void> {
    await this.serve.stop(signal);
    this.logs.push(this.serve.stderr());
  }

  async dispose(): Promise<void> {
    await this.serve?.stop('SIGKILL');
    await runCli(['keys', 'remove', 'base'], this.env).catch(() => undefined);
    await this.idc.close();
    await this.sts.close();
    await this.ws.dispose();
  }

  async rolecall(args: string[]): Promise<CliResult> {
    const result = await runCli(args, this.env);
    this.logs.push(result.stdout, result.stderr);
    return result;
  }

  /** A command that must succeed. */
  async ok(args: string[]): Promise<CliResult> {
    const result = await this.rolecall(args);
    expect(result.code, `rolecall ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  }

  async status(): Promise<{ entries: StatusEntry[]; inputRequests?: unknown[] }> {
    const result = await this.ok(['status', '--json']);
    this.answers.push(result.stdout);
    return JSON.parse(result.stdout) as { entries: StatusEntry[]; inputRequests?: unknown[] };
  }

  /**
   * The snapshot, from the control API (what `status --json` prints, without starting a process:
   * for polling).
   */
  async snapshot(): Promise<{ entries: StatusEntry[] }> {
    const response = await fetch(new URL('api/getSnapshot', this.serve.info.url), {
      method: 'POST',
      headers: { authorization: this.token, 'content-type': 'application/json' },
      body: '{}',
    });
    const text = await response.text();
    this.answers.push(text);
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as { entries: StatusEntry[] };
  }

  /** GET a path of the credentials endpoint with the bearer token. */
  async endpoint(path: string): Promise<{ status: number; body: Record<string, string> }> {
    const response = await fetch(new URL(path, this.serve.info.url), {
      headers: { authorization: this.token },
    });
    const text = await response.text();
    this.answers.push(text);
    return { status: response.status, body: JSON.parse(text) as Record<string, string> };
  }

  /** The AssumeRole calls of one role, in order. */
  assumeRoleCalls(arn: string): RecordedCall[] {
    return this.sts.calls.filter(
      (call) => call.action === 'AssumeRole' && call.params.RoleArn === arn,
    );
  }

  /** How many times the credential tool has run. */
  async toolRuns(): Promise<number> {
    return Number(await readFile(`${this.procScript}.count`, 'utf8').catch(() => '0'));
  }

  /** Every STS call made so far (action and role), Identity Center's role credentials, the tool's runs. */
  async upstreamCalls() {
    return {
      sts: this.sts.calls.map((call) => `${call.action} ${call.params.RoleArn ?? ''}`.trim()),
      identityCenter: this.idc.stats.calls.GetRoleCredentials ?? 0,
      process: await this.toolRuns(),
    };
  }

  /**
   * What the credential tool prints from now on: a session made from the builder's keys (by the
   * test, as the company's tool would), returned.
   */
  async useToolSession() {
    const made = await new STSClient({
      region: 'eu-west-1',
      endpoint: this.sts.url,
      maxAttempts: 1,
      credentials: {
        accessKeyId: this.builder.accessKeyId,
        secretAccessKey: this.builder.secretAccessKey,
      },
    }).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    const printed = made.Credentials!;
    this.printedByTool = [printed.SecretAccessKey!, printed.SessionToken!];
    await writeFile(
      `${this.procScript}.json`,
      JSON.stringify({
        Version: 1,
        AccessKeyId: printed.AccessKeyId,
        SecretAccessKey: printed.SecretAccessKey,
        SessionToken: printed.SessionToken,
        Expiration: printed.Expiration!.toISOString(),
      }),
    );
    return printed;
  }
}

export async function until(what: string, check: () => Promise<boolean>, ms = 30 * SECOND) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A company's credential tool: prints the session kept beside it, counts its runs, and records
 * the command line and environment it was given (`<script>.cmdline.<run>`, `.environ.<run>`).
 */
const CREDENTIAL_TOOL = `#!/usr/bin/env node
const fs = require('fs');
const counter = __filename + '.count';
const runs = Number(fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8') : 0) + 1;
fs.writeFileSync(counter, String(runs));
for (const name of ['cmdline', 'environ'])
  fs.writeFileSync(__filename + '.' + name + '.' + runs, fs.readFileSync('/proc/self/' + name));
process.stdout.write(fs.readFileSync(__filename + '.json'));
`;

function createRoles(sts: FakeSts, alice: FakeUser, builder: FakeUser): void {
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
}

function chainsConfig(alice: FakeUser, idc: FakeIdentityCenter, procScript: string): string {
  return [
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
    '[profile keys-too-long]',
    `role_arn = ${roleArn('KeysOps')}`,
    'source_profile = keys-admin',
    'duration_seconds = 7200',
    '',
    '[profile keys-untrusted]',
    `role_arn = ${roleArn('ProcOps')}`,
    'source_profile = keys-admin',
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
  ].join('\n');
}
