import { describe, expect, it } from 'vitest';
import { sdkUnsafeSection } from './sdk-unsafe-sections';

const config = (...lines: string[]) => sdkUnsafeSection('config', lines.join('\r\n'));
const credentials = (...lines: string[]) => sdkUnsafeSection('credentials', lines.join('\n'));

describe('sdkUnsafeSection', () => {
  it('lets through every ordinary header, and names that only look like built-ins', () => {
    expect(
      config(
        '[default]',
        '[profile dev]',
        "[profile 'quoted.name']",
        '[sso-session constructor]',
        '[services toString]',
        '# [constructor]',
        'key = [constructor]',
        '[ constructor ]',
      ),
    ).toBeNull();
    expect(credentials('[dev]', '[profile constructor]', '[Constructor]')).toBeNull();
  });

  it('refuses a section named after a JavaScript built-in, in either file, naming the line', () => {
    for (const name of [
      'constructor',
      'toString',
      'hasOwnProperty',
      '__defineSetter__',
      '__proto__',
    ]) {
      expect(credentials('[ok]', 'x = 1', `[${name}]`)).toEqual({
        line: 3,
        problem: `\`[${name}]\` is a section the AWS SDK inside Rolecall cannot read safely (it is named after a JavaScript built-in)`,
        fix: 'Rename or remove that section',
        awsCliRefusesToo: false,
      });
      expect(config(`  [${name}] ; comment`)?.line).toBe(1);
    }
  });

  it('refuses [profile <built-in>] in the config file, where the SDK merges profiles by name', () => {
    expect(config('[default]', '[profile constructor]')?.line).toBe(2);
    expect(config('[profile "toString"]')?.line).toBe(1);
    expect(credentials('[profile __proto__]')?.line).toBe(1);
  });

  it('refuses a lone carriage return that joins a header to other lines, without quoting them', () => {
    const problem = sdkUnsafeSection(
      'credentials',
      '[x]\nregion = y\n[dev]\raws_secret_access_key = do-not-show\r[x]\n',
    );
    expect(problem).toEqual({
      line: 3,
      problem:
        'a carriage return without a newline (as old Mac editors save) ends a line here for the AWS CLI but not for the AWS SDK inside Rolecall, which would read several lines as one section header',
      fix: 'Save the file with LF or CRLF line endings',
      awsCliRefusesToo: false,
    });
    expect(config('[default]', 'credential_process = a\rb')).toBeNull();
  });
});
