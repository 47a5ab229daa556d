import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '../../../src-shared/input-request';
import { testFetchContext } from '../../../test/helpers/fetch-context';
import { wrongMfaCode } from '../../../test/helpers/fake-sts-client';
import { callWithMfa, MAX_REFUSED_CODES, withMfaCode } from './mfa-code';
import { isMfaCodeRefused } from '../sts/sts-errors';

const SERIAL = 'arn:aws:iam::111111111111:mfa/alice';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-mfa-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** A person who answers each question with the next of `answers`, and remembers the questions. */
function person(...answers: string[]) {
  const questions: Question[] = [];
  return {
    questions,
    context: testFetchContext({
      ask: async (question) => {
        questions.push({ ...question });
        const answer = answers.shift();
        if (answer === undefined) throw new Error('the person has no more answers');
        return answer;
      },
    }),
  };
}

/** An STS call that refuses the codes in `wrong` and records every code it got. */
function stsCall(...wrong: string[]) {
  const codes: string[] = [];
  return {
    codes,
    call: async (code: string) => {
      codes.push(code);
      if (wrong.includes(code)) throw wrongMfaCode();
      return `credentials for ${code}`;
    },
  };
}

const device = (process?: string) => ({
  serial: SERIAL,
  from: 'base',
  ...(process ? { process } : {}),
});

