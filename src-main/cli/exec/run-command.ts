import { spawn as nodeSpawn } from 'node:child_process';
import { constants } from 'node:os';
import { ExitStatus } from '../exit-status';
import { inTerminalForeground } from './foreground';

/** What a shell exits with when it finds no such command, and when it cannot run the one found. */
export const NOT_FOUND_STATUS = 127;
export const NOT_RUNNABLE_STATUS = 126;

/** Signals `rolecall exec` passes on to its command instead of ending by them itself. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
];

/**
 * What a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\, a hang-up). When
 * `exec` is in that group, so is its command, which then has the signal already: sending it again
 * would make it two — and to terraform, two interrupts mean "stop now, whatever it leaves broken".
 */
const TERMINAL_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT', 'SIGHUP']);

/** On Windows a console's Ctrl-C and close reach every process attached to it; nothing is sent. */
const WINDOWS_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGHUP', 'SIGBREAK'];

export interface RunCommandOptions {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Whether this process is in its terminal's foreground process group, asked per signal. */
  inForeground?: () => boolean;
  spawn?: typeof nodeSpawn;
}

/**
 * Runs `command` with `args` — no shell, so nothing in them is interpreted — sharing this
 * terminal, and resolves with the status to exit with: the command's own, or 128 + n when a
 * signal n ended it, as shells report it. While it runs, the signals above are passed on to it
 * (unless it has them from the terminal already) instead of ending `exec`, so it decides what a
 * Ctrl-C means and `exec` ends when it does. A command that cannot be started fails with an
 * `ExitStatus` of 127 (not found) or 126 (found, not runnable) and a sentence.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<number> {
  const platform = options.platform ?? process.platform;
  const inForeground = options.inForeground ?? (() => inTerminalForeground());
  const spawn = options.spawn ?? nodeSpawn;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: 'inherit' });
    const listeners = new Map<NodeJS.Signals, () => void>();
    const signals = platform === 'win32' ? WINDOWS_SIGNALS : FORWARDED_SIGNALS;
    for (const signal of signals) {
      const listener = () => {
        if (platform === 'win32') return;
        if (TERMINAL_SIGNALS.has(signal) && inForeground()) return;
        child.kill(signal);
      };
      listeners.set(signal, listener);
      process.on(signal, listener);
    }
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const [signal, listener] of listeners) process.off(signal, listener);
      outcome();
    };
    child.once('error', (error: NodeJS.ErrnoException) =>
      settle(() => reject(notStarted(command, error))),
    );
    child.once('exit', (code, signal) => settle(() => resolve(exitStatusOf(code, signal))));
  });
}

/** The child's exit code, or 128 + the number of the signal that ended it. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

function notStarted(command: string, error: NodeJS.ErrnoException): ExitStatus {
  const named = command.includes('/') || command.includes('\\');
  switch (error.code) {
    case 'ENOENT':
      return new ExitStatus(
        NOT_FOUND_STATUS,
        named
          ? `There is no program ${command}; check the path.`
          : `There is no command ${command} on your PATH; check its name, or give its full path.`,
      );
    case 'EACCES':
      return new ExitStatus(
        NOT_RUNNABLE_STATUS,
        `${command} cannot be run: permission denied (is it a directory, or not executable?).`,
      );
    default:
      return new ExitStatus(NOT_RUNNABLE_STATUS, `${command} could not be run: ${error.message}.`);
  }
}
