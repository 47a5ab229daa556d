import { describe, expect, it } from 'vitest';
import { sectionWarnings } from './section-warnings';

const config = (...lines: string[]) => sectionWarnings('config', '/cfg', lines.join('\r\n'));
const credentials = (...lines: string[]) =>
  sectionWarnings('credentials', '/creds', lines.join('\n'));

describe('sectionWarnings', () => {
  it('accepts every header the SDK reads', () => {
    expect(
      config(
        '[default]',
        '[profile dev]',
        "[profile 'quoted.name']",
        '[profile "org/team@x:y+z%"]',
        '[profile.dotted]',
        '[sso-session corp]',
        '[services local]',
        '  [profile indented]  ; trailing comment',
        '# [profile commented-out]',
        'key = [not a header]',
      ),
    ).toEqual({ refused: false, warnings: [] });
  });

  it('explains each header the SDK skips in the config file', () => {
    expect(
      config('[ default ]', '[dev]', '[profile]', '[thing one]', '[sso-session ü]').warnings,
    ).toEqual([
      '[ default ] in /cfg is skipped: write it as [default], with no spaces inside the brackets.',
      '[dev] in /cfg is skipped: in the config file, profile sections are written [profile dev] (only [default] goes without the word profile).',
      '[profile] in /cfg is skipped: in the config file, profile sections are written [profile profile] (only [default] goes without the word profile).',
      '[thing one] in /cfg is skipped: the AWS SDK does not know "thing" sections. Profiles are written [profile <name>].',
      '[sso-session ü] in /cfg is skipped: the AWS SDK reads only [sso-session <name>] with one space and a name made of letters, digits and - _ @ + . % : /.',
    ]);
  });

  it('explains that [profile.], [sso-session.] and [services.] name nothing', () => {
    expect(config('[profile.]', '[ sso-session. ]', '[services.]').warnings).toEqual([
      '[profile.] in /cfg is skipped: it names no profile. Write [profile <name>].',
      '[ sso-session. ] in /cfg is skipped: it names no sso-session. Write [sso-session <name>].',
      '[services.] in /cfg is skipped: it names no services. Write [services <name>].',
    ]);
  });

  it('warns about profile names that clash with sso-session and services sections', () => {
    expect(config('[profile services.x]').warnings).toEqual([
      '[profile services.x] in /cfg is skipped: the AWS SDK reads profile names starting with "services." as a different kind of section. Rename the profile.',
    ]);
  });

  it('takes credentials-file headers as written, except the word profile', () => {
    expect(credentials('[default]', '[dev]', '[ünïcode]', '[two  spaces]')).toEqual({
      refused: false,
      warnings: [],
    });
    expect(credentials('[profile dev]').warnings).toEqual([
      '[profile dev] in /creds is read as a profile named "profile.dev": the credentials file names profiles without the word profile. Write [dev] there.',
    ]);
  });

  it('explains that a credentials-file name with one space is dropped by the SDK', () => {
    expect(credentials('[with space]', '[team dev-account]').warnings).toEqual([
      '[with space] in /creds is skipped: the AWS SDK reads a section name with one space in it as "<kind> <name>", and knows no "with" sections. Profile names in the credentials file cannot contain a space.',
      '[team dev-account] in /creds is skipped: the AWS SDK reads a section name with one space in it as "<kind> <name>", and knows no "team" sections. Profile names in the credentials file cannot contain a space.',
    ]);
  });

  it('refuses a file with a section named after a JavaScript built-in, in either file', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__defineSetter__']) {
      expect(credentials('[ok]', `[${name}]`)).toEqual({
        refused: true,
        warnings: [
          `Rolecall does not read /creds because it has a [${name}] section, a name the AWS SDK cannot read safely, so none of its profiles are listed. Rename or remove that section.`,
        ],
      });
      expect(config(`  [${name}] ; comment`).refused).toBe(true);
    }
    expect(config('[profile constructor]', '[ constructor ]', '# [toString]').refused).toBe(false);
  });

  it('refuses a file where a lone carriage return joins a header to other lines, without quoting them', () => {
    const report = sectionWarnings(
      'credentials',
      '/creds',
      '[dev]\raws_secret_access_key = do-not-show\r[x]\nregion = y\n',
    );
    expect(report).toEqual({
      refused: true,
      warnings: [
        'Rolecall does not read /creds because it has line breaks the AWS SDK does not see (a carriage return without a newline, as old Mac editors save) around a section header, so none of its profiles are listed. Save it with LF or CRLF line endings.',
      ],
    });
    expect(config('[default]', 'credential_process = a\rb').refused).toBe(false);
  });

  it('reports a file the SDK refuses as a whole', () => {
    expect(credentials('[ok]', '[__proto__]', '[dev]')).toEqual({
      refused: true,
      warnings: [
        'The AWS SDK refuses to read /creds because it has a [__proto__] section, so none of its profiles are listed. Rename or remove that section.',
      ],
    });
  });
});
