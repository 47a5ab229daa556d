import type { Terminal } from './terminal';

/** What a line being typed becomes after some keystrokes. */
export type TypedLine =
  | { kind: 'typing'; text: string }
  | { kind: 'entered'; text: string }
  /** Ctrl-C, or Ctrl-D on an empty line: the person wants out, as SIGINT would say. */
  | { kind: 'quit' };

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACE = '\u0008';
const DELETE = '\u007f';
/** ESC, then a CSI (`[`) or SS3 (`O`) sequence: arrow keys, Home, F-keys. Never part of a code. */
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /^\u001b(?:\[[0-?]*[ -/]*[@-~]|O.|.)?/;

/**
 * Applies keystrokes read in raw mode (nothing echoed) to the line typed so far. A chunk may hold
 * several keys — a paste of "123456\r" — and what follows Enter is ignored. Editing is what a
 * hidden prompt needs: Backspace, Ctrl-U to start over; other control keys and escape sequences
 * do nothing, so an arrow key never becomes part of the answer.
 */
export function typeKeys(text: string, chunk: string): TypedLine {
  let line = text;
  for (let rest = chunk; rest.length > 0;) {
    const escape = ESCAPE_SEQUENCE.exec(rest);
    if (escape) {
      rest = rest.slice(escape[0].length);
      continue;
    }
    const key = String.fromCodePoint(rest.codePointAt(0)!);
    rest = rest.slice(key.length);
    if (key === '\r' || key === '\n') return { kind: 'entered', text: line };
    if (key === CTRL_C) return { kind: 'quit' };
    if (key === CTRL_D) {
      if (line === '') return { kind: 'quit' };
      continue;
    }
    if (key === BACKSPACE || key === DELETE) line = [...line].slice(0, -1).join('');
    else if (key === CTRL_U) line = '';
    else if (key >= ' ') line += key;
  }
  return { kind: 'typing', text: line };
}

/** Ctrl-C (or Ctrl-D) at a hidden prompt: raw mode swallows the SIGINT, so it is told this way. */
export class QuitAtPrompt extends Error {
  constructor() {
    super('quit at the prompt');
    this.name = 'QuitAtPrompt';
  }
}

/**
 * Asks for one line without showing what is typed. Resolves with the line, or null when `signal`
 * ends the question first (answered elsewhere, or nobody waits any more); rejects with
 * `QuitAtPrompt` on Ctrl-C. The terminal is back as it was in every case, on a new line.
 */
export function readHidden(
  terminal: Terminal,
  prompt: string,
  signal: AbortSignal,
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      resolve(null);
      return;
    }
    let text = '';
    const finish = (outcome: () => void) => {
      stopReading();
      signal.removeEventListener('abort', onAbort);
      terminal.write('\n');
      outcome();
    };
    const onAbort = () => finish(() => resolve(null));
    // Echo goes off before the prompt shows: a code typed the instant it appears is not echoed.
    const stopReading = terminal.readKeys((chunk) => {
      const typed = typeKeys(text, chunk);
      if (typed.kind === 'typing') text = typed.text;
      else if (typed.kind === 'entered') finish(() => resolve(typed.text));
      else finish(() => reject(new QuitAtPrompt()));
    });
    terminal.write(prompt);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
