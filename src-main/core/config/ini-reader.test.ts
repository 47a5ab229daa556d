import { describe, expect, it } from 'vitest';
import { quote, readIni, type IniReadResult } from './ini-reader';

const read = (text: string, options?: { refuseAmbiguous?: boolean }) =>
  readIni(new TextEncoder().encode(text), options);

/** Sections as [name, line, {setting: [value, line]}] for short assertions. */
function sections(result: IniReadResult) {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problem)}`);
  return result.sections.map((section) => [
    section.name,
    section.line,
    Object.fromEntries(
      [...section.options].map(([name, option]) => [
        name,
        [
          typeof option.value === 'string' ? option.value : Object.fromEntries(option.value),
          option.line,
        ],
      ]),
    ),
  ]);
}

function problem(result: IniReadResult) {
  if (result.ok) throw new Error(`read: ${JSON.stringify(sections(result))}`);
  return result.problem;
}

describe('readIni reads what the AWS CLI reads', () => {
  it('takes `=` or `:`, lower-cases setting names and keeps everything after the delimiter', () => {
    expect(
      sections(
        read(
          [
            '[profile dev]',
            'Region: eu-west-1',
            'credential_process = echo hi # comment',
            'CREDENTIAL_SOURCE=Environment ; not a comment either',
            'url = https://x:8080/a=b',
          ].join('\n'),
        ),
      ),
    ).toEqual([
      [
        'profile dev',
        1,
        {
          region: ['eu-west-1', 2],
          credential_process: ['echo hi # comment', 3],
          credential_source: ['Environment ; not a comment either', 4],
          url: ['https://x:8080/a=b', 5],
        },
      ],
    ]);
  });

  it('skips whole-line comments and blank lines, and ignores a comment after a header', () => {
    expect(
      sections(
        read(
          ['# top', '', '[a] # about a', '  ; indented comment', 'x = 1', '', '[b] ; about b'].join(
            '\n',
          ),
        ),
      ),
    ).toEqual([
      ['a', 3, { x: ['1', 5] }],
      ['b', 7, {}],
    ]);
  });

  it('continues a value on indented lines, keeping blank lines inside and dropping comments', () => {
    expect(
      sections(
        read(['[a]', 'x = one', '  two', '', '  # not kept', '\tthree', '', 'y = 2'].join('\n')),
      ),
    ).toEqual([['a', 1, { x: ['one\ntwo\n\nthree', 2], y: ['2', 8] }]]);
  });

  it('reads a value that starts on the next line as sub-settings, as botocore does', () => {
    expect(
      sections(
        read(
          [
            '[a]',
            's3 =',
            '  max_concurrent_requests = 10',
            '  Addressing_Style=path',
            '  k = 1',
            '  k = 2',
          ].join('\n'),
        ),
      ),
    ).toEqual([
      ['a', 1, { s3: [{ max_concurrent_requests: '10', Addressing_Style: 'path', k: '2' }, 2] }],
    ]);
  });

  it('gives [DEFAULT] settings to every section that lacks them', () => {
    const result = read(
      [
        '[DEFAULT]',
        'region = r',
        'output = json',
        '[a]',
        'region = own',
        '[b]',
        '[DEFAULT]',
        'extra = e',
      ].join('\n'),
    );
    expect(sections(result)).toEqual([
      ['a', 4, { region: ['own', 5], output: ['json', 3], extra: ['e', 8] }],
      ['b', 6, { region: ['r', 2], output: ['json', 3], extra: ['e', 8] }],
    ]);
    expect(result).toMatchObject({
      defaultsLine: 1,
      defaults: new Map([
        ['region', 2],
        ['output', 3],
        ['extra', 8],
      ]),
    });
  });

  it('breaks lines where Python does: \\r\\n, a lone \\r, \\n', () => {
    expect(sections(read('[a]\r\nx = 1\r[b]\ry = 2\n'))).toEqual([
      ['a', 1, { x: ['1', 2] }],
      ['b', 3, { y: ['2', 4] }],
    ]);
  });

  it("strips Python's whitespace, which is not JavaScript's", () => {
    // U+001C and U+0085 are whitespace to Python (so the third line is indented, and continues
    // x); a byte-order mark in the middle is not.
    expect(sections(read('[a]\nx = \x1cv\x85\n\x1c y = 2\n'))).toEqual([
      ['a', 1, { x: ['v\ny = 2', 2] }],
    ]);
    expect(problem(read('[a]\n\ufeffx\n')).line).toBe(2);
  });

  it('reads indented headers as headers where no setting is open above them', () => {
    expect(sections(read(['  [a]', '  x = 1', '[b]', '\t[c]'].join('\n')))).toEqual([
      ['a', 1, { x: ['1', 2] }],
      ['b', 3, {}],
      ['c', 4, {}],
    ]);
  });

  it('keeps [DEFAULT] open to a second header, but not its settings to a second setting', () => {
    expect(read('[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n').ok).toBe(true);
    expect(problem(read('[DEFAULT]\na = 1\n[DEFAULT]\nA = 2\n')).line).toBe(4);
  });
});

describe('readIni refuses, naming the line', () => {
  it.each([
    [
      'a header without its `]`',
      '[profile slow]\ncredential_process = a\n[profile broken\ncredential_process = b\n',
      3,
      '`[profile broken` is not a section header (it has no closing `]`)',
      true,
    ],
    [
      'a setting before any header',
      '# creds\nregion = x\n[a]\n',
      2,
      'a setting comes before the first section header',
      true,
    ],
    [
      'a line that is nothing',
      '[a]\nx = 1\nAKIAEXAMPLE\n',
      3,
      'the line is not a section header, a setting (`name = value`), a comment or an indented continuation of the value above',
      true,
    ],
    ['a setting without a name', '[a]\n = 1\n', 2, 'a setting has no name before its `=`', true],
    [
      'a repeated section',
      '[a]\nx = 1\n[b]\n[a]\n',
      4,
      '`[a]` appears a second time (first on line 1)',
      true,
    ],
    [
      'a setting repeated in its section, in any case',
      '[a]\nregion = 1\n\nRegion = 2\n',
      4,
      '`region` is set a second time in `[a]` (first on line 2; setting names ignore case)',
      true,
    ],
    [
      'a sub-setting without `=`',
      '[a]\ns3 =\n  k = v\n  nope\n',
      4,
      'an indented line under a setting with an empty value is not a `name = value` sub-setting',
      true,
    ],
    [
      'a byte-order mark',
      '\ufeff[a]\n',
      1,
      'the file starts with a byte-order mark (as some Windows editors save UTF-8)',
      true,
    ],
    [
      'a header-like line the AWS CLI reads as a setting of the section above',
      '[a]\nx = 1\n[profile b = 2\ny = 3\n',
      3,
      "`[profile b` is not a section header (it has no closing `]`); the AWS CLI reads the line as a setting of `[a]` above it, and the settings below it as that section's too",
      false,
    ],
    [
      'an indented header under a setting, which the AWS CLI reads as more of its value',
      '[profile a]\ncredential_process = A\n  [profile b]\n  credential_process = B\n',
      3,
      '`[profile b]` is indented, so the AWS CLI reads it as more of the value of `credential_process` (line 2), not as a section header',
      false,
    ],
    [
      'a `]` inside a header, which moves where the AWS CLI ends the name',
      '[a]\n[profile b] # see [1]\n',
      2,
      '`[profile b] # see [1]` has a `]` inside its name, so the AWS CLI reads the section name as `profile b] # see [1`',
      false,
    ],
    [
      'text after a header, which the AWS CLI ignores',
      '[a]\n\n[profile b] region = x\n',
      3,
      '`[profile b]` has text after its closing `]`, which the AWS CLI ignores',
      false,
    ],
  ])('%s', (_case, text, line, message, awsCliRefusesToo) => {
    expect(problem(read(text))).toMatchObject({ line, problem: message, awsCliRefusesToo });
  });

  it('names the line of a byte that is not UTF-8', () => {
    const bytes = Uint8Array.from([
      ...new TextEncoder().encode('[a]\r\nx = 1\ry = caf'),
      0xe9,
      ...new TextEncoder().encode('\n'),
    ]);
    expect(readIni(bytes)).toEqual({
      ok: false,
      problem: {
        line: 3,
        problem: 'it has a byte that is not UTF-8 text (0xE9)',
        fix: 'Save the file as UTF-8',
        awsCliRefusesToo: true,
      },
    });
  });

  it('never quotes what follows an `=`, where a secret may be', () => {
    const result = read('[a]\n[b aws_secret_access_key = wJalrXUtnFEMI\n');
    expect(JSON.stringify(result)).not.toContain('wJalrXUtnFEMI');
    expect(problem(result).line).toBe(2);
  });

  it('makes control characters visible in what it quotes', () => {
    expect(problem(read('[a]\n[x\u001b[2J\n')).problem).toContain('`[x\\u001b[2J`');
  });

  it('reads ambiguous lines as the AWS CLI does when told to, for comparing with it', () => {
    const allow = { refuseAmbiguous: false };
    expect(sections(read('[a]\nx = 1\n[b = 2\n', allow))).toEqual([
      ['a', 1, { x: ['1', 2], '[b': ['2', 3] }],
    ]);
    expect(sections(read('[a]\nx = 1\n  [b]\n', allow))).toEqual([['a', 1, { x: ['1\n[b]', 2] }]]);
    expect(sections(read('[a] # see [1]\n[b] junk\n', allow))).toEqual([
      ['a] # see [1', 1, {}],
      ['b', 2, {}],
    ]);
    // What the AWS CLI refuses stays refused.
    expect(read('[a]\n[b\n', allow).ok).toBe(false);
  });
});

describe('quote', () => {
  it('shows every control and line-separator character as an escape, so a sentence stays one line', () => {
    expect(quote('a\tb\nc')).toBe('`a\\tb\\nc`');
    expect(quote('[profile \u2028\u2029\u0085\u007f]')).toBe(
      '`[profile \\u2028\\u2029\\u0085\\u007f]`',
    );
  });
});
