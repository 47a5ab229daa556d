import { spawn, type ChildProcess } from 'node:child_process';
import { TailBuffer } from './tail-buffer';

export interface RunCommandOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
  maxStdoutBytes: number;
  stderrTailBytes: number;
  /** Stops the run (and everything it started) when aborted: nobody wants its output any more. */
  signal?: AbortSignal;
  /** Written to the program's standard input, which is then closed; without it, stdin is closed. */
  input?: string;
}

/**
 * How a run ended. `stderr` is the trimmed tail of what it printed there. `outputHeldOpen`: the
 * program exited but a process it started kept its stdout or stderr open, so what it printed
 * before exiting is all that was read.
 */
export type RunOutcome =
  | { kind: 'exited'; code: number; stdout: string; stderr: string; outputHeldOpen: boolean }
  | { kind: 'signaled'; signal: NodeJS.Signals; stderr: string }
  | { kind: 'timed-out'; stderr: string }
  | { kind: 'output-too-large'; stderr: string }
  | { kind: 'cancelled' }
  | { kind: 'spawn-failed'; error: NodeJS.ErrnoException };

/** Windows has no process groups to signal, and `detached` there opens a console window. */
const usesProcessGroups = process.platform !== 'win32';

/**
 * Runs a program without a shell and collects its output. Never rejects: every way a run can end
 * is an outcome. On POSIX the program leads its own process group, so stopping it (time-out, too
 * much output) also stops whatever it started — a `sleep` in a script must not outlive it.
 */
export function runCommand(options: RunCommandOptions): Promise<RunOutcome> {
  const [program = '', ...args] = options.argv;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        shell: false,
        // Its own process group (and session: it has no terminal to prompt on; stdin is closed too).
        detached: usesProcessGroups,
        windowsHide: true,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        env: options.env,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      });
    } catch (error) {
      // Invalid arguments (a NUL byte, a .cmd file on Windows) throw instead of emitting 'error'.
      resolve({ kind: 'spawn-failed', error: error as NodeJS.ErrnoException });
      return;
    }

    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr = new TailBuffer(options.stderrTailBytes);
    let stopped: 'timed-out' | 'output-too-large' | 'cancelled' | undefined;
    let settled = false;
    // 'close' waits for the pipes as well as the program, and a process the program started in
    // the background (`sleep 90 &`) holds them open for as long as it lives. So once the program
    // itself has exited, its output is read until the pipes have been quiet for a moment.
    let exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let readSinceExit = false;
    let quietTimer: NodeJS.Timeout | undefined;

    const settle = (outcome: RunOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(quietTimer);
      options.signal?.removeEventListener('abort', cancel);
      resolve(outcome);
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null, heldOpen: boolean) => {
      if (stopped === 'cancelled') settle({ kind: 'cancelled' });
      else if (stopped) settle({ kind: stopped, stderr: stderr.text() });
      else if (signal) settle({ kind: 'signaled', signal, stderr: stderr.text() });
      else {
        settle({
          kind: 'exited',
          code: code ?? 0,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: stderr.text(),
          outputHeldOpen: heldOpen,
        });
      }
    };
    const stop = (why: 'timed-out' | 'output-too-large' | 'cancelled') => {
      stopped ??= why;
      killTree(child);
      // Let what the group already wrote to stderr drain (it explains the failure), but a
      // grandchild that left the group could hold the pipes open: don't wait for it for long.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_DRAIN_GRACE_MS).unref();
    };
    const finishWhenQuiet = () => {
      quietTimer = setTimeout(() => {
        // setImmediate runs after the poll phase, so data already waiting in a pipe (say the
        // process was descheduled for a while) is read before deciding that nothing more comes.
        setImmediate(() => {
          if (settled || stopped) return;
          if (readSinceExit) {
            readSinceExit = false;
            finishWhenQuiet();
            return;
          }
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish(exitedWith!.code, exitedWith!.signal, true);
        });
      }, OUTPUT_AFTER_EXIT_GRACE_MS);
    };

    const timer = setTimeout(() => stop('timed-out'), options.timeoutMs);
    const cancel = () => stop('cancelled');
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener('abort', cancel, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => {
      readSinceExit = true;
      if (stopped) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxStdoutBytes) stop('output-too-large');
      else stdout.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      readSinceExit = true;
      stderr.append(chunk);
    });
    // A program that exits without reading its input breaks the pipe; its exit status says more.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
    // Destroying the pipes may surface EPIPE-like errors; the exit status says what happened.
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Without a pid the program never started (ENOENT, EACCES); later errors (a failed kill)
      // change nothing about how the run ends.
      if (child.pid === undefined) settle({ kind: 'spawn-failed', error });
    });
    child.on('exit', (code, signal) => {
      if (child.pid === undefined || stopped) return;
      exitedWith = { code, signal };
      readSinceExit = false;
      finishWhenQuiet();
    });
    child.on('close', (code, signal) => {
      if (child.pid === undefined) return; // 'error' reports it
      finish(code, signal, false);
    });
  });
}

/** Long enough to read what a killed process left in its stderr pipe, short enough to not matter. */
const PIPE_DRAIN_GRACE_MS = 200;

/**
 * How long the pipes may stay quiet after the program exited before Rolecall stops reading them.
 * What it wrote before exiting is already in the pipe (at most the pipe's 64 KiB buffer) and is
 * read within an event-loop turn or two, and the wait restarts whenever anything arrives, so half
 * a second cuts nothing short even on a busy machine; and it is only ever waited when a process
 * the program started keeps its output open, which otherwise meant waiting out the time-out.
 */
const OUTPUT_AFTER_EXIT_GRACE_MS = 500;

function killTree(child: ChildProcess): void {
  try {
    if (usesProcessGroups && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}
