import { describe, expect, it } from 'vitest';
import { QuitAtPrompt } from './terminal';
import { FakeTerminal } from './testing/fake-terminal';

describe('Terminal.readHidden', () => {
  it('reads a line without writing any of it, and gives the terminal back on a new line', async () => {
    const terminal = new FakeTerminal();
    const line = terminal.readHidden('Secret: ');
    expect(terminal.reading).toBe(true);
    terminal.type('s3cr');
    terminal.type(Buffer.from('et\r'));
    expect(await line).toBe('s3cret');
    expect(terminal.output).toBe('Secret: \n');
    expect(terminal.modes).toEqual([true, false]);
    expect(terminal.listeners).toBe(0);
    expect(terminal.flowing).toBe(false);
    expect(terminal.reading).toBe(false);
  });

  it('turns echo off before the prompt appears, so nothing typed after it is ever shown', async () => {
    const terminal = new FakeTerminal();
    const line = terminal.readHidden('Secret: ');
    terminal.type('x\r');
    await line;
    expect(terminal.happenings).toEqual(['raw', 'write "Secret: "', 'cooked', 'write "\\n"']);
  });

  it('edits with Backspace and Ctrl-U, and ignores arrow keys and paste markers', async () => {
    const terminal = new FakeTerminal();
    const line = terminal.readHidden('> ');
    terminal.type('wrong\u0015ab\u007fc\u001b[D\u001bOA\u001b[200~pasted\u001b[201~\n');
    expect(await line).toBe('acpasted');
  });

  it('keeps what was pasted past the first line for the next prompt', async () => {
    const terminal = new FakeTerminal();
    const first = terminal.readHidden('ID: ');
    terminal.type('AKIAIOSFODNN7EXAMPLE\r\nthe-secret\r\n');
    expect(await first).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(await terminal.readHidden('Secret: ')).toBe('the-secret');
    expect(terminal.modes).toEqual([true, false, true, false]);
    expect(terminal.output).toBe('ID: \nSecret: \n');
  });

  it('reads a character split across two chunks', async () => {
    const terminal = new FakeTerminal();
    const line = terminal.readHidden('> ');
    const bytes = Buffer.from('clé\n');
    terminal.type(bytes.subarray(0, 3));
    terminal.type(bytes.subarray(3));
    expect(await line).toBe('clé');
  });

  it('ignores an arrow key whose bytes come in two chunks', async () => {
    const terminal = new FakeTerminal();
    const line = terminal.readHidden('> ');
    terminal.type('1\u001b');
    terminal.type('[D2\r');
    expect(await line).toBe('12');
  });

  it.each([
    ['Ctrl-C', (t: FakeTerminal) => t.type('half\u0003rest\n')],
    ['Ctrl-D on an empty line', (t: FakeTerminal) => t.type('\u0004')],
    ['a signal from outside', (t: FakeTerminal) => (t.type('half'), t.signal())],
    ['a terminal that has gone', (t: FakeTerminal) => (t.type('half'), t.hangUp())],
  ])('quits at %s, gives the terminal back, and forgets what was typed', async (_, stop) => {
    const terminal = new FakeTerminal();
    const line = terminal.readHidden('> ');
    stop(terminal);
    await expect(line).rejects.toBeInstanceOf(QuitAtPrompt);
    expect(terminal.modes).toEqual([true, false]);
    expect(terminal.listeners).toBe(0);
    expect(terminal.reading).toBe(false);
    const next = terminal.readHidden('> ');
    terminal.type('fresh\n');
    expect(await next).toBe('fresh');
  });

  it('resolves null when the question ends before an answer, leaving raw mode', async () => {
    const terminal = new FakeTerminal();
    const controller = new AbortController();
    const answer = terminal.readHidden('code: ', controller.signal);
    terminal.type('12');
    controller.abort();
    expect(await answer).toBeNull();
    expect(terminal.reading).toBe(false);
    expect(terminal.modes).toEqual([true, false]);
    expect(terminal.output).toBe('code: \n');
  });

  it('does not ask at all when the question has already ended', async () => {
    const terminal = new FakeTerminal();
    const controller = new AbortController();
    controller.abort();
    expect(await terminal.readHidden('code: ', controller.signal)).toBeNull();
    expect(terminal.output).toBe('');
    expect(terminal.modes).toEqual([]);
  });

  it('asks one question at a time', async () => {
    const terminal = new FakeTerminal();
    const first = terminal.readHidden('one: ');
    await expect(terminal.readHidden('two: ')).rejects.toThrow(
      'A terminal asks one question at a time.',
    );
    terminal.type('1\r');
    expect(await first).toBe('1');
  });
});
