import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Botocore, botocoreUnavailable, type BotocoreAnswer } from '../../../test/helpers/botocore';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from '../../../test/helpers/fuzz';
import { readAwsProfiles, type AwsFile, type AwsFileKind } from './aws-file';

/**
 * Rolecall's reader of the AWS files against the AWS CLI's own (botocore, in Python), on
 * generated pairs of files full of the things ini readers disagree on: headers with and without
 * their `]`, with quotes, spaces, text after them; `[DEFAULT]`; `:` and `=`; setting names in
 * any case, repeated; comments after values; indented continuation lines and sub-setting
 * blocks; Python's own whitespace (a vertical tab, U+001C, U+0085, U+3000…) and line breaks
 * (a lone `\r`); byte-order marks and bytes that are not UTF-8.
 *
 * Read the AWS CLI's way (ambiguous lines allowed), Rolecall's profile map — every profile and
 * sso-session, each setting and its value — must equal botocore's, or both must refuse. Read as
 * Rolecall reads them, the map is the same, or Rolecall refuses a file the AWS CLI would read
 * only where it says so (`awsCliRefusesToo: false`); a refusal that says the AWS CLI refuses the
 * file too is held to that.
 */

/** Cases per run; docs/security.md quotes it. One Python process answers all of them. */
const RUNS = 400;

const unavailable = botocoreUnavailable();

const NAMES = ['dev', 'prod', 'default', 'a.b', 'team/dev', '..', '%41', 'café', '日本', 'x'];
const KEYS = [
  'region',
  'region',
  'Region',
  'REGION',
  'credential_process',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'aws_access_key_id',
  's3',
  'x',
  'É',
  'Σ',
  'a b',
];
/** Whitespace to Python; some of it (\x0b, \x1c, \x85, \u3000) not to JavaScript's trim(). */
const SPACE = ['', ' ', '  ', '\t', '\x0b', '\x0c', '\x1c', '\x1f', '\x85', '\u00a0', '\u3000'];

const space = fc.constantFrom(...SPACE);
const smallText = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.stringMatching(/^[a-z0-9 ._\-/@%:"'\\#;=[\]]{0,10}$/),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

const sectionName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 2, arbitrary: smallText },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'with space',
      '"quoted space"',
      "'single'",
      '"unclosed',
      'a\\ b',
      'a\\',
      '""',
      '#x',
      'x]',
      'a=b',
      'a:b',
      '"a"b',
    ),
  },
);

