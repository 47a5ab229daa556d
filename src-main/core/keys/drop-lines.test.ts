import { describe, expect, it } from 'vitest';
import { readIni } from '../config/ini-reader';
import { dropLines } from './drop-lines';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
const drop = (input: string, ...lines: number[]) => text(dropLines(bytes(input), new Set(lines)));

describe('dropLines', () => {
  it('drops exactly the named lines, each with its own ending', () => {
    expect(drop('a\nb\nc\n', 2)).toBe('a\nc\n');
    expect(drop('a\r\nb\r\nc\r\n', 1, 3)).toBe('b\r\n');
    expect(drop('a\rb\rc', 2)).toBe('a\rc');
    expect(drop('a\nb\r\nc\rd', 2, 3)).toBe('a\nd');
  });

  it('handles a last line without an ending, blank lines and an empty file', () => {
    expect(drop('a\nb', 2)).toBe('a\n');
    expect(drop('a\nb', 1)).toBe('b');
    expect(drop('\n\nx\n\n', 3)).toBe('\n\n\n');
    expect(drop('', 1)).toBe('');
    expect(drop('a\n', 2)).toBe('a\n');
  });

  it('counts lines as the reader does, so its line numbers name the lines dropped', () => {
    // Mixed endings, a lone carriage return, and characters beyond ASCII before the keys.
    const file =
      '# clé ✓\r\n[dev]\raws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\r\nregion = 日本\n';
    const read = readIni(bytes(file));
    if (!read.ok) throw new Error('refused');
    const options = read.sections[0]!.options;
    const lines = new Set(
      ['aws_access_key_id', 'aws_secret_access_key'].map((name) => options.get(name)!.line),
    );
    expect(drop(file, ...lines)).toBe('# clé ✓\r\n[dev]\rregion = 日本\n');
  });

  it('keeps every byte of the rest, including bytes a text round trip would change', () => {
    const input = Buffer.from([0x61, 0x0a, 0x62, 0x0d, 0x0a, 0xef, 0xbb, 0xbf, 0x63, 0x0d]);
    expect([...dropLines(input, new Set([2]))]).toEqual([0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x63, 0x0d]);
  });
});
