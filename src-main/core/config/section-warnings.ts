/**
 * Finds section headers the AWS SDK's ini loader silently skips, so a user learns why a profile
 * they can see in the file is missing from the list. This looks only at header lines; every value
 * Rolecall uses still comes from the SDK's own parser.
 */

/** The header shape the SDK accepts: `<type> <name>`; copied from parseIni in @smithy/core. */
const SDK_SECTION_HEADER = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;
/** Names the SDK refuses outright, failing the whole file (see parseIni in @smithy/core). */
const SDK_REFUSED_SECTIONS = ['__proto__', 'profile __proto__'];
/**
 * Names the SDK's parser mishandles: it keeps sections in a plain object, where `[constructor]`,
 * `[toString]` and the like find a JavaScript built-in, and writes the section's settings onto it
 * (`[constructor]` with `keys = x` replaces `Object.keys` for the whole program). Rolecall does not
 * hand a file with such a header to the SDK.
 */
const BUILT_IN_SECTIONS = Object.getOwnPropertyNames(Object.prototype);
/** The sections getConfigData in @smithy/core keeps from the config file, besides [default]. */
const CONFIG_SECTION_TYPES = ['profile', 'sso-session', 'services'];
/** Names that clash with those sections' keys once the SDK flattens them to `<type>.<name>`. */
const RESERVED_PROFILE_PREFIXES = ['sso-session.', 'services.'];
const NAME_RULE = 'one space and a name made of letters, digits and - _ @ + . % : /';

export interface SectionReport {
  warnings: string[];
  /** The SDK reads nothing at all from this file, or must not be given it. */
  refused: boolean;
}

export function sectionWarnings(
  which: 'config' | 'credentials',
  path: string,
  text: string,
): SectionReport {
  const headers = sectionHeaders(text);
  const refusedHeader = headers.find((inner) => SDK_REFUSED_SECTIONS.includes(inner));
  if (refusedHeader !== undefined) {
    return {
      refused: true,
      warnings: [
        `The AWS SDK refuses to read ${path} because it has a [${refusedHeader}] section, so none of its profiles are listed. Rename or remove that section.`,
      ],
    };
  }
  // The SDK splits lines at \n only, so a lone \r makes one "header" of several lines, and
  // the text of all of them (secrets included) would become a section name.
  if (headers.some((inner) => inner.includes('\r'))) {
    return {
      refused: true,
      warnings: [
        `Rolecall does not read ${path} because it has line breaks the AWS SDK does not see (a carriage return without a newline, as old Mac editors save) around a section header, so none of its profiles are listed. Save it with LF or CRLF line endings.`,
      ],
    };
  }
  const builtInHeader = headers.find((inner) => BUILT_IN_SECTIONS.includes(inner));
  if (builtInHeader !== undefined) {
    return {
      refused: true,
      warnings: [
        `Rolecall does not read ${path} because it has a [${builtInHeader}] section, a name the AWS SDK cannot read safely, so none of its profiles are listed. Rename or remove that section.`,
      ],
    };
  }
  const check = which === 'config' ? configHeaderWarning : credentialsHeaderWarning;
  const warnings = headers.flatMap((inner) => {
    const warning = check(inner, path);
    return warning === undefined ? [] : [warning];
  });
  return { refused: false, warnings };
}

function configHeaderWarning(inner: string, path: string): string | undefined {
  if (inner === 'default') return undefined;
  const match = SDK_SECTION_HEADER.exec(inner);
  if (match) {
    const [, type = '', , name = ''] = match;
    if (type === 'profile') {
      const clash = RESERVED_PROFILE_PREFIXES.find((prefix) => name.startsWith(prefix));
      return clash === undefined
        ? undefined
        : `[${inner}] in ${path} is skipped: the AWS SDK reads profile names starting with "${clash}" as a different kind of section. Rename the profile.`;
    }
    if (CONFIG_SECTION_TYPES.includes(type)) return undefined;
    return `[${inner}] in ${path} is skipped: the AWS SDK does not know "${type}" sections. Profiles are written [profile <name>].`;
  }
  const words = inner.trim();
  // `[profile.dev]` is read as profile "dev" by the SDK, odd as it looks; `[profile.]` as a
  // profile with no name, which Rolecall leaves out (nothing could select it).
  const dotted = CONFIG_SECTION_TYPES.find((type) => words.startsWith(`${type}.`));
  if (dotted !== undefined) {
    return words === `${dotted}.`
      ? `[${inner}] in ${path} is skipped: it names no ${dotted}. Write [${dotted} <name>].`
      : undefined;
  }
  if (words === 'default') {
    return `[${inner}] in ${path} is skipped: write it as [default], with no spaces inside the brackets.`;
  }
  const typed = /^(profile|sso-session)\s/.exec(words);
  if (typed) {
    return `[${inner}] in ${path} is skipped: the AWS SDK reads only [${typed[1]} <name>] with ${NAME_RULE}.`;
  }
  if (words !== '' && !/\s/.test(words)) {
    return `[${inner}] in ${path} is skipped: in the config file, profile sections are written [profile ${words}] (only [default] goes without the word profile).`;
  }
  return `[${inner}] in ${path} is skipped: the AWS SDK reads only [default], [profile <name>] and [sso-session <name>] sections there.`;
}

function credentialsHeaderWarning(inner: string, path: string): string | undefined {
  const match = SDK_SECTION_HEADER.exec(inner);
  if (!match) return undefined;
  const [, type = '', , name = ''] = match;
  // The SDK reads `<word> <name>` as a typed section here too, and drops the types it does
  // not know — so `[with space]` vanishes.
  if (type !== 'profile' && !CONFIG_SECTION_TYPES.includes(type)) {
    return `[${inner}] in ${path} is skipped: the AWS SDK reads a section name with one space in it as "<kind> <name>", and knows no "${type}" sections. Profile names in the credentials file cannot contain a space.`;
  }
  if (type !== 'profile') return undefined;
  return `[${inner}] in ${path} is read as a profile named "profile.${name}": the credentials file names profiles without the word profile. Write [${name}] there.`;
}

/** The text between the brackets of each header line, found the way the SDK finds them. */
function sectionHeaders(text: string): string[] {
  const headers: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    // The SDK drops everything from a `;` or `#` that starts the line or follows whitespace.
    const trimmed = (line.split(/(^|\s)[;#]/)[0] ?? '').trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']') && trimmed.length >= 2) {
      headers.push(trimmed.slice(1, -1));
    }
  }
  return headers;
}
