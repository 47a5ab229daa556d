/**
 * The bytes of a file without some of its lines, every other byte as it was. Lines are counted
 * as the AWS CLI's reader counts them (universal newlines: `\n`, `\r\n` and a lone `\r` each end
 * a line), so a line number from ini-reader.ts names exactly the line it read. A dropped line
 * goes with its own line ending; UTF-8 never uses the bytes of `\r` or `\n` inside a character,
 * so counting bytes counts the same lines as reading the text.
 */
export function dropLines(bytes: Uint8Array, lines: ReadonlySet<number>): Uint8Array {
  const kept: Uint8Array[] = [];
  let line = 1;
  let start = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (byte !== 0x0a && byte !== 0x0d) continue;
    if (byte === 0x0d && bytes[index + 1] === 0x0a) index += 1;
    if (!lines.has(line)) kept.push(bytes.subarray(start, index + 1));
    line += 1;
    start = index + 1;
  }
  // The last line, when the file does not end with a line ending.
  if (start < bytes.length && !lines.has(line)) kept.push(bytes.subarray(start));
  return Buffer.concat(kept);
}
