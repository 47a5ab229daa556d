import { describe, expect, it } from 'vitest';
import { NOTHING_TYPED, typeKeys, type LineBeingTyped } from './keystrokes';

const typed = (text: string): LineBeingTyped => ({ text, escape: 'none' });
const typing = (text: string) => ({ kind: 'typing', line: typed(text) });

describe('typeKeys', () => {
  it('collects printable keys and ends at Enter, keeping what a paste has after it', () => {
    expect(typeKeys(NOTHING_TYPED, '12')).toEqual(typing('12'));
    expect(typeKeys(typed('12'), '3456\r789')).toEqual({
      kind: 'entered',
      text: '123456',
      rest: '789',
    });
    expect(typeKeys(NOTHING_TYPED, '654321\n')).toEqual({
      kind: 'entered',
      text: '654321',
      rest: '',
    });
  });

  it('ends a line at CRLF once, so the next line of a paste is not taken as empty', () => {
    expect(typeKeys(NOTHING_TYPED, 'AKIAIOSFODNN7EXAMPLE\r\nthe-secret\r\n')).toEqual({
      kind: 'entered',
      text: 'AKIAIOSFODNN7EXAMPLE',
      rest: 'the-secret\r\n',
    });
  });

  it('edits with Backspace (either code) and starts over with Ctrl-U', () => {
    expect(typeKeys(typed('123'), '\u007f')).toEqual(typing('12'));
    expect(typeKeys(typed('123'), '\b\b')).toEqual(typing('1'));
    expect(typeKeys(NOTHING_TYPED, '\u007f')).toEqual(typing(''));
    expect(typeKeys(typed('999'), '\u0015123')).toEqual(typing('123'));
    expect(typeKeys(NOTHING_TYPED, 'wrong\u0015ab\u007fc')).toEqual(typing('ac'));
  });

  it('takes a character outside the basic plane back as one key', () => {
    expect(typeKeys(typed('a😀'), '\u007f')).toEqual(typing('a'));
  });

  it('never turns arrow keys, F-keys, paste markers or other control keys into text', () => {
    expect(typeKeys(typed('1'), '\u001b[D\u001b[A\u001bOP\u001b[15~\t\u0001')).toEqual(typing('1'));
    expect(typeKeys(NOTHING_TYPED, '\u001b[200~pasted\u001b[201~')).toEqual(typing('pasted'));
    // Alt-x arrives as ESC x: neither is text.
    expect(typeKeys(typed('1'), '\u001bx2')).toEqual(typing('12'));
  });

  it('follows an escape sequence split across two chunks', () => {
    const first = typeKeys(typed('1'), '\u001b');
    expect(first).toEqual({ kind: 'typing', line: { text: '1', escape: 'start' } });
    const second = typeKeys((first as { line: LineBeingTyped }).line, '[');
    expect(second).toEqual({ kind: 'typing', line: { text: '1', escape: 'sequence' } });
    expect(typeKeys((second as { line: LineBeingTyped }).line, '1;5D2')).toEqual(typing('12'));
  });

  it('quits or enters on a control key even right after Escape', () => {
    expect(typeKeys(typed('12'), '\u001b\u0003')).toEqual({ kind: 'quit' });
    expect(typeKeys(typed('12'), '\u001b[\r')).toEqual({ kind: 'entered', text: '12', rest: '' });
  });

  it('quits on Ctrl-C, and on Ctrl-D with nothing typed', () => {
    expect(typeKeys(typed('123'), '\u0003')).toEqual({ kind: 'quit' });
    expect(typeKeys(typed('half'), '\u0003rest\n')).toEqual({ kind: 'quit' });
    expect(typeKeys(NOTHING_TYPED, '\u0004')).toEqual({ kind: 'quit' });
    expect(typeKeys(typed('12'), '\u0004')).toEqual(typing('12'));
  });
});
