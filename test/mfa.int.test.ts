import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../src-shared/snapshot';
import type { FakeSts, FakeUser, RecordedCall } from './fixtures/fake-sts';
import { startFakeStsFor, writeKeysProfile } from './helpers/fake-sts';
import { onTerminal } from './helpers/on-terminal';
import {
  CLI,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * MFA codes asked for real: a `rolecall serve`, the CLI's doors (the hidden prompt on the
 * terminal, `--mfa-code`, `rolecall answer`, `credential-process` helpers) and the fake STS, over
 * the real AWS SDK. Each user has a device of their own, so each test asks its own question.
 * The fake counts every STS call: a wrong code is asked again of a person, never retried.
 */
let ws: Workspace;
let fake: FakeSts;
let serve: ServeProcess;
/**
 * How far the fake STS's clock is behind: credentials it issues then expire this much sooner, so
 * a 15-minute session lasts seconds and its renewal comes while the test watches.
 */
let stsLagMs = 0;
const users: Record<string, FakeUser> = {};
let codeFile: string;
/** The `Authorization` value the server wants (`rolecall token`). */
let authorization: string;

const ROLE = 'deploy';
/** The profiles one build tool's ten `credential-process` helpers ask for at once. */
const BUILD = Array.from({ length: 10 }, (_, index) => `build-${index}`);
/**
 * How long to wait for the server to show something, polling. Every step starts Node processes,
 * which take seconds each on a busy machine.
 */
const SHOWN_WITHIN = { timeout: 30_000, interval: 200 };
/** Each test runs the CLI several times. */
const CLI_HEAVY_TIMEOUT_MS = 120_000;
/** Ten Node processes starting at once on two busy cores may take a minute to show a prompt. */
const TERMINAL_STEP_TIMEOUT_SECONDS = 90;

beforeAll(async () => {
  ws = await createWorkspace();
  fake = await startFakeStsFor(ws, { now: () => Date.now() - stsLagMs });
  const role = fake.createRole({ roleName: ROLE, requireMfa: true });
  for (const name of ['carol', 'dan', 'erin', 'frank', 'gina', 'bob']) {
    users[name] = fake.createUser({ userName: name, mfa: true });
    await writeKeysProfile(ws, name, users[name]);
  }
  codeFile = join(ws.dir, 'mfa-code');
  const mfaProcess = await ws.script('print-mfa-code', `#!/bin/sh\ncat '${codeFile}'\n`);
  const config = [
    ...Object.entries(users).flatMap(([name, user]) => [
      `[profile ${name}]`,
      'region = eu-west-1',
      `mfa_serial = ${user.mfaSerial!}`,
      ...(name === 'carol' ? [`mfa_process = ${mfaProcess}`] : []),
      '',
    ]),
    // A role made from dan's session, which carries the MFA the role's trust policy requires.
    '[profile dan-deploy]',
    `role_arn = ${role.arn}`,
    'source_profile = dan',
    '',
    ...BUILD.flatMap((profile) => [
      `[profile ${profile}]`,
      `role_arn = ${role.arn}`,
      'source_profile = frank',
      `role_session_name = ${profile}`,
      '',
    ]),
  ];
  await ws.writeConfig(config.join('\n'));
  // Sessions of 15 minutes (STS's shortest), which the fake's lag shortens further.
  await mkdir(ws.home, { recursive: true });
  await writeFile(
    join(ws.home, 'settings.json'),
    JSON.stringify({
      keys: { sessionHours: 0.25 },
      // Renewals at a tenth of a lifetime, on time: a one-minute session is renewed in 6 seconds.
      refresh: { lifetimeFraction: 0.1, maxJitterSeconds: 0 },
    }),
  );
  serve = await startServe(ws.env);
  authorization = (await rolecall(['token'])).stdout.trim();
});

afterEach(async () => {
  // Nothing a test loaded asks a question in the next one.
  await rolecall(['unload', '--all']);
});

afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await ws?.dispose();
});

function rolecall(args: string[], input?: string): Promise<CliResult> {
  return runCli(args, ws.env, input);
}

/**
 * `rolecall …` started in a session of its own, so it has no terminal to ask in, whatever
 * terminal the test runs from.
 */
function startWithoutTerminal(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: ws.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { stderr: () => stderr, ended };
}

/**
 * The server's snapshot, read over the control API as the CLI and the web UI read it (a `rolecall
 * status` per poll would start a Node process several times a second).
 */
