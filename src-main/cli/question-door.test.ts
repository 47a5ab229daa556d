import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputRequestView } from '../../src-shared/input-request';
import type { EntryView, Snapshot } from '../../src-shared/snapshot';
import {
  entryView,
  MFA_SERIAL as serial,
  mfaQuestion,
  signInQuestion,
} from '../../src-shared/testing/views';
import { PromptLocks } from './prompt-lock';
import { keepQuestionDoor, QuestionDoor, type QuestionDoorOptions } from './question-door';
import { FakeTerminal } from './testing/fake-terminal';

const mfa = mfaQuestion();
const signIn = signInQuestion({ waiting: ['base'] });
const entry = (profile: string, more: Partial<EntryView> = {}): EntryView =>
  entryView(profile, { state: 'refreshing', ...more });
/** admin is made from base; base waits for `questions`. */
const waiting = (...questions: InputRequestView[]): Snapshot => ({
  defaultProfile: null,
  slots: [],
  entries: [
    entry('admin', { parents: ['base'] }),
    entry('base', {
      ...(questions[0] ? { state: 'needs-input' as const, waitingFor: questions[0].key } : {}),
    }),
  ],
  ...(questions.length > 0 ? { inputRequests: questions } : {}),
});

let dir: string;
let answers: Array<[string, string]>;
let stderr: string;
let stops: Array<'quit' | Error>;
let terminal: FakeTerminal | null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-door-'));
  answers = [];
  stderr = '';
  stops = [];
  terminal = new FakeTerminal();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function door(options: Partial<QuestionDoorOptions> = {}, locks = new PromptLocks(dir)) {
  return new QuestionDoor(
    {
      snapshot: async () => waiting(),
      answer: async (key, answer) => {
        answers.push([key, answer]);
        return waiting();
      },
      openTerminal: () => terminal,
      claim: (key) => locks.claim(key),
      stderr: (text) => (stderr += text),
    },
    {
      profile: 'admin',
      signal: new AbortController().signal,
      stop: (reason) => stops.push(reason),
      ...options,
    },
  );
}

