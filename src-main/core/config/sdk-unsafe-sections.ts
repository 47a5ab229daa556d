import { quote, type IniProblem } from './ini-reader';

/**
 * The AWS SDK's clients inside Rolecall (sign-in, SSO) still read the AWS config and credentials
 * files with the SDK's own ini parser, for settings of their own. That parser keeps sections in
 * plain objects, so a section named after a JavaScript built-in (`[constructor]`, `[toString]`…;
 * in the config file also `[profile constructor]`) finds the built-in and gets its settings
 * written onto it (`keys = x` replaces `Object.keys` for the whole process), and it refuses
 * `[__proto__]` outright. It also splits lines at `\n` only, so a lone `\r` (a line break to the
 * AWS CLI) makes one "header" of several lines. The AWS CLI reads such files; Rolecall refuses
 * them, because it cannot let the SDK near them and will not serve from a file the SDK and
 * Rolecall would read differently.
 *
 * Headers are found here the way the SDK finds them (parseIni in @smithy/core).
 */

/** Object.prototype's names: the SDK writes a section of that name onto the built-in. */
const BUILT_IN_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
/** How the SDK reads `<type> <name>` headers; copied from parseIni in @smithy/core. */
const SDK_TYPED_HEADER = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;

export function sdkUnsafeSection(which: 'config' | 'credentials', text: string): IniProblem | null {
  let line = 1;
  for (const sdkLine of text.split(/\r?\n/)) {
    // The SDK drops everything from a `;` or `#` that starts the line or follows whitespace.
    const trimmed = (sdkLine.split(/(^|\s)[;#]/)[0] ?? '').trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']') && trimmed.length >= 2) {
      const inner = trimmed.slice(1, -1);
      if (inner.includes('\r')) {
        return {
          line,
          problem:
            'a carriage return without a newline (as old Mac editors save) ends a line here for the AWS CLI but not for the AWS SDK inside Rolecall, which would read several lines as one section header',
          fix: 'Save the file with LF or CRLF line endings',
          awsCliRefusesToo: false,
        };
      }
      if (isUnsafe(which, inner)) {
        return {
          line,
          problem: `${quote(`[${inner}]`)} is a section the AWS SDK inside Rolecall cannot read safely (it is named after a JavaScript built-in)`,
          fix: 'Rename or remove that section',
          awsCliRefusesToo: false,
        };
      }
    }
    // Lines as the AWS CLI counts them: a lone \r ends one too.
    line += (sdkLine.match(/\r/g)?.length ?? 0) + 1;
  }
  return null;
}

function isUnsafe(which: 'config' | 'credentials', inner: string): boolean {
  if (BUILT_IN_NAMES.has(inner)) return true;
  const typed = SDK_TYPED_HEADER.exec(inner);
  // The SDK refuses [profile __proto__] in either file; in the config file it also merges
  // [profile <name>] sections into a plain object keyed by <name>.
  if (typed?.[1] !== 'profile') return false;
  const name = typed[3] ?? '';
  return name === '__proto__' || (which === 'config' && BUILT_IN_NAMES.has(name));
}
