import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** Debian's Python, which has a pseudo-terminal module (Node has none of its own). */
const PYTHON = '/usr/bin/python3';
const PTY_RUN = resolve(__dirname, 'pty_run.py');

export type TerminalStep = ['wait' | 'send', string];

/**
 * Runs `argv` on a real pseudo-terminal — its controlling terminal, so `/dev/tty` is that
 * terminal for it and every process it starts — and plays `steps` against it as a person would:
 * wait for a text to show, type a text. Resolves with everything the terminal showed and the exit
 * code, once the command has ended. Each wait fails after `stepTimeoutSeconds`.
 */
export function onTerminal(
  argv: string[],
  steps: TerminalStep[],
  env: NodeJS.ProcessEnv,
  stepTimeoutSeconds = 20,
): Promise<{ output: string; code: number }> {
  return new Promise((done, fail) => {
    execFile(
      PYTHON,
      [PTY_RUN, JSON.stringify({ argv, steps, timeout: stepTimeoutSeconds })],
      { env, timeout: (steps.length + 1) * stepTimeoutSeconds * 1000 },
      (error, stdout, stderr) =>
        error
          ? fail(new Error(`${error.message}\n${stderr}`))
          : done(JSON.parse(stdout) as { output: string; code: number }),
    );
  });
}
