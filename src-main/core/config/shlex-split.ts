/** The characters `shlex` splits words at; other whitespace (a vertical tab, U+00A0) is a letter. */
const SHLEX_WHITESPACE = ' \t\r\n';
/** Characters that end a run of ordinary ones. */
const SPECIAL = `${SHLEX_WHITESPACE}'"\\`;

/**
 * Python's `shlex.split(text)` (POSIX mode, no comments), which botocore uses to read the name in
 * `[profile <name>]` and `[sso-session <name>]`: words split at spaces and tabs, `'` and `"`
 * group, `\` escapes outside single quotes (inside double quotes only before `"` or `\`).
 * Returns null where shlex raises ValueError (an unclosed quote, a trailing backslash), and
 * botocore then drops the section.
 */
export function shlexSplit(text: string): string[] | null {
  const words: string[] = [];
  let word = '';
  /** Whether the current word exists, even if empty (`''` is a word). */
  let inWord = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (SHLEX_WHITESPACE.includes(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      index += 1;
    } else if (char === "'") {
      const end = text.indexOf("'", index + 1);
      if (end === -1) return null;
      word += text.slice(index + 1, end);
      inWord = true;
      index = end + 1;
    } else if (char === '"') {
      index += 1;
      for (;;) {
        if (index >= text.length) return null;
        const inner = text[index]!;
        if (inner === '"') break;
        if (inner === '\\') {
          if (index + 1 >= text.length) return null;
          const next = text[index + 1]!;
          word += next === '"' || next === '\\' ? next : `\\${next}`;
          index += 2;
        } else {
          let end = index + 1;
          while (end < text.length && text[end] !== '"' && text[end] !== '\\') end += 1;
          word += text.slice(index, end);
          index = end;
        }
      }
      inWord = true;
      index += 1;
    } else if (char === '\\') {
      if (index + 1 >= text.length) return null;
      word += text[index + 1]!;
      inWord = true;
      index += 2;
    } else {
      // A run of ordinary characters, appended at once: names can be a megabyte long.
      let end = index + 1;
      while (end < text.length && !SPECIAL.includes(text[end]!)) end += 1;
      word += text.slice(index, end);
      inWord = true;
      index = end;
    }
  }
  if (inWord) words.push(word);
  return words;
}
