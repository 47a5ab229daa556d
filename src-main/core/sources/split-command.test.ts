import { describe, expect, it } from 'vitest';
import { splitCommand, UNQUOTED_HASH } from './split-command';

const posix = (command: string) => splitCommand(command, 'linux', '/home/me');
const windows = (command: string) => splitCommand(command, 'win32', 'C:\\Users\\me');
const argv = (argv: string[]) => ({ ok: true, argv });

describe('splitCommand on POSIX (shlex rules)', () => {
  it('splits on whitespace and groups quoted words, like shlex.split', () => {
    expect(posix('/usr/bin/get-creds --profile dev')).toEqual(
      argv(['/usr/bin/get-creds', '--profile', 'dev']),
    );
    expect(posix(`"/opt/my tools/creds" 'two words' three\\ words "a\\"b" ''`)).toEqual(
      argv(['/opt/my tools/creds', 'two words', 'three words', 'a"b', '']),
    );
    expect(posix('  aws-vault   export\t--format=json  dev ')).toEqual(
      argv(['aws-vault', 'export', '--format=json', 'dev']),
    );
  });

  it('keeps $VARIABLES literal, as botocore does (no shell expands them)', () => {
    expect(posix(`creds $HOME "$USER" '$LITERAL' \${BRACED}`)).toEqual(
      argv(['creds', '$HOME', '$USER', '$LITERAL', '$BRACED']),
    );
  });

  it('expands a leading ~/ in the program only', () => {
    expect(posix('~/bin/creds ~/config ~other/x')).toEqual(
      argv(['/home/me/bin/creds', '~/config', '~other/x']),
    );
    expect(posix('~user/bin/creds')).toEqual(argv(['~user/bin/creds']));
  });

  it('refuses shell syntax, saying which', () => {
    const problems = [
      'creds | jq .',
      'creds && echo done',
      'creds; rm -rf /',
      'creds > /tmp/out',
      'creds 2>&1',
      'creds &',
      'creds $(whoami)',
      'creds *.json',
      'creds ?',
      'creds --url https://x/#/start',
      'creds --flag # note',
      'creds ${}',
      '',
      '   ',
      '""',
    ].map((command) => {
      const result = posix(command);
      return result.ok ? result.argv : result.problem;
    });
    expect(problems).toEqual([
      'it has the shell operator "|"',
      'it has the shell operator "&&"',
      'it has the shell operator ";"',
      'it has the shell operator ">"',
      'it has the shell operator ">&"',
      'it has the shell operator "&"',
      'it has the shell operator "("',
      'it has the wildcard "*.json"',
      'it has the wildcard "?"',
      UNQUOTED_HASH,
      UNQUOTED_HASH,
      expect.stringMatching(/^it can't be split into arguments \(.+\)$/),
      'it is empty',
      'it is empty',
      'it is empty',
    ]);
  });

  it('passes quoted operators and globs along as plain text', () => {
    expect(posix(`creds "a|b" 'x > y' "*.json" '#tag' a\\;b`)).toEqual(
      argv(['creds', 'a|b', 'x > y', '*.json', '#tag', 'a;b']),
    );
  });
});

describe('splitCommand on Windows (C runtime rules)', () => {
  it('keeps backslashes in paths', () => {
    expect(windows('C:\\tools\\creds.exe --profile dev')).toEqual(
      argv(['C:\\tools\\creds.exe', '--profile', 'dev']),
    );
    expect(windows('"C:\\Program Files\\Creds\\creds.exe" "two words" \\\\server\\share')).toEqual(
      argv(['C:\\Program Files\\Creds\\creds.exe', 'two words', '\\\\server\\share']),
    );
  });

  it('treats backslashes before a quote as escapes, and single quotes as text', () => {
    expect(windows('a \\"b\\" "c\\\\" d\\\\\\"e \'f g\' ""')).toEqual(
      argv(['a', '"b"', 'c\\', 'd\\"e', "'f", "g'", '']),
    );
    expect(windows('a"b c"d trailing\\')).toEqual(argv(['ab cd', 'trailing\\']));
  });

  it('expands ~\\ and ~/ in the program', () => {
    expect(windows('~\\bin\\creds.exe')).toEqual(argv(['C:\\Users\\me\\bin\\creds.exe']));
    expect(windows('~/bin/creds.exe')).toEqual(argv(['C:\\Users\\me\\bin\\creds.exe']));
  });

  it('refuses unquoted operators but not quoted ones', () => {
    expect(windows('creds | more')).toEqual({
      ok: false,
      problem: 'it has the shell operator "|"',
    });
    expect(windows('creds a&b')).toEqual({ ok: false, problem: 'it has the shell operator "&"' });
    expect(windows('creds "a|b" "x > y"')).toEqual(argv(['creds', 'a|b', 'x > y']));
    expect(windows('')).toEqual({ ok: false, problem: 'it is empty' });
  });
});
