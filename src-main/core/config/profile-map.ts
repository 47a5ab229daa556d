import { pythonStrip } from './python-text';
import { quote, type IniProblem, type IniSection, type IniValue } from './ini-reader';
import { shlexSplit } from './shlex-split';

/**
 * Which profiles (and sso-sessions) the sections of one file define, as botocore decides it:
 * in the config file `build_profile_map` (`[default]`, and any section whose name starts with
 * `profile` or `sso-session` and splits, shell-style, into exactly two words: the second is the
 * name); in the credentials file every section is a profile named as written. Sections that are
 * nothing get a warning saying how to write what was probably meant.
 *
 * Where botocore would let a later section silently replace an earlier one of the same profile
 * (`[default]` and `[profile default]`, `[profile dev]` and `[profile "dev"]`), the file is
 * refused instead: which one the user means is ambiguous.
 */

/** A section's settings by lower-cased name; no prototype, so any name is just a key. */
export type Settings = Readonly<Record<string, IniValue>>;

export interface Defined {
  settings: Settings;
  line: number;
}

export type FileProfiles =
  | {
      ok: true;
      profiles: Map<string, Defined>;
      ssoSessions: Map<string, Defined>;
      warnings: string[];
    }
  | { ok: false; problem: IniProblem };

/** Top-level sections the AWS CLI itself reads from the config file; not worth a warning. */
const AWS_CLI_SECTIONS = new Set(['plugins', 'preview']);

export function configFileProfiles(
  path: string,
  sections: readonly IniSection[],
  defaultsLine: number | null,
  /** Off only to compare with botocore, which lets the later section win. */
  refuseAmbiguous = true,
): FileProfiles {
  const profiles = new Map<string, Defined>();
  const ssoSessions = new Map<string, Defined>();
  const warnings = defaultsWarning(path, defaultsLine);
  for (const section of sections) {
    const where = `${path} line ${section.line}: ${quote(`[${section.name}]`)}`;
    let target: { kind: 'profile' | 'sso-session'; name: string } | null = null;
    if (section.name.startsWith('profile') || section.name.startsWith('sso-session')) {
      const kind = section.name.startsWith('profile') ? 'profile' : 'sso-session';
      const words = shlexSplit(section.name);
      if (words?.length === 2) target = { kind, name: words[1]! };
      else warnings.push(`${where} ${typedSectionProblem(kind, section.name, words)}.`);
    } else if (section.name === 'default') {
      target = { kind: 'profile', name: 'default' };
    } else if (!section.name.startsWith('services') && !AWS_CLI_SECTIONS.has(section.name)) {
      warnings.push(`${where} ${untypedSectionProblem(section.name)}.`);
    }
    if (!target) continue;
    const found = target.kind === 'profile' ? profiles : ssoSessions;
    const earlier = found.get(target.name);
    if (earlier && refuseAmbiguous) {
      return {
        ok: false,
        problem: {
          line: section.line,
          problem: `${quote(`[${section.name}]`)} is ${target.kind} ${quote(target.name)} again (its first section is on line ${earlier.line}); the AWS CLI silently uses only the later one`,
          fix: 'Merge the two sections into one',
          awsCliRefusesToo: false,
        },
      };
    }
    found.set(target.name, { settings: settingsOf(section), line: section.line });
  }
  return { ok: true, profiles, ssoSessions, warnings };
}

export function credentialsFileProfiles(
  path: string,
  sections: readonly IniSection[],
  defaultsLine: number | null,
): FileProfiles {
  const profiles = new Map<string, Defined>();
  const warnings = defaultsWarning(path, defaultsLine);
  for (const section of sections) {
    const { name } = section;
    const where = `${path} line ${section.line}: ${quote(`[${name}]`)}`;
    const typed = /^profile\s+(\S.*)$/.exec(name);
    if (typed) {
      warnings.push(
        `${where} is a profile named ${quote(name)}: the credentials file names profiles without the word profile. Write ${quote(`[${pythonStrip(typed[1]!)}]`)} there.`,
      );
    } else if (pythonStrip(name) !== name) {
      warnings.push(
        `${where} is a profile named ${quote(name)}, spaces included. Remove the spaces inside the brackets if they are not meant.`,
      );
    }
    profiles.set(name, { settings: settingsOf(section), line: section.line });
  }
  return { ok: true, profiles, ssoSessions: new Map(), warnings };
}

function defaultsWarning(path: string, line: number | null): string[] {
  return line === null
    ? []
    : [
        `${path} line ${line}: [DEFAULT] gives its settings to every other section of this file (so the AWS CLI reads it, and so does Rolecall); the default profile is written [default].`,
      ];
}

function typedSectionProblem(
  kind: 'profile' | 'sso-session',
  name: string,
  words: string[] | null,
): string {
  if (words === null) {
    return `is not read as a ${kind}: its name has an unclosed quote or ends with a backslash`;
  }
  if (words.length > 2) {
    return `is not read as a ${kind}: the AWS CLI splits the name at spaces. Write a name with spaces in quotes, [${kind} "${words.slice(1).join(' ')}"]`;
  }
  if (name === kind) return `names no ${kind}. Write [${kind} <name>]`;
  if (name.startsWith(`${kind}.`) && name.length > kind.length + 1) {
    return `is not read as a ${kind} by the AWS CLI. Write [${kind} ${name.slice(kind.length + 1)}]`;
  }
  return `is not read as a ${kind}. Write [${kind} <name>], with a space after ${kind}`;
}

function untypedSectionProblem(name: string): string {
  const words = pythonStrip(name);
  if (words.toLowerCase() === 'default') {
    return 'is not the default profile. Write it as [default]: lower case, no spaces inside the brackets';
  }
  if (/^(profile|sso-session)(\s|\.|$)/.test(words)) {
    return 'is not read: no spaces may come between `[` and the word that starts the section name';
  }
  if (words !== '' && !/\s/.test(words)) {
    return `is not a profile: in the config file, profiles are written [profile ${words}] (only [default] goes without the word profile)`;
  }
  return 'is not a profile: the config file holds [default], [profile <name>] and [sso-session <name>] sections';
}

function settingsOf(section: IniSection): Settings {
  const settings: Record<string, IniValue> = Object.create(null) as Record<string, IniValue>;
  for (const [name, option] of section.options) {
    Object.defineProperty(settings, name, { value: option.value, enumerable: true });
  }
  return settings;
}