/** Mostly headers both readers take; now and then one they read differently, or not at all. */
const header = fc.oneof(
  {
    weight: 16,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', '', '', '', '', '', '', ' ', '\t'),
        fc.constantFrom('profile ', 'profile ', 'profile  ', 'sso-session ', ''),
        sectionName,
        fc.constantFrom('', '', ' # note', ' ; note', '  '),
      )
      .map(([indent, type, name, tail]) => `${indent}[${type}${name}]${tail}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('[default]', '[DEFAULT]', '[ default ]', '[Default]') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('profile ', 'profile', 'profile.', 'profiles ', 'services ', ''),
        sectionName,
        fc.constantFrom('', ']]', '] x]', '] junk', '] = 1', ' = 1', ': x'),
      )
      .map(([type, name, tail]) => `[${type}${name}${tail}`),
  },
);

const value = fc.oneof(
  fc.constantFrom('', 'us-east-1', 'echo hi # comment', 'a=b', 'v ; x', 'k = v', 'x:y'),
  smallText,
);

const setting = fc
  .tuple(
    fc.constantFrom('', '', '', '', '', ' ', '\x0b'),
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...KEYS) },
      { weight: 1, arbitrary: smallText },
    ),
    space,
    fc.constantFrom('=', '=', '=', ':', '=='),
    space,
    value,
  )
  .map(
    ([indent, key, before, delimiter, after, text]) =>
      `${indent}${key}${before}${delimiter}${after}${text}`,
  );

/** Lines indented under a setting: more of its value, or `name = value` sub-settings. */
const continuation = fc
  .tuple(
    fc.constantFrom('  ', '    ', '\t', '\x0c', '\u3000'),
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('k = v', 'max_concurrent_requests = 10', 'K=V') },
      { weight: 3, arbitrary: value },
      { weight: 1, arbitrary: fc.constantFrom('# not a comment here', '[profile x]', '[x') },
    ),
  )
  .map(([indent, text]) => `${indent}${text}`);

const other = fc.constantFrom('', '', '  ', '# comment', '; comment', '  # indented');
/** Lines that are nothing to configparser. */
const garbage = fc.constantFrom('garbage', '[profile broken', '=x');

/** A setting, sometimes with its value starting on the next line, or continued there. */
const entry = fc.oneof(
  { weight: 30, arbitrary: setting.map((text) => [text]) },
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...KEYS),
        fc.constantFrom(' =', '=', ' = '),
        fc.array(continuation, { minLength: 1, maxLength: 3 }),
      )
      .map(([key, equals, lines]) => [`${key}${equals}`, ...lines]),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(setting, fc.array(continuation, { minLength: 1, maxLength: 2 }))
      .map(([first, lines]) => [first, ...lines]),
  },
  { weight: 10, arbitrary: other.map((text) => [text]) },
  { weight: 1, arbitrary: garbage.map((text) => [text]) },
);

const section = fc
  .tuple(header, fc.array(entry, { maxLength: 4 }))
  .map(([head, entries]) => [head, ...entries.flat()]);

const lineEnding = fc.constantFrom('\n', '\n', '\n', '\n', '\r\n', '\r');

const lines = fc
  .tuple(fc.array(other, { maxLength: 1 }), fc.array(section, { maxLength: 4 }))
  .chain(([before, sections]) => {
    const all = [...before, ...sections.flat()];
    return fc.tuple(
      fc.constant(all),
      fc.array(lineEnding, { minLength: all.length, maxLength: all.length }),
    );
  })
  .map(([all, endings]) => all.map((text, index) => text + endings[index]!).join(''));

/** A file: sections of settings, rarely a byte-order mark or a byte that is not UTF-8. */
const file: fc.Arbitrary<Uint8Array | null> = fc.oneof(
  { weight: 40, arbitrary: lines.map((text) => new TextEncoder().encode(text)) },
  { weight: 1, arbitrary: lines.map((text) => new TextEncoder().encode(`\ufeff${text}`)) },
  {
    weight: 1,
    arbitrary: fc.tuple(lines, fc.constantFrom(0xff, 0xc3, 0x80, 0xed)).map(([text, bad]) => {
      const bytes = new TextEncoder().encode(text);
      const middle = bytes.length >> 1;
      return Uint8Array.from([...bytes.subarray(0, middle), bad, ...bytes.subarray(middle)]);
    }),
  },
  { weight: 4, arbitrary: fc.constant(null) },
);

type Settings = Record<string, string | Record<string, string>>;
type Outcome =
  | { ok: true; profiles: Record<string, Settings>; ssoSessions: Record<string, Settings> }
  | { ok: false; awsCliRefusesToo: boolean[]; refusals: string[] };

/** Rolecall's reading of the pair, merged as a botocore Session merges them. */
function rolecall(
  config: Uint8Array | null,
  credentials: Uint8Array | null,
  refuseAmbiguous: boolean,
): Outcome {
  const read = (which: AwsFileKind, bytes: Uint8Array | null): AwsFile =>
    readAwsProfiles(
      which,
      `/aws/${which}`,
      bytes === null ? { state: 'missing' } : { state: 'read', bytes },
      { refuseAmbiguous },
    );
  const files = [read('config', config), read('credentials', credentials)];
  const refused = files.flatMap((one) => (one.state === 'refused' ? [one] : []));
  if (refused.length > 0) {
    return {
      ok: false,
      awsCliRefusesToo: refused.map((one) => one.awsCliRefusesToo),
      refusals: refused.map((one) => one.refusal),
    };
  }
  const [fromConfig, fromCredentials] = files as Array<Extract<AwsFile, { state: 'read' }>>;
  const profiles: Record<string, Settings> = {};
  for (const source of [fromConfig!, fromCredentials!]) {
    for (const [name, { settings }] of source.profiles) {
      profiles[name] = { ...profiles[name], ...plain(settings) };
    }
  }
  const ssoSessions: Record<string, Settings> = {};
  for (const [name, { settings }] of fromConfig!.ssoSessions) ssoSessions[name] = plain(settings);
  return { ok: true, profiles, ssoSessions };
}

function plain(settings: Readonly<Record<string, string | ReadonlyMap<string, string>>>): Settings {
  const out: Settings = {};
  for (const [key, value] of Object.entries(settings)) {
    out[key] = typeof value === 'string' ? value : Object.fromEntries(value);
  }
  return out;
}

/** Order-free, so Python's dict order and ours need not agree. */
function canonical(map: Record<string, Settings>): string {
  const sorted = Object.entries(map)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, settings]) => [
      name,
      Object.entries(settings)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) =>
          typeof value === 'string'
            ? [key, value]
            : [key, Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))],
        ),
    ]);
  return JSON.stringify(sorted);
}

function expectSameMap(ours: Extract<Outcome, { ok: true }>, theirs: BotocoreAnswer): void {
  expect(theirs.ok, `botocore refused what Rolecall read: ${JSON.stringify(theirs)}`).toBe(true);
  if (!theirs.ok) return;
  expect(canonical(ours.profiles)).toBe(canonical(theirs.profiles));
  expect(canonical(ours.ssoSessions)).toBe(canonical(theirs.ssoSessions));
}

describe.skipIf(unavailable !== null)('the AWS files, read by Rolecall and by botocore', () => {
  let botocore: Botocore;
  beforeAll(() => {
    botocore = Botocore.start();
  });
  afterAll(() => botocore?.stop());

  it(
    'give the same profiles and settings, or both refuse',
    async () => {
      let runs = 0;
      let bothRead = 0;
      await fc.assert(
        fc.asyncProperty(file, file, async (config, credentials) => {
          runs += 1;
          const theirs = await botocore.read(config, credentials);
          const exact = rolecall(config, credentials, false);
          if (!exact.ok) {
            expect(theirs.ok, `Rolecall refused, botocore read: ${exact.refusals.join(' ')}`).toBe(
              false,
            );
            // Read the AWS CLI's way, Rolecall refuses only what the AWS CLI refuses.
            expect(exact.awsCliRefusesToo).not.toContain(false);
            expect(rolecall(config, credentials, true).ok).toBe(false);
            return;
          }
          expectSameMap(exact, theirs);
          const strict = rolecall(config, credentials, true);
          if (strict.ok) {
            bothRead += 1;
            expect(canonical(strict.profiles)).toBe(canonical(exact.profiles));
            expect(canonical(strict.ssoSessions)).toBe(canonical(exact.ssoSessions));
          } else {
            // An ambiguous file the AWS CLI reads: Rolecall must not claim the AWS CLI refuses it.
            expect(strict.awsCliRefusesToo).not.toContain(true);
          }
        }),
        fuzzParameters(RUNS),
      );
      // The generator must reach files both read, or the comparison above says little.
      expect(bothRead).toBeGreaterThan(runs / 10);
    },
    FUZZ_TIMEOUT_MS,
  );
});

// Said where every run shows it, not only in a verbose report (the block above is skipped).
if (unavailable !== null)
  console.warn(`Rolecall's reader is not compared with botocore: ${unavailable}.`);
