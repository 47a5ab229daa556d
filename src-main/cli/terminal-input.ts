import { StringDecoder } from 'node:string_decoder';
import { RolecallError } from '../core/errors';
import { InterruptedError } from './interrupt';

/** What a command may read from the person or the pipe in front of it. */
export interface CliInput {
  /** Standard input is a terminal a person types on (not a pipe or a file). */
  readonly isTerminal: boolean;
  /**
   * Writes `prompt` and reads one line typed on the terminal without showing it. Ctrl-C (or
   * Ctrl-D on an empty line) rejects with InterruptedError, and the terminal is as it was.
   */
  readHidden(prompt: string): Promise<string>;
  /** All of standard input, as text, up to its end; more than `limitBytes` rejects. */
  readAll(limitBytes: number): Promise<string>;
}

/** The parts of a terminal's input stream (tty.ReadStream) hidden reading uses. */
export interface TerminalStream {
  setRawMode(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface TerminalOptions {
  /** Where prompts go: stderr, so stdout stays for output a script reads. */
  write: (text: string) => void;
  /**
   * Signals that end the prompt from outside (a closed terminal, `kill`); the terminal is given
   * back before the command ends. Returns a function that stops listening.
   */
  onSignal?: (listener: () => void) => () => void;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESCAPE = '\u001b';

/**
 * Hidden input on a terminal in raw mode: nothing typed is echoed (not even stars, which would
 * tell how long the secret is), Backspace and Ctrl-U edit, arrow keys and other escape sequences
 * (a bracketed paste's markers too) are ignored, and text typed or pasted past the end of one
 * line is kept for the next prompt, so a key ID and its secret pasted together both arrive.
 */
export function createTerminalReader(terminal: TerminalStream, options: TerminalOptions) {
  let ahead = '';
  const decoder = new StringDecoder('utf8');

  return function readHidden(prompt: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let line = '';
      let escape: 'none' | 'start' | 'sequence' = 'none';
      const finish = (outcome: { line: string } | { cancelled: true }) => {
        terminal.off('data', onData);
        stopSignals?.();
        terminal.setRawMode(false);
        terminal.pause();
        options.write('\n');
        if ('line' in outcome) resolve(outcome.line);
        else reject(new InterruptedError('Cancelled; nothing was stored.'));
      };
      const take = (text: string): boolean => {
        for (let index = 0; index < text.length; index += 1) {
          const char = text[index]!;
          if (escape === 'start') {
            // CSI (`ESC [`) and SS3 (`ESC O`) sequences go on; any other is one character long.
            escape = char === '[' || char === 'O' ? 'sequence' : 'none';
            continue;
          }
          if (escape === 'sequence') {
            if (char >= '@' && char <= '~') escape = 'none';
            continue;
          }
          if (char === '\r' || char === '\n') {
            // A CRLF paste ends the line once, not twice.
            const rest = text.slice(
              char === '\r' && text[index + 1] === '\n' ? index + 2 : index + 1,
            );
            ahead = rest;
            finish({ line });
            return true;
          }
          if (char === CTRL_C || (char === CTRL_D && line === '')) {
            ahead = '';
            finish({ cancelled: true });
            return true;
          }
          if (char === '\u007f' || char === '\b') line = [...line].slice(0, -1).join('');
          else if (char === CTRL_U) line = '';
          else if (char === ESCAPE) escape = 'start';
          else if (char >= ' ') line += char;
        }
        return false;
      };
      const onData = (chunk: Buffer | string) => {
        take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      };
      const stopSignals = options.onSignal?.(() => {
        ahead = '';
        finish({ cancelled: true });
      });
      // Echo off first, then the prompt: a key typed or pasted the moment the prompt appears
      // would otherwise be shown by the terminal itself, before Rolecall ever reads it.
      terminal.setRawMode(true);
      options.write(prompt);
      const pending = ahead;
      ahead = '';
      if (take(pending)) return;
      terminal.on('data', onData);
      terminal.resume();
    });
  };
}

/** Reads a whole stream as UTF-8 text, refusing more than `limitBytes`. */
export async function readStream(
  stream: AsyncIterable<Buffer | string>,
  limitBytes: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limitBytes) {
      throw new RolecallError(
        'input-too-long',
        `Standard input has more than ${limitBytes} bytes, far more than a key ID and its secret.`,
        400,
      );
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The process's own standard input, with prompts on stderr. */
export function processInput(): CliInput {
  const stdin = process.stdin;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const readHidden = stdin.isTTY
    ? createTerminalReader(stdin, {
        write: (text) => process.stderr.write(text),
        onSignal: (listener) => {
          for (const signal of signals) process.on(signal, listener);
          return () => {
            for (const signal of signals) process.off(signal, listener);
          };
        },
      })
    : () => Promise.reject(new Error('Standard input is not a terminal.'));
  return {
    isTerminal: Boolean(stdin.isTTY),
    readHidden,
    readAll: (limitBytes) => readStream(stdin, limitBytes),
  };
}