describe('withMfaCode', () => {
  it('asks a person once per device, and makes the call with the answer', async () => {
    const { questions, context } = person('123456');
    const sts = stsCall();
    await expect(
      withMfaCode({ profile: 'admin', device: device() }, context, isMfaCodeRefused, sts.call),
    ).resolves.toBe('credentials for 123456');
    expect(questions).toEqual([
      {
        key: `mfa:${SERIAL}`,
        kind: 'mfa-code',
        prompt: `Enter the code your MFA device ${SERIAL} shows`,
        mfaSerial: SERIAL,
      },
    ]);
  });

  it('asks again with the reason when AWS refuses a code, once per refusal', async () => {
    const { questions, context } = person('111111', '222222');
    const sts = stsCall('111111');
    await expect(
      withMfaCode({ profile: 'admin', device: device() }, context, isMfaCodeRefused, sts.call),
    ).resolves.toBe('credentials for 222222');
    expect(sts.codes).toEqual(['111111', '222222']);
    expect(questions.map((question) => question.retryReason)).toEqual([
      undefined,
      'AWS refused the code: it is wrong, or was already used. Enter the next code the device shows.',
    ]);
  });

  it(`gives up after ${MAX_REFUSED_CODES} refused codes, in words`, async () => {
    const { questions, context } = person('111111', '222222', '333333', '444444');
    const sts = stsCall('111111', '222222', '333333', '444444');
    await expect(
      withMfaCode({ profile: 'admin', device: device() }, context, isMfaCodeRefused, sts.call),
    ).rejects.toMatchObject({
      failure: 'denied',
      message: `Profile admin: AWS refused ${MAX_REFUSED_CODES} MFA codes in a row for ${SERIAL}. Check that mfa_serial names the device you read the codes from, then load the profile again.`,
    });
    expect(questions).toHaveLength(MAX_REFUSED_CODES);
  });

  it('asks again when an answer is no code, without calling AWS with it', async () => {
    const { questions, context } = person('12 34', '654321');
    const sts = stsCall();
    await withMfaCode({ profile: 'admin', device: device() }, context, isMfaCodeRefused, sts.call);
    expect(sts.codes).toEqual(['654321']);
    expect(questions[1]?.retryReason).toBe(
      'That is not an MFA code: enter the 6 digits the device shows.',
    );
  });

  it('lets other failures through untouched, without asking again', async () => {
    const { questions, context } = person('123456');
    const denied = new Error('not an MFA problem');
    await expect(
      withMfaCode({ profile: 'admin', device: device() }, context, isMfaCodeRefused, async () => {
        throw denied;
      }),
    ).rejects.toBe(denied);
    expect(questions).toHaveLength(1);
  });

  describe('mfa_process', () => {
    it('takes the code it prints, without asking anyone', async () => {
      const path = await script('code', 'echo "  424242"');
      const sts = stsCall();
      // testFetchContext fails the test if a person is asked.
      await expect(
        withMfaCode(
          { profile: 'admin', device: device(`${path} --account 'alice'`) },
          testFetchContext(),
          isMfaCodeRefused,
          sts.call,
        ),
      ).resolves.toBe('credentials for 424242');
    });

    it('asks a person when AWS refuses the code it printed', async () => {
      const path = await script('stale', 'echo 111111');
      const { questions, context } = person('222222');
      const sts = stsCall('111111');
      await expect(
        withMfaCode(
          { profile: 'admin', device: device(path) },
          context,
          isMfaCodeRefused,
          sts.call,
        ),
      ).resolves.toBe('credentials for 222222');
      expect(questions[0]?.retryReason).toBe(
        'AWS refused the code mfa_process printed: it is wrong, or was already used. Enter the next code the device shows.',
      );
    });

    it('fails in words when it fails, prints no code, or is shell syntax', async () => {
      const failing = await script('failing', 'echo "no key plugged in" >&2\nexit 3');
      const chatty = await script('chatty', 'echo "your code is 123456, secret-ish"');
      const attempt = (command: string) =>
        withMfaCode(
          { profile: 'admin', device: device(command) },
          testFetchContext(),
          isMfaCodeRefused,
          stsCall().call,
        );
      await expect(attempt(failing)).rejects.toMatchObject({
        message:
          'Profile admin: the mfa_process of profile base exited with code 3. Fix mfa_process in your AWS config. Its stderr ended with: no key plugged in',
      });
      const printed = attempt(chatty);
      await expect(printed).rejects.toMatchObject({
        message:
          'Profile admin: the mfa_process of profile base printed something other than an MFA code; it must print only the 6 digits the device shows.',
      });
      await expect(attempt('get-code | head -1')).rejects.toMatchObject({
        failure: 'spawn-failed',
        message: expect.stringContaining('it has the shell operator "|"'),
      });
    });

    it('is stopped when nobody waits for the code any more', async () => {
      const path = await script('slow', 'sleep 30');
      const controller = new AbortController();
      const started = Date.now();
      const waiting = withMfaCode(
        { profile: 'admin', device: device(path) },
        testFetchContext({ signal: controller.signal }),
        isMfaCodeRefused,
        stsCall().call,
      );
      setTimeout(() => controller.abort(), 200);
      await expect(waiting).rejects.toMatchObject({ failure: 'cancelled' });
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});

describe('callWithMfa', () => {
  it('makes the call without MFA parameters when the source names no device', async () => {
    const calls: unknown[] = [];
    const result = await callWithMfa({ profile: 'base' }, undefined, isMfaCodeRefused, (mfa) => {
      calls.push(mfa);
      return Promise.resolve('plain');
    });
    expect(result).toBe('plain');
    expect(calls).toEqual([undefined]);
  });

  it("sends the device's serial and the code, asked again when refused", async () => {
    const { context } = person('111111', '222222');
    const sent: unknown[] = [];
    const result = await callWithMfa(
      { profile: 'base', mfa: device() },
      context,
      isMfaCodeRefused,
      async (mfa) => {
        sent.push(mfa);
        if (mfa?.TokenCode === '111111') throw wrongMfaCode();
        return 'with MFA';
      },
    );
    expect(result).toBe('with MFA');
    expect(sent).toEqual([
      { SerialNumber: SERIAL, TokenCode: '111111' },
      { SerialNumber: SERIAL, TokenCode: '222222' },
    ]);
  });

  it('refuses to ask for a code outside a fetch', async () => {
    await expect(
      callWithMfa({ profile: 'base', mfa: device() }, undefined, isMfaCodeRefused, async () => 1),
    ).rejects.toThrow('an MFA code can only be asked within a fetch');
  });
});
