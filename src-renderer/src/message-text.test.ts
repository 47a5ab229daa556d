import { describe, expect, it } from 'vitest';
import { splitCode } from './message-text';

describe('splitCode', () => {
  it('turns backtick spans into code', () => {
    expect(splitCode('Run `rolecall ui` for a new one.')).toEqual([
      { text: 'Run ', code: false },
      { text: 'rolecall ui', code: true },
      { text: ' for a new one.', code: false },
    ]);
  });

  it('handles several spans, and spans at either end', () => {
    expect(splitCode('`rolecall load x --slot` or `rolecall env`')).toEqual([
      { text: 'rolecall load x --slot', code: true },
      { text: ' or ', code: false },
      { text: 'rolecall env', code: true },
    ]);
  });

  it('keeps a message without backticks whole', () => {
    expect(splitCode('Profile dev is not loaded.')).toEqual([
      { text: 'Profile dev is not loaded.', code: false },
    ]);
    expect(splitCode('')).toEqual([]);
  });

  it('keeps an unpaired backtick as written', () => {
    expect(splitCode('a `b` c `d')).toEqual([
      { text: 'a ', code: false },
      { text: 'b', code: true },
      { text: ' c `d', code: false },
    ]);
    expect(splitCode('it`s')).toEqual([{ text: 'it`s', code: false }]);
  });
});
