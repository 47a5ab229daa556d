/** A line being typed at a hidden prompt, between two chunks of keystrokes. */
export interface LineBeingTyped {
  readonly text: string;
  /**
   * Where an escape sequence begun in an earlier chunk has got to: a terminal may deliver an
   * arrow key's three bytes in two reads.
   */
  readonly escape: 'none' | 'start' | 'sequence';
}

export const NOTHING_TYPED: LineBeingTyped = { text: '', escape: 'none' };

/** What a line being typed becomes after a chunk of keystrokes. */
export type Typed =
  | { kind: 'typing'; line: LineBeingTyped }
  /**
   * Enter. `rest` is what the chunk held after it — the next lines of a paste, say a key ID and
   * its secret pasted together — for the next prompt to take.
   */
  | { kind: 'entered'; text: string; rest: string }
  /** Ctrl-C, or Ctrl-D on an empty line: the person wants out, as SIGINT would say. */
  | { kind: 'quit' };

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACE = '\u0008';
const DELETE = '\u007f';
const ESCAPE = '\u001b';

/**
 * Applies keystrokes read in raw mode (nothing echoed) to the line typed so far. Editing is what
 * a hidden prompt needs: Backspace (either code) and Ctrl-U to start over. Escape sequences —
 * arrow keys, Home, F-keys, a bracketed paste's markers — and other control keys do nothing, so
 * they never become part of a secret; a control key inside a sequence ends it and counts, so
 * Escape followed by Ctrl-C or Enter still quits or enters.
 */
export function typeKeys(line: LineBeingTyped, chunk: string): Typed {
  let { text, escape } = line;
  let index = 0;
  while (index < chunk.length) {
    const key = String.fromCodePoint(chunk.codePointAt(index)!);
    index += key.length;
    if (escape !== 'none' && key >= ' ' && key !== DELETE) {
      // ESC [ (CSI) and ESC O (SS3) go on to a final byte (`@` to `~`); ESC and any other
      // character is a one-key sequence (Alt with that key).
      if (escape === 'start') escape = key === '[' || key === 'O' ? 'sequence' : 'none';
      else if (key >= '@' && key <= '~') escape = 'none';
      continue;
    }
    escape = 'none';
    if (key === '\r' || key === '\n') {
      // A CRLF ends the line once, not twice.
      if (key === '\r' && chunk[index] === '\n') index += 1;
      return { kind: 'entered', text, rest: chunk.slice(index) };
    }
    if (key === CTRL_C) return { kind: 'quit' };
    if (key === CTRL_D) {
      if (text === '') return { kind: 'quit' };
      continue;
    }
    if (key === BACKSPACE || key === DELETE) text = [...text].slice(0, -1).join('');
    else if (key === CTRL_U) text = '';
    else if (key === ESCAPE) escape = 'start';
    else if (key >= ' ') text += key;
  }
  return { kind: 'typing', line: { text, escape } };
}