/** Lets the prompt's own promise chain run (an answer is sent after the line is read). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('QuestionDoor with a terminal', () => {
  it("asks the code its profile's parent waits for, hidden, and sends it once", async () => {
    const subject = door();
    await subject.look(waiting(mfa));
    expect(terminal!.output).toBe(`MFA code for ${serial} (profile base): `);
    expect(terminal!.reading).toBe(true);
    terminal!.type('123456\r');
    await settle();
    expect(answers).toEqual([[mfa.key, '123456']]);
    // The same question seen again, unanswered yet by the source: not asked twice.
    await subject.look(waiting(mfa));
    expect(terminal!.reading).toBe(false);
    expect(terminal!.output).toBe(`MFA code for ${serial} (profile base): \n`);
    await subject.close();
  });

  it('shows why a code was refused and asks again', async () => {
    const subject = door();
    await subject.look(waiting(mfa));
    terminal!.type('111111\r');
    await settle();
    await subject.look(waiting());
    await subject.look(waiting({ ...mfa, retryReason: 'AWS refused the code.' }));
    expect(terminal!.output).toMatch(/\nAWS refused the code\.\nMFA code for .*: $/);
    terminal!.type('222222\r');
    await settle();
    expect(answers.map(([, code]) => code)).toEqual(['111111', '222222']);
    await subject.close();
  });

  it('asks again when the same question comes back refused without ever closing', async () => {
    const subject = door();
    await subject.look(waiting(mfa));
    terminal!.type('111111\r');
    await settle();
    await subject.look(waiting({ ...mfa, retryReason: 'AWS refused the code.' }));
    expect(terminal!.reading).toBe(true);
    await subject.close();
  });

  it('refuses what is no code at the prompt, without sending it', async () => {
    const subject = door();
    await subject.look(waiting(mfa));
    terminal!.type('12ab\r');
    await settle();
    expect(answers).toEqual([]);
    expect(terminal!.output).toContain('MFA code must be the 6 digits your MFA device shows.\n');
    expect(terminal!.reading).toBe(true);
    terminal!.type('654321\r');
    await settle();
    expect(answers).toEqual([[mfa.key, '654321']]);
    await subject.close();
  });

  it('takes the prompt back when the code was given elsewhere', async () => {
    const subject = door();
    await subject.look(waiting(mfa));
    terminal!.type('12');
    await subject.look(waiting());
    expect(terminal!.reading).toBe(false);
    expect(terminal!.output).toContain('No code is needed here any more');
    expect(answers).toEqual([]);
    await subject.close();
  });

  it('stops the command on Ctrl-C at the prompt', async () => {
    const subject = door();
    await subject.look(waiting(mfa));
    terminal!.type('\u0003');
    await settle();
    expect(stops).toEqual(['quit']);
    expect(terminal!.reading).toBe(false);
    await subject.close();
  });

  it('says where to sign in for an ended session, once, without a prompt', async () => {
    const subject = door();
    await subject.look(waiting(signIn));
    await subject.look(waiting(signIn));
    expect(terminal!.reading).toBe(false);
    expect(terminal!.output).toBe(
      "The IAM Identity Center session corp needs a new sign-in (profile base). Sign in with `rolecall login corp` in another terminal, or from Rolecall's window; waiting for it (Ctrl-C to stop).\n",
    );
    await subject.close();
  });

  it('leaves the question to the terminal that claimed it, and says so once', async () => {
    const locks = new PromptLocks(dir);
    const first = door({}, locks);
    await first.look(waiting(mfa));
    const otherTerminal = terminal!;
    terminal = new FakeTerminal();
    const second = door({}, locks);
    await second.look(waiting(mfa));
    await second.look(waiting(mfa));
    expect(terminal.reading).toBe(false);
    expect(terminal.output).toBe('');
    expect(stderr).toBe(
      `The MFA code for ${serial} is being asked in another terminal (pid ${process.pid}); waiting for it.\n`,
    );
    // credential-process helpers wait without a word.
    stderr = '';
    await door({ quietWhileOthersAsk: true }, locks).look(waiting(mfa));
    expect(stderr).toBe('');
    await first.close();
    expect(otherTerminal.reading).toBe(false);
  });

  it('lets another terminal ask once the one that claimed it has gone', async () => {
    const locks = new PromptLocks(dir);
    const first = door({}, locks);
    await first.look(waiting(mfa));
    await first.close();
    terminal = new FakeTerminal();
    await door({}, locks).look(waiting(mfa));
    expect(terminal.reading).toBe(true);
  });

  it('gives its claim up when the question closes', async () => {
    const subject = door();
    await subject.look(waiting(mfa));
    terminal!.type('123456\r');
    await settle();
    expect(await readdir(dir)).toHaveLength(1);
    await subject.look(waiting());
    expect(await readdir(dir)).toEqual([]);
    await subject.close();
  });

  it('asks nothing for a question no profile of its chain waits on', async () => {
    const other = { ...mfa, key: 'mfa:other', waiting: ['someone-else'] };
    const subject = door();
    await subject.look({ ...waiting(), inputRequests: [other] });
    expect(terminal!.output).toBe('');
    expect(stderr).toBe('');
  });
});

describe('QuestionDoor without a terminal', () => {
  beforeEach(() => {
    terminal = null;
  });

  it('says once what is needed and every way to give it', async () => {
    const subject = door({ retryCommand: 'rolecall load admin' });
    await subject.look(waiting(mfa));
    await subject.look(waiting(mfa));
    expect(stderr).toBe(
      `rolecall: The MFA code for ${serial} is needed (profile base), and there is no terminal to ask in. Give it with \`rolecall answer base\` or in Rolecall's window, or run \`rolecall load admin --mfa-code <code>\`; waiting for it.\n`,
    );
    await subject.look(waiting({ ...mfa, retryReason: 'AWS refused the code.' }));
    expect(stderr).toContain('rolecall: AWS refused the code. The MFA code for');
  });

  it('says how to sign in for an ended session', async () => {
    await door().look(waiting(signIn));
    expect(stderr).toBe(
      "rolecall: the IAM Identity Center session corp needs a new sign-in (profile base). Sign in with `rolecall login corp` or from Rolecall's window; waiting for it.\n",
    );
  });

  it('fails the command when a code given with --mfa-code was refused', async () => {
    await door({ mfaCodeGiven: true }).look(
      waiting({ ...mfa, retryReason: 'AWS refused the code.' }),
    );
    expect(stops).toHaveLength(1);
    expect(String(stops[0])).toContain(
      'The MFA code given with --mfa-code was not accepted: AWS refused the code. Run the command again with a new code.',
    );
  });
});

describe('keepQuestionDoor', () => {
  it('looks until its command stops waiting, then lets the terminal go', async () => {
    const controller = new AbortController();
    let looks = 0;
    const done = keepQuestionDoor(
      {
        snapshot: async () => {
          looks += 1;
          return waiting(mfa);
        },
        answer: async () => waiting(),
        openTerminal: () => terminal,
        claim: (key) => new PromptLocks(dir).claim(key),
        stderr: () => undefined,
        pollMs: 1,
      },
      { profile: 'admin', signal: controller.signal, stop: () => undefined },
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(terminal!.reading).toBe(true);
    controller.abort();
    await done;
    expect(looks).toBeGreaterThan(1);
    expect(terminal!.reading).toBe(false);
    expect(terminal!.closed).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });
});
