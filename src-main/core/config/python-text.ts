/**
 * Python's idea of whitespace and of line breaks, which the AWS CLI's config reader (Python's
 * configparser, then botocore) applies to every line. JavaScript's `trim()` and `\s` disagree with
 * Python on a few characters (U+001C–U+001F and U+0085 are whitespace to Python, U+FEFF is not),
 * and a reader meant to agree with the AWS CLI has to agree on those too.
 */

/** The characters for which Python's `str.isspace()` is true: what `strip()` and re's `\s` take. */
const PYTHON_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
]);

/**
 * Where Python's `str.splitlines()` breaks a line (besides \r\n): botocore splits indented
 * sub-settings with it, so a vertical tab or U+2028 inside such a block starts a new line there.
 */
const PYTHON_LINE_BREAK = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);

export function isPythonSpace(text: string, index: number): boolean {
  return PYTHON_SPACE.has(text.charCodeAt(index));
}

/** The index of the first character that is not Python whitespace, or -1. */
export function firstNonSpace(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    if (!isPythonSpace(text, index)) return index;
  }
  return -1;
}

/** Python's `str.strip()` with no argument. */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPythonSpace(text, start)) start += 1;
  while (end > start && isPythonSpace(text, end - 1)) end -= 1;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Python's `str.rstrip()` with no argument. */
export function pythonRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text, end - 1)) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** Python's `str.splitlines()` (without keepends). */
export function pythonSplitlines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (!PYTHON_LINE_BREAK.has(code)) continue;
    lines.push(text.slice(start, index));
    if (code === 0x0d && text.charCodeAt(index + 1) === 0x0a) index += 1;
    start = index + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/**
 * The lines Python reads from a file opened in text mode: universal newlines, so `\r\n`, a lone
 * `\r` and `\n` each end a line (and nothing else does). Each line comes without its ending.
 */
export function universalLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  // A final line ending does not start another line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
