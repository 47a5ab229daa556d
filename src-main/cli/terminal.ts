import { closeSync, openSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { ReadStream, WriteStream } from 'node:tty';
import { NOTHING_TYPED, typeKeys } from './keystrokes';

/** The parts of a terminal's input stream (tty.ReadStream) that hidden reading uses. */
export interface TtyInput {
  setRawMode(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'error', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'end' | 'error', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
  /** Keep the process alive while a prompt waits, and only then. */
  ref?(): unknown;
  unref?(): unknown;
}

export interface TerminalOptions {
  /** Where prompts and sentences about a question go. */
  write(text: string): void;
  /** Lets go of the streams of a terminal opened for a question. */
  close?(): void;
  /**
   * Signals that end a prompt from outside (`kill`, a closed terminal window); each counts as
   * Ctrl-C, so the terminal is given back before the command ends. Returns a function that stops
   * listening.
   */
  onSignal?(listener: () => void): () => void;
}

/** Ctrl-C (or Ctrl-D, or a signal) at a hidden prompt: raw mode swallows the SIGINT, so it is told this way. */
export class QuitAtPrompt extends Error {
  constructor() {
    super('quit at the prompt');
    this.name = 'QuitAtPrompt';
  }
}

/** Which terminal a command asks on; see `openTerminal`. */
export type TerminalChoice = 'stdin' | 'controlling';

/**
 * A terminal a person answers on, read with hidden input in raw mode: nothing typed is echoed
 * (not even stars, which would tell how long the secret is), and keystrokes are read as
 * `typeKeys` says. Text typed or pasted past the end of one line is kept for the next prompt, so
 * a key ID and its secret pasted together both arrive.
 */
export class Terminal {
  private ahead = '';
  private readonly decoder = new StringDecoder('utf8');
  private asking = false;

  constructor(
    private readonly input: TtyInput,
    private readonly options: TerminalOptions,
  ) {}

  write(text: string): void {
    this.options.write(text);
  }

  /**
   * Asks for one line without showing what is typed. Resolves with the line, or null when
   * `signal` ends the question first (answered elsewhere, or nobody waits any more); rejects with
   * `QuitAtPrompt` on Ctrl-C, Ctrl-D on an empty line, a signal, or a terminal that has gone. In
   * every case the terminal is back as it was, on a new line.
   */
  readHidden(prompt: string, signal?: AbortSignal): Promise<string | null> {
    if (signal?.aborted) return Promise.resolve(null);
    if (this.asking) return Promise.reject(new Error('A terminal asks one question at a time.'));
    this.asking = true;
    const input = this.input;
    return new Promise<string | null>((resolve, reject) => {
      let line = NOTHING_TYPED;
      const finish = (outcome: { line: string } | 'ended' | 'quit') => {
        input.off('data', onData);
        input.off('end', onGone);
        input.off('error', onGone);
        stopSignals?.();
        signal?.removeEventListener('abort', onAbort);
        input.setRawMode(false);
        input.pause();
        input.unref?.();
        this.asking = false;
        this.write('\n');
        if (outcome === 'quit') reject(new QuitAtPrompt());
        else resolve(outcome === 'ended' ? null : outcome.line);
      };
      /** Applies a chunk; true when it ended the prompt. */
      const take = (chunk: string): boolean => {
        const typed = typeKeys(line, chunk);
        if (typed.kind === 'typing') {
          line = typed.line;
          return false;
        }
        if (typed.kind === 'entered') {
          this.ahead = typed.rest;
          finish({ line: typed.text });
        } else {
          this.ahead = '';
          finish('quit');
        }
        return true;
      };
      const onData = (chunk: Buffer | string) => {
        take(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
      };
      const onGone = () => {
        this.ahead = '';
        finish('quit');
      };
      const onAbort = () => finish('ended');
      // Echo off first, then the prompt: a key typed or pasted the moment the prompt appears
      // would otherwise be shown by the terminal itself, before Rolecall ever reads it.
      input.setRawMode(true);
      this.write(prompt);
      const stopSignals = this.options.onSignal?.(onGone);
      const pending = this.ahead;
      this.ahead = '';
      if (pending !== '' && take(pending)) return;
      signal?.addEventListener('abort', onAbort, { once: true });
      input.on('data', onData);
      input.on('end', onGone);
      input.on('error', onGone);
      input.ref?.();
      input.resume();
    });
  }

  close(): void {
    this.options.close?.();
  }
}

/**
 * Opens the terminal a person answers on, or null when there is none. `stdin`: standard input's
 * own terminal, with prompts on stderr (stdout stays for output a script reads) — for commands a
 * person runs (`load`, `answer`, `keys add`). `controlling`: the process's controlling terminal
 * (`/dev/tty`; the console on Windows), apart from stdin and stdout — for
 * `rolecall credential-process`, whose stdin and stdout belong to the tool that runs it, as
 * aws-vault and the AWS CLI ask for MFA codes.
 */
export function openTerminal(which: TerminalChoice): Terminal | null {
  return which === 'stdin' ? stdinTerminal() : openControllingTerminal();
}

function stdinTerminal(): Terminal | null {
  const stdin = process.stdin;
  if (!stdin.isTTY) return null;
  return new Terminal(stdin, {
    write: (text) => void process.stderr.write(text),
    onSignal: onEndingSignal,
  });
}

/**
 * The controlling terminal, or null when the process has none — started by a service, a build
 * tool without a terminal, or a test in its own session.
 */
function openControllingTerminal(): Terminal | null {
  const [inputPath, outputPath] =
    process.platform === 'win32' ? ['CONIN$', 'CONOUT$'] : ['/dev/tty', '/dev/tty'];
  let inputFd: number | null = null;
  let outputFd: number | null = null;
  try {
    inputFd = openSync(inputPath, 'r');
    outputFd = openSync(outputPath, 'w');
    const input = new ReadStream(inputFd);
    const output = new WriteStream(outputFd);
    if (!input.isTTY) throw new Error(`${inputPath} is no terminal`);
    // Until a prompt reads from it, the terminal must not keep the process alive.
    input.pause();
    input.unref?.();
    return new Terminal(input, {
      write: (text) => void output.write(text),
      close: () => {
        input.destroy();
        output.destroy();
      },
      onSignal: onEndingSignal,
    });
  } catch {
    for (const fd of [inputFd, outputFd]) if (fd !== null) closeQuietly(fd);
    return null;
  }
}

const ENDING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onEndingSignal(listener: () => void): () => void {
  for (const signal of ENDING_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of ENDING_SIGNALS) process.off(signal, listener);
  };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
