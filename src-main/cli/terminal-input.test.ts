import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from './interrupt';
import { createTerminalReader, readStream, type TerminalStream } from './terminal-input';

/** A terminal whose raw mode and flow can be read back, and that a test types into. */
function fakeTerminal() {
  const events = new EventEmitter();
  const modes: boolean[] = [];
  /** Raw mode changes and writes, in order. */
  const happenings: string[] = [];
  let flowing = false;
  let written = '';
  const terminal: TerminalStream = {
    setRawMode: (raw) => (modes.push(raw), happenings.push(raw ? 'raw' : 'cooked')),
    on: (event, listener) => events.on(event, listener),
    off: (event, listener) => events.off(event, listener),
    resume: () => (flowing = true),
    pause: () => (flowing = false),
  };
  let signal: (() => void) | null = null;
  const read = createTerminalReader(terminal, {
    write: (text) => ((written += text), happenings.push(`write ${JSON.stringify(text)}`)),
    onSignal: (listener) => {
      signal = listener;
      return () => (signal = null);
    },
  });
  return {
    read,
    type: (text: string | Buffer) => events.emit('data', text),
    signal: () => signal?.(),
    modes,
    happenings,
    listeners: () => events.listenerCount('data'),
    flowing: () => flowing,
    written: () => written,
  };
}

describe('hidden terminal input', () => {
  it('reads a line without writing any of it, and gives the terminal back', async () => {
    const terminal = fakeTerminal();
    const line = terminal.read('Secret: ');
    terminal.type('s3cr');
    terminal.type(Buffer.from('et\r'));
    expect(await line).toBe('s3cret');
    expect(terminal.written()).toBe('Secret: \n');
    expect(terminal.modes).toEqual([true, false]);
    expect(terminal.listeners()).toBe(0);
    expect(terminal.flowing()).toBe(false);
  });

  it('turns echo off before the prompt appears, so nothing typed after it is ever shown', async () => {
    const terminal = fakeTerminal();
    const line = terminal.read('Secret: ');
    terminal.type('x\r');
    await line;
    expect(terminal.happenings).toEqual(['raw', 'write "Secret: "', 'cooked', 'write "\\n"']);
  });

  it('edits with Backspace and Ctrl-U, and ignores arrow keys and paste markers', async () => {
    const terminal = fakeTerminal();
    const line = terminal.read('> ');
    terminal.type('wrong\u0015ab\u007fc\u001b[D\u001bOA\u001b[200~pasted\u001b[201~\n');
    expect(await line).toBe('acpasted');
  });

  it('keeps what was pasted past the first line for the next prompt', async () => {
    const terminal = fakeTerminal();
    const first = terminal.read('ID: ');
    terminal.type('AKIAIOSFODNN7EXAMPLE\r\nthe-secret\r\n');
    expect(await first).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(await terminal.read('Secret: ')).toBe('the-secret');
    expect(terminal.modes).toEqual([true, false, true, false]);
  });

  it('reads a character split across two chunks', async () => {
    const terminal = fakeTerminal();
    const line = terminal.read('> ');
    const bytes = Buffer.from('clé\n');
    terminal.type(bytes.subarray(0, 3));
    terminal.type(bytes.subarray(3));
    expect(await line).toBe('clé');
  });

  it.each([
    ['Ctrl-C', (t: ReturnType<typeof fakeTerminal>) => t.type('half\u0003rest\n')],
    ['Ctrl-D on an empty line', (t: ReturnType<typeof fakeTerminal>) => t.type('\u0004')],
    ['a signal from outside', (t: ReturnType<typeof fakeTerminal>) => (t.type('half'), t.signal())],
  ])('stops at %s, gives the terminal back, and forgets what was typed', async (_, stop) => {
    const terminal = fakeTerminal();
    const line = terminal.read('> ');
    stop(terminal);
    await expect(line).rejects.toBeInstanceOf(InterruptedError);
    await expect(line).rejects.toThrow('Cancelled; nothing was stored.');
    expect(terminal.modes).toEqual([true, false]);
    expect(terminal.listeners()).toBe(0);
    const next = terminal.read('> ');
    terminal.type('fresh\n');
    expect(await next).toBe('fresh');
  });
});

describe('readStream', () => {
  it('reads everything, and refuses more than the limit', async () => {
    expect(await readStream(Readable.from([Buffer.from('a\n'), Buffer.from('b\n')]), 10)).toBe(
      'a\nb\n',
    );
    await expect(readStream(Readable.from([Buffer.alloc(11)]), 10)).rejects.toThrow(
      'Standard input has more than 10 bytes',
    );
  });
});
