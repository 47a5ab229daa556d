import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command';

const readStdin = `let text = ''; process.stdin.on('data', (chunk) => (text += chunk)); process.stdin.on('end', () => process.stdout.write('[' + text + ']'));`;
const run = (input?: string) =>
  runCommand({
    argv: [process.execPath, '-e', readStdin],
    env: process.env,
    timeoutMs: 20_000,
    maxStdoutBytes: 1024,
    stderrTailBytes: 1024,
    ...(input === undefined ? {} : { input }),
  });

describe('runCommand standard input', () => {
  it('writes the input and closes it, so a program reading to the end finishes', async () => {
    expect(await run('class Lister {}\n')).toMatchObject({
      kind: 'exited',
      code: 0,
      stdout: '[class Lister {}\n]',
    });
  });

  it('gives a program no input at all when none is asked for', async () => {
    expect(await run()).toMatchObject({ kind: 'exited', code: 0, stdout: '[]' });
  });
});
