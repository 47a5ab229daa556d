import { describe, expect, it } from 'vitest';
import { shlexSplit } from './shlex-split';

describe('shlexSplit', () => {
  // Each answer is what Python's shlex.split gives for the same text.
  it.each([
    ['profile dev', ['profile', 'dev']],
    ['profile  dev\t', ['profile', 'dev']],
    ['profile "quoted space"', ['profile', 'quoted space']],
    ['profile \'single "x"\'', ['profile', 'single "x"']],
    ['profile a\\ b', ['profile', 'a b']],
    ['profile "a\\"b\\\\c\\d"', ['profile', 'a"b\\c\\d']],
    ["profile 'a\\'", ['profile', 'a\\']],
    ['profile a"b c"d', ['profile', 'ab cd']],
    ['profile ""', ['profile', '']],
    ['profile #x a;b', ['profile', '#x', 'a;b']],
    ['profile a\u00a0b\u000bc', ['profile', 'a\u00a0b\u000bc']],
    ['profile 日本', ['profile', '日本']],
    ['', []],
  ])('%j', (text, words) => {
    expect(shlexSplit(text)).toEqual(words);
  });

  it.each([["profile 'open"], ['profile "open'], ['profile a\\'], ['profile "a\\']])(
    'gives null where shlex raises: %j',
    (text) => {
      expect(shlexSplit(text)).toBeNull();
    },
  );
});
