import { describe, expect, it } from 'vitest';
import { readIni } from './ini-reader';
import { configFileProfiles, credentialsFileProfiles, type FileProfiles } from './profile-map';

function ini(lines: string[]) {
  const result = readIni(new TextEncoder().encode(lines.join('\n')));
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  return result;
}
const config = (...lines: string[]) => {
  const { sections, defaultsLine } = ini(lines);
  return configFileProfiles('/cfg', sections, defaultsLine);
};
const credentials = (...lines: string[]) => {
  const { sections, defaultsLine } = ini(lines);
  return credentialsFileProfiles('/creds', sections, defaultsLine);
};

/** Profile (or sso-session) names with the line they start on. */
function names(result: FileProfiles, which: 'profiles' | 'ssoSessions' = 'profiles') {
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  return [...result[which]].map(([name, { line }]) => [name, line]);
}
const warnings = (result: FileProfiles) => (result.ok ? result.warnings : [result.problem]);

describe('configFileProfiles', () => {
  it('names profiles as botocore does: [default], and the second shell word after "profile"', () => {
    const result = config(
      '[default]',
      '[profile dev]',
      '[profile "quoted space"]',
      "[profile 'single']",
      '[profile a\\ b]',
      '[profile  café]',
      '[profile 日本]',
      '[profile ..]',
      '[profile org/team%41]',
      '[profile ""]',
      '[profiles loose]',
      '[plugins]',
      '[services local]',
    );
    expect(names(result)).toEqual([
      ['default', 1],
      ['dev', 2],
      ['quoted space', 3],
      ['single', 4],
      ['a b', 5],
      ['café', 6],
      ['日本', 7],
      ['..', 8],
      ['org/team%41', 9],
      ['', 10],
      ['loose', 11],
    ]);
    expect(warnings(result)).toEqual([]);
  });

  it('reads sso-session sections the same way', () => {
    const result = config('[sso-session corp]', '[sso-session "two words"]', '[sso-session]');
    expect(names(result, 'ssoSessions')).toEqual([
      ['corp', 1],
      ['two words', 2],
    ]);
    expect(warnings(result)).toEqual([
      '/cfg line 3: `[sso-session]` names no sso-session. Write [sso-session <name>].',
    ]);
  });

  it('says why a section that looks like a profile is not one', () => {
    const result = config(
      '[profile with space]',
      '[profile]',
      '[profile.dev]',
      '[profilex]',
      "[profile 'open]",
      '[dev]',
      '[ default ]',
      '[Default]',
      '[ profile x]',
      '[thing one]',
    );
    expect(names(result)).toEqual([]);
    expect(warnings(result)).toEqual([
      '/cfg line 1: `[profile with space]` is not read as a profile: the AWS CLI splits the name at spaces. Write a name with spaces in quotes, [profile "with space"].',
      '/cfg line 2: `[profile]` names no profile. Write [profile <name>].',
      '/cfg line 3: `[profile.dev]` is not read as a profile by the AWS CLI. Write [profile dev].',
      '/cfg line 4: `[profilex]` is not read as a profile. Write [profile <name>], with a space after profile.',
      "/cfg line 5: `[profile 'open]` is not read as a profile: its name has an unclosed quote or ends with a backslash.",
      '/cfg line 6: `[dev]` is not a profile: in the config file, profiles are written [profile dev] (only [default] goes without the word profile).',
      '/cfg line 7: `[ default ]` is not the default profile. Write it as [default]: lower case, no spaces inside the brackets.',
      '/cfg line 8: `[Default]` is not the default profile. Write it as [default]: lower case, no spaces inside the brackets.',
      '/cfg line 9: `[ profile x]` is not read: no spaces may come between `[` and the word that starts the section name.',
      '/cfg line 10: `[thing one]` is not a profile: the config file holds [default], [profile <name>] and [sso-session <name>] sections.',
    ]);
  });

  it('says that [DEFAULT] gives its settings to every section', () => {
    expect(warnings(config('[DEFAULT]', 'region = x', '[profile a]'))).toEqual([
      '/cfg line 1: [DEFAULT] gives its settings to every other section of this file (so the AWS CLI reads it, and so does Rolecall); the default profile is written [default].',
    ]);
  });

  it.each([
    [['[default]', 'region = a', '[profile default]', 'region = b'], 3, 'profile `default`', 1],
    [['[profile dev]', '[profile x]', '[profile "dev"]'], 3, 'profile `dev`', 1],
    [['[profile dev]', '[profiles dev]'], 2, 'profile `dev`', 1],
    [['[sso-session corp]', "[sso-session 'corp']"], 2, 'sso-session `corp`', 1],
  ])(
    'refuses two sections of one profile, which botocore silently reduces to the later: %j',
    (lines, line, what, first) => {
      const result = config(...lines);
      expect(result).toEqual({
        ok: false,
        problem: {
          line,
          problem: expect.stringContaining(
            `is ${what} again (its first section is on line ${first}); the AWS CLI silently uses only the later one`,
          ) as string,
          fix: 'Merge the two sections into one',
          awsCliRefusesToo: false,
        },
      });
    },
  );

  it('keeps the settings, with [DEFAULT] ones and sub-settings, without a prototype', () => {
    const result = config(
      '[DEFAULT]',
      'output = json',
      '[profile dev]',
      'Region = eu-west-1',
      's3 =',
      '  max_concurrent_requests = 10',
      'constructor = x',
      '__proto__ = y',
    );
    if (!result.ok) throw new Error('refused');
    const settings = result.profiles.get('dev')!.settings;
    expect(Object.getPrototypeOf(settings)).toBeNull();
    expect({ ...settings }).toEqual({
      region: 'eu-west-1',
      s3: new Map([['max_concurrent_requests', '10']]),
      constructor: 'x',
      ['__proto__']: 'y',
      output: 'json',
    });
  });
});

describe('credentialsFileProfiles', () => {
  it('takes every section name as it stands', () => {
    const result = credentials('[default]', '[with space]', '[café]', '[..]', '[a/b%]', '[DEV]');
    expect(names(result)).toEqual([
      ['default', 1],
      ['with space', 2],
      ['café', 3],
      ['..', 4],
      ['a/b%', 5],
      ['DEV', 6],
    ]);
    expect(warnings(result)).toEqual([]);
  });

  it('warns where a name is probably not what was meant', () => {
    const result = credentials('[profile dev]', '[ padded ]');
    expect(names(result)).toEqual([
      ['profile dev', 1],
      [' padded ', 2],
    ]);
    expect(warnings(result)).toEqual([
      '/creds line 1: `[profile dev]` is a profile named `profile dev`: the credentials file names profiles without the word profile. Write `[dev]` there.',
      '/creds line 2: `[ padded ]` is a profile named ` padded `, spaces included. Remove the spaces inside the brackets if they are not meant.',
    ]);
  });
});