async function snapshot(): Promise<Snapshot> {
  const response = await fetch(new URL('api/getSnapshot', serve.info.url), {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Snapshot;
}

const codeOf = (name: string) => fake.mfaCode(users[name]!.mfaSerial!);
/** A code the device does not show now. */
const wrongCodeOf = (name: string) => (codeOf(name) === '000000' ? '111111' : '000000');

/** GetSessionToken calls made with `name`'s keys: "ok" or the error STS answered. */
function sessionCalls(name: string): Array<Pick<RecordedCall, 'outcome'> & { code?: string }> {
  return fake.calls
    .filter(
      (call) =>
        call.action === 'GetSessionToken' && call.signedBy?.principalArn === users[name]!.arn,
    )
    .map((call) => ({
      outcome: call.outcome,
      ...(call.params.TokenCode ? { code: call.params.TokenCode } : {}),
    }));
}

/** The credentials a slot serves, as an AWS SDK asks for them. */
async function slotCredentials(
  profile: string,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(new URL(`slot/${profile}`, serve.info.url), {
    headers: { authorization },
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('MFA codes', { timeout: CLI_HEAVY_TIMEOUT_MS }, () => {
  it('takes the code from mfa_process without asking anyone', async () => {
    const code = codeOf('carol');
    await writeFile(codeFile, `${code}\n`);
    const load = startWithoutTerminal(['load', 'carol', '--slot']);
    expect(await load.ended, load.stderr()).toBe(0);
    expect(load.stderr()).not.toContain('MFA code');
    expect(load.stderr()).toContain('Loaded carol into its slot');
    expect(sessionCalls('carol')).toEqual([{ outcome: 'ok', code }]);
    expect((await snapshot()).inputRequests).toBeUndefined();
    const served = fake.credentials((await slotCredentials('carol')).body.AccessKeyId!);
    expect(served).toMatchObject({ issuedBy: 'GetSessionToken' });
    expect(served?.principal.mfaAuthenticated).toBe(true);
  });

  it('takes the code given with --mfa-code, for a role made from an MFA session', async () => {
    const code = codeOf('dan');
    const result = await rolecall(['load', 'dan-deploy', '--slot', '--mfa-code', code]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Loaded dan-deploy into its slot');
    expect(sessionCalls('dan')).toEqual([{ outcome: 'ok', code }]);
    // The role demands MFA, and got it from the session it was made from: no second code.
    const served = fake.credentials((await slotCredentials('dan-deploy')).body.AccessKeyId!);
    expect(served).toMatchObject({ issuedBy: 'AssumeRole' });
    expect(fake.credentials(served!.parentAccessKeyId!)).toMatchObject({
      issuedBy: 'GetSessionToken',
    });
  });

  it('says so when a code given with --mfa-code is refused, and tries it once', async () => {
    const wrong = wrongCodeOf('erin');
    const load = startWithoutTerminal(['load', 'erin', '--mfa-code', wrong]);
    expect(await load.ended).toBe(1);
    expect(load.stderr()).toContain(
      'rolecall: The MFA code given with --mfa-code was not accepted: AWS refused the code: it is wrong, or was already used.',
    );
    expect(load.stderr()).toContain('Run the command again with a new code.');
    expect(sessionCalls('erin')).toEqual([{ outcome: 'AccessDenied', code: wrong }]);
    // Nobody is left asked, and nothing is loaded.
    await expect.poll(async () => (await snapshot()).inputRequests, SHOWN_WITHIN).toBeUndefined();
    expect((await snapshot()).entries.map((entry) => entry.profile)).not.toContain('erin');
  });

  it('asks on the terminal of `rolecall load`, hidden, and asks again after a wrong code', async () => {
    const [wrong, right] = [wrongCodeOf('erin'), codeOf('erin')];
    const { output, code } = await onTerminal(
      [process.execPath, CLI, 'load', 'erin', '--slot'],
      [
        ['wait', `MFA code for ${users.erin!.mfaSerial!} (profile erin): `],
        ['send', `${wrong}\r`],
        ['wait', 'AWS refused the code: it is wrong, or was already used.'],
        ['wait', `MFA code for ${users.erin!.mfaSerial!} (profile erin): `],
        ['send', `${right}\r`],
        ['wait', 'Loaded erin into its slot'],
      ],
      ws.env,
      TERMINAL_STEP_TIMEOUT_SECONDS,
    );
    expect(code, output).toBe(0);
    // Neither code was shown.
    expect(output).not.toContain(wrong);
    expect(output).not.toContain(right);
    // One call per code typed: the wrong one refused, never tried again.
    expect(sessionCalls('erin').slice(-2)).toEqual([
      { outcome: 'AccessDenied', code: wrong },
      { outcome: 'ok', code: right },
    ]);
  });

  it('asks once on the terminal for ten credential-process helpers started at once', async () => {
    const outputs = join(ws.dir, 'helpers');
    await mkdir(outputs);
    // A build tool starting ten helpers in parallel, all on one terminal, their stdout its own.
    const helpers = BUILD.map(
      (profile) =>
        `"${process.execPath}" "${CLI}" credential-process --profile ${profile} > "${outputs}/${profile}.json" &`,
    ).join('\n');
    const mfaCode = codeOf('frank');
    const { output, code } = await onTerminal(
      ['/bin/sh', '-c', `${helpers}\nwait\necho all helpers ended`],
      [
        ['wait', `MFA code for ${users.frank!.mfaSerial!}`],
        ['send', `${mfaCode}\r`],
        ['wait', 'all helpers ended'],
      ],
      ws.env,
      TERMINAL_STEP_TIMEOUT_SECONDS,
    );
    expect(code, output).toBe(0);
    expect(output.match(/MFA code for/g), output).toHaveLength(1);
    expect(output).not.toContain('another terminal');
    expect(sessionCalls('frank')).toEqual([{ outcome: 'ok', code: mfaCode }]);
    const keys = new Set<string>();
    for (const profile of BUILD) {
      const printed = JSON.parse(await readFile(join(outputs, `${profile}.json`), 'utf8')) as {
        Version: number;
        AccessKeyId: string;
      };
      expect(printed.Version).toBe(1);
      expect(fake.credentials(printed.AccessKeyId)?.principal.arn).toContain(`/${profile}`);
      keys.add(printed.AccessKeyId);
    }
    expect(keys.size).toBe(BUILD.length);
  });

  it('is answered by `rolecall answer` from another process, which says when a code is refused', async () => {
    const load = startWithoutTerminal(['load', 'gina']);
    await expect.poll(load.stderr, SHOWN_WITHIN).toContain('there is no terminal to ask in');
    expect(load.stderr()).toContain('Give it with `rolecall answer gina`');
    const status = await rolecall(['status']);
    expect(status.stdout).toMatch(/^default\s+gina\s+loading for \d+s/m);
    expect(status.stdout).toContain(
      `Waiting for you:\n  MFA code needed for ${users.gina!.mfaSerial!}, for gina;`,
    );

    const refused = await rolecall(['answer', 'gina'], `${wrongCodeOf('gina')}\n`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'rolecall: The code was not accepted: AWS refused the code: it is wrong, or was already used. Enter the next code the device shows.\n',
    );
    // The load still waits, and says the code was refused.
    await expect.poll(load.stderr, SHOWN_WITHIN).toContain('rolecall: AWS refused the code');

    const accepted = await rolecall(['answer', 'gina'], `${codeOf('gina')}\n`);
    expect(accepted).toMatchObject({ code: 0, stderr: 'Accepted; gina can go on.\n' });
    expect(await load.ended, load.stderr()).toBe(0);
    expect(load.stderr()).toContain('Loaded gina into the default slot');
    expect(sessionCalls('gina').map((call) => call.outcome)).toEqual(['AccessDenied', 'ok']);
  });

  it('never lets a background renewal that needs a code fail silently', async () => {
    // bob's sessions last a minute, renewed (and asked for) at a tenth of that: 6 seconds.
    stsLagMs = 900_000 - 60_000;
    try {
      const loaded = await rolecall(['load', 'bob', '--slot', '--mfa-code', codeOf('bob')]);
      expect(loaded.code, loaded.stderr).toBe(0);
      const first = (await slotCredentials('bob')).body.AccessKeyId;

      const bob = async () => (await snapshot()).entries.find((entry) => entry.profile === 'bob');
      await expect.poll(async () => (await bob())?.state, SHOWN_WITHIN).toBe('needs-input');
      expect((await snapshot()).inputRequests).toEqual([
        expect.objectContaining({
          key: `mfa:${users.bob!.mfaSerial!}`,
          kind: 'mfa-code',
          waiting: ['bob'],
        }),
      ]);
      const status = await rolecall(['status']);
      expect(status.stdout).toMatch(/^\/slot\/bob\s+bob\s+needs-input\s/m);
      expect(status.stdout).toContain(
        `Waiting for you:\n  MFA code needed for ${users.bob!.mfaSerial!}, for bob;`,
      );
      expect(status.stdout).toContain('Answer with `rolecall answer bob`');
      expect(serve.stderr()).toContain(
        `Renewing bob waits for an answer to “Enter the code your MFA device ${users.bob!.mfaSerial!} shows”; what is valid is served meanwhile.`,
      );
      // The credentials it holds are served meanwhile.
      expect(await slotCredentials('bob')).toMatchObject({
        status: 200,
        body: { AccessKeyId: first },
      });

      // The session the answer makes lasts 15 minutes, so nothing more is asked in this test.
      stsLagMs = 0;
      const answered = await rolecall(['answer', 'bob'], `${codeOf('bob')}\n`);
      expect(answered).toMatchObject({ code: 0, stderr: 'Accepted; bob can go on.\n' });
      expect(await bob()).toMatchObject({ state: 'fresh', refreshCount: 2 });
      const renewed = await slotCredentials('bob');
      expect(renewed.status).toBe(200);
      expect(renewed.body.AccessKeyId).not.toBe(first);
      // One question, one code, one renewal: nothing was tried while nobody answered.
      expect(sessionCalls('bob').map((call) => call.outcome)).toEqual(['ok', 'ok']);
      expect(serve.stderr().match(/Renewing bob waits for an answer/g)).toHaveLength(1);
    } finally {
      stsLagMs = 0;
    }
  });
});
