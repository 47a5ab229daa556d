import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src-shared/snapshot';
import { mfaQuestion } from '../../src-shared/testing/views';
import type { ServerClient } from './client';
import type { CliContext } from './context';
import type { TerminalChoice } from './terminal';
import { FakeTerminal } from './testing/fake-terminal';
import { whileAnswering } from './while-answering';

const question = mfaQuestion({ waiting: ['dev'] });
const snapshot: Snapshot = {
  defaultProfile: null,
  slots: [],
  entries: [],
  inputRequests: [question],
};

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-answering-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('whileAnswering', () => {
  it.each<TerminalChoice>(['stdin', 'controlling'])(
    'asks on the %s terminal, and answers with what is typed there',
    async (askOn) => {
      const opened: TerminalChoice[] = [];
      const answers: unknown[] = [];
      const terminal = new FakeTerminal({ answer: () => '123456\r' });
      const ctx: CliContext = {
        home,
        secrets: undefined as never,
        env: {},
        stdout: () => undefined,
        stderr: () => undefined,
        stderrIsTerminal: false,
        openTerminal: (which) => (opened.push(which), terminal),
      };
      let answered: () => void;
      const done = new Promise<void>((resolve) => (answered = resolve));
      const client = {
        call: async (name: string, args?: unknown) => {
          if (name === 'answerInput') {
            answers.push(args);
            answered();
            return { ...snapshot, inputRequests: [] };
          }
          return answers.length > 0 ? { ...snapshot, inputRequests: [] } : snapshot;
        },
      } as unknown as ServerClient;
      await whileAnswering(
        ctx,
        client,
        { profile: 'dev', askOn },
        () => undefined,
        () => done,
      );
      expect(opened).toEqual([askOn]);
      expect(answers).toEqual([{ key: question.key, answer: '123456' }]);
      expect(terminal.output).toBe(
        'MFA code for arn:aws:iam::123456789012:mfa/alice (profile dev): \n',
      );
      expect(terminal.closed).toBe(true);
    },
  );
});
