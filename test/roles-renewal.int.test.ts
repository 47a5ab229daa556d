import { execFile } from 'node:child_process';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botocoreUnavailable, SYSTEM_PYTHON } from './helpers/botocore';
import { ACCOUNT, RoleChains, roleArn, SECOND, until } from './helpers/role-chains';
import { filesUnder, placesOf, whereFound, type Place } from './helpers/secret-search';
import { withEnv } from './helpers/with-env';

/**
 * Assumed-role chains over time, with real processes and the real keychain: a child renewed from
 * its still-valid parent (on a load, and by its timer), the slot read by the AWS SDK for
 * JavaScript and by botocore, a kill -9 and restart that bring parents and children back without
 * a call to STS or a new MFA question, and then a search for the long-lived secret — and every
 * credential STS issued — wherever it must not be. Two chains are loaded first: keys in the
 * keychain (with MFA) → role → role, and a credential_process → role → role.
 */
let w: RoleChains;

beforeAll(async () => {
  w = await RoleChains.start();
  await w.ok(['keys', 'import', 'base', '--remove']);
  const code = w.sts.mfaCode(w.alice.mfaSerial!);
  await w.ok(['load', 'keys-ops', '--slot', '--mfa-code', code]);
  await w.useToolSession();
  await w.ok(['load', 'proc-ops', '--slot']);
}, 60 * SECOND);

afterAll(async () => {
  await w?.dispose();
});

