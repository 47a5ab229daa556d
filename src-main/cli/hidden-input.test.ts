import { describe, expect, it } from 'vitest';
import { QuitAtPrompt, readHidden, typeKeys } from './hidden-input';
import { FakeTerminal } from './testing/fake-terminal';

describe('typeKeys', () => {
  it('collects printable keys and ends at Enter, ignoring what a paste has after it', () => {
    expect(typeKeys('', '12')).toEqual({ kind: 'typing', text: '12' });
    expect(typeKeys('12', '3456\r789')).toEqual({ kind: 'entered', text: '123456' });
    expect(typeKeys('', '654321\n')).toEqual({ kind: 'entered', text: '654321' });
  });

  it('edits with Backspace (either code) and starts over with Ctrl-U', () => {
    expect(typeKeys('123', '\u007f')).toEqual({ kind: 'typing', text: '12' });
    expect(typeKeys('123', '\b\b')).toEqual({ kind: 'typing', text: '1' });
    expect(typeKeys('', '\u007f')).toEqual({ kind: 'typing', text: '' });
    expect(typeKeys('999', '\u0015123')).toEqual({ kind: 'typing', text: '123' });
  });

  it('takes a character outside the basic plane back as one key', () => {
    expect(typeKeys('a😀', '\u007f')).toEqual({ kind: 'typing', text: 'a' });
  });

  it('never turns arrow keys, F-keys or other control keys into text', () => {
    expect(typeKeys('1', '\u001b[D\u001b[A\u001bOP\u001b[15~\t\u0001')).toEqual({
      kind: 'typing',
      text: '1',
    });
  });

  it('quits on Ctrl-C, and on Ctrl-D with nothing typed', () => {
    expect(typeKeys('123', '\u0003')).toEqual({ kind: 'quit' });
    expect(typeKeys('', '\u0004')).toEqual({ kind: 'quit' });
    expect(typeKeys('12', '\u0004')).toEqual({ kind: 'typing', text: '12' });
  });
});

describe('readHidden', () => {
  it('asks, reads the line unechoed, and gives the terminal back on a new line', async () => {
    const terminal = new FakeTerminal();
    const answer = readHidden(terminal, 'MFA code: ', new AbortController().signal);
    expect(terminal.reading).toBe(true);
    terminal.type('123');
    terminal.type('456\r');
    expect(await answer).toBe('123456');
    expect(terminal.output).toBe('MFA code: \n');
    expect(terminal.reading).toBe(false);
  });

  it('turns echo off before the prompt shows, so a code typed the moment it appears is not echoed', async () => {
    const terminal = new FakeTerminal();
    const rawWhenWritten: boolean[] = [];
    const write = terminal.write.bind(terminal);
    terminal.write = (text) => {
      rawWhenWritten.push(terminal.reading);
      write(text);
    };
    const answer = readHidden(terminal, 'MFA code: ', new AbortController().signal);
    expect(terminal.output).toBe('MFA code: ');
    expect(rawWhenWritten).toEqual([true]);
    terminal.type('123456\r');
    expect(await answer).toBe('123456');
  });

  it('rejects with QuitAtPrompt on Ctrl-C, leaving raw mode', async () => {
    const terminal = new FakeTerminal();
    const answer = readHidden(terminal, 'code: ', new AbortController().signal);
    terminal.type('12\u0003');
    await expect(answer).rejects.toBeInstanceOf(QuitAtPrompt);
    expect(terminal.reading).toBe(false);
  });

  it('resolves null when the question ends before an answer, leaving raw mode', async () => {
    const terminal = new FakeTerminal();
    const controller = new AbortController();
    const answer = readHidden(terminal, 'code: ', controller.signal);
    terminal.type('12');
    controller.abort();
    expect(await answer).toBeNull();
    expect(terminal.reading).toBe(false);
    expect(terminal.output).toBe('code: \n');
  });

  it('does not ask at all when the question has already ended', async () => {
    const terminal = new FakeTerminal();
    const controller = new AbortController();
    controller.abort();
    expect(await readHidden(terminal, 'code: ', controller.signal)).toBeNull();
    expect(terminal.output).toBe('');
  });
});