describe('assumed-role chains over time', () => {
  it(
    'renews a child from its still-valid parent: on a load, and on its timer',
    async () => {
      const before = await w.upstreamCalls();
      const adminCalls = w.assumeRoleCalls(roleArn('KeysAdmin'));
      expect(adminCalls).toHaveLength(1);
      const opsCalls = w.assumeRoleCalls(roleArn('KeysOps'));
      const adminKey = opsCalls[0]!.signedBy!.accessKeyId;

      // A load of a loaded profile renews it now — without a code: the parent holds a session.
      const again = await w.ok(['load', 'keys-ops', '--slot']);
      expect(again.stderr).not.toMatch(/MFA/);
      expect(w.assumeRoleCalls(roleArn('KeysOps'))).toHaveLength(opsCalls.length + 1);
      expect(w.assumeRoleCalls(roleArn('KeysOps')).at(-1)!.signedBy!.accessKeyId).toBe(adminKey);

      // A 15-minute role (12 s here) is renewed by the timer at half its life.
      await w.ok(['load', 'keys-short', '--slot']);
      await until('a renewal of keys-short by its timer', async () =>
        (await w.snapshot()).entries.some(
          (entry) => entry.profile === 'keys-short' && entry.refreshCount >= 2,
        ),
      );
      const short = w.assumeRoleCalls(roleArn('KeysShort'));
      expect(short.length).toBeGreaterThanOrEqual(2);
      expect(new Set(short.map((call) => call.signedBy!.accessKeyId))).toEqual(new Set([adminKey]));
      expect(short.every((call) => call.params.DurationSeconds === '900')).toBe(true);
      await w.ok(['unload', 'keys-short']);

      // Nothing further down the chain ran again.
      const after = await w.upstreamCalls();
      expect(after.sts.filter((call) => !/KeysOps|KeysShort/.test(call))).toEqual(
        before.sts.filter((call) => !/KeysOps|KeysShort/.test(call)),
      );
      expect(after.process).toBe(before.process);
    },
    60 * SECOND,
  );

  it("serves an assumed-role slot to the AWS SDK for JavaScript's fromHttp and to botocore", async () => {
    const exports = JSON.parse(
      (await w.ok(['env', '--profile', 'keys-ops', '--format', 'json'])).stdout,
    ) as Record<string, string>;
    expect(exports.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/\/slot\/keys-ops$/);
    const credentials = await withEnv(exports, () => fromHttp({})());
    w.answers.push(JSON.stringify(credentials));
    const identity = await new STSClient({
      region: 'us-west-2',
      endpoint: w.sts.url,
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
        ['-c', script, w.sts.url],
        {
          env: {
            PATH: '/usr/bin:/bin',
            HOME: w.ws.dir,
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            ...exports,
          },
        },
        (error, stdout, stderr) =>
          error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout),
      ),
    );
    w.answers.push(botocore);
    expect(JSON.parse(botocore)).toEqual({
      method: 'container-role',
      accessKeyId: credentials.accessKeyId,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/KeysOps/ops-session`,
    });
  });

  it(
    'comes back after kill -9 with parents and children from the keychain: no STS call, no MFA question',
    async () => {
      const before = await w.upstreamCalls();
      const slots = ['keys-ops', 'proc-ops'];
      const servedBefore = await Promise.all(slots.map((profile) => w.endpoint(`slot/${profile}`)));
      const links = (entries: Array<{ profile: string; state: string; parents?: string[] }>) =>
        entries.map(({ profile, state, parents }) => ({ profile, state, parents }));
      const statusBefore = await w.status();
      expect(links(statusBefore.entries)).toEqual([
        { profile: 'base', state: 'fresh', parents: undefined },
        { profile: 'keys-admin', state: 'fresh', parents: ['base'] },
        { profile: 'keys-ops', state: 'fresh', parents: ['keys-admin'] },
        { profile: 'proc-admin', state: 'fresh', parents: ['proc-base'] },
        { profile: 'proc-base', state: 'fresh', parents: undefined },
        { profile: 'proc-ops', state: 'fresh', parents: ['proc-admin'] },
      ]);
      await w.stopServe('SIGKILL');

      await w.startServe();
      const servedAfter = await Promise.all(slots.map((profile) => w.endpoint(`slot/${profile}`)));
      expect(servedAfter).toEqual(servedBefore);
      const statusAfter = await w.status();
      expect(statusAfter.inputRequests).toBeUndefined();
      expect(links(statusAfter.entries)).toEqual(links(statusBefore.entries));
      expect(await w.upstreamCalls()).toEqual(before);

      // Renewing the child after the restart uses the restored parent: no code, no new session.
      const renewed = await w.ok(['load', 'keys-ops', '--slot']);
      expect(renewed.stderr).not.toMatch(/MFA/);
      const after = await w.upstreamCalls();
      expect(after.sts).toEqual([...before.sts, `AssumeRole ${roleArn('KeysOps')}`]);
      expect((await w.status()).inputRequests).toBeUndefined();
    },
    60 * SECOND,
  );

  it('keeps the long-lived secret out of every file, log, process view and answer', async () => {
    const { alice, sts } = w;
    w.answers.push((await w.ok(['profiles', '--json'])).stdout);
    expect((await w.endpoint('slot')).status).toBe(200);
    await w.stopServe();
    // The credential_process ran as a child of the server: what it was shown.
    const processViews = [...w.processViews];
    for (const file of await filesUnder(w.ws.dir)) {
      if (/company-credentials\.(cmdline|environ)\.\d+$/.test(file.path))
        processViews.push(file.text);
    }
    // Two servers and one run of the tool, each a command line and an environment.
    expect(processViews).toHaveLength(6);

    const places: Place[] = [
      ...(await filesUnder(w.ws.dir)).map(({ path, text }) => ({ where: path, text })),
      ...placesOf('log', w.logs),
      ...placesOf('process view', processViews),
      ...placesOf('answer', w.answers),
    ];
    expect(whereFound([alice.secretAccessKey], places)).toEqual([]);
    // Nor was the key pair ever served: every answer's key is a temporary one.
    expect(whereFound([alice.accessKeyId], placesOf('answer', w.answers))).toEqual([]);
    // What STS issued (sessions, roles) was served, and is in no file, log or process view.
    const issued = sts.issuedSecrets().filter((secret) => !w.printedByTool.includes(secret));
    expect(issued.length).toBeGreaterThan(10);
    const atRest = places.filter((place) => !place.where.startsWith('answer '));
    expect(whereFound(issued, atRest)).toEqual([]);
  });
});
