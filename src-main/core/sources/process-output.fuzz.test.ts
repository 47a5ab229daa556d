import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from '../../../test/helpers/fuzz';
import type { AwsCredentials } from '../credentials';
import { parseProcessOutput } from './process-output';
import { SourceError } from './source';

/** Cases per run of each property below; docs/security.md quotes them. */
const RUNS = { text: 1000, json: 1000, nearValid: 2000 };

const NOW = Date.parse('2030-01-01T00:00:00Z');

/** Every secret carries this marker, so a message can be searched for any of them. */
const MARK = 'Zs3cr3t';
const secret = fc
  .oneof(
    { withCrossShrink: true },
    { weight: 20, arbitrary: fc.stringMatching(/^[A-Za-z0-9/+=]{8,40}$/) },
    { weight: 1, arbitrary: fc.constant('k'.repeat(200_000)) },
  )
  .map((text) => `${MARK}-${text}`);

const profileName = fc.oneof(
  fc.constantFrom('dev', 'Production/ReadOnly', 'café', '../x', 'a b'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
);

const FIELDS = ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'];

/** JSON values of every type, whose strings are often secrets and whose keys are often fields. */
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -1, 1.5, 1e308, -0, '', '1'),
    fc.double(),
    fc.integer(),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    secret,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...FIELDS, 'AccountId', '__proto__'), fc.string({ maxLength: 8 })),
      tie('json'),
      { maxKeys: 6 },
    ),
  ),
}));

const dateTime = fc
  .record({
    year: fc.oneof(fc.integer({ min: 2029, max: 2031 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: '' }),
    separator: fc.constantFrom('T', 't', ' ', '_'),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', '', 'UTC', '+0100'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
        )
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    (p) =>
      `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.separator}${pad(p.hour, 2)}:` +
      `${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction ? `.${p.fraction}` : ''}${p.zone}`,
  );

const expiration = fc.oneof(
  { weight: 6, arbitrary: dateTime },
  {
    weight: 2,
    // Shapes Date.parse accepts but RFC 3339 does not, and near misses.
    arbitrary: fc.constantFrom(
      'Jan 1 2031',
      '2031-01-01',
      '2031-01-01T00:00:00',
      '+002031-01-01T00:00:00Z',
      '2031-1-1T00:00:00Z',
      ' 2031-01-01T00:00:00Z',
      '2031-01-01T00:00:00Z ',
      '2031-01-01T00:00:00.Z',
      '2031-02-29T00:00:00Z',
      '2032-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2400-02-29T00:00:00Z',
      '2031-01-01T00:00:60Z',
      '9999-12-31T23:59:59.999-23:59',
      '0000-01-01T00:00:00+23:59',
      '1714000000',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

/** Valid Version 1 output, with the optional fields present or not. */
const validDocument = fc.record(
  {
    Version: fc.constant(1),
    AccessKeyId: secret,
    SecretAccessKey: secret,
    SessionToken: fc.option(secret, { nil: null }),
    Expiration: fc.oneof(expiration, fc.constantFrom(null, '')),
    AccountId: fc.oneof(fc.stringMatching(/^\d{12}$/), json),
    Extra: json,
  },
  { requiredKeys: ['Version', 'AccessKeyId', 'SecretAccessKey'] },
);

/** What a field can be replaced with: every JSON type, huge strings, secrets in other fields. */
const wrongValue = fc.oneof(
  { withCrossShrink: true },
  fc.constantFrom(1, '1', 2, 0, -1, 1.0000001, true, null, '', [1], {}, 'Version 1', 1e308),
  fc.constant('s'.repeat(300_000)),
  secret,
  json,
);

type Document = Record<string, unknown>;

const mutation = fc.oneof(
  fc.constantFrom(...FIELDS).map((field) => (doc: Document) => {
    delete doc[field];
  }),
  fc.tuple(fc.constantFrom(...FIELDS), wrongValue).map(([field, value]) => (doc: Document) => {
    doc[field] = value;
  }),
);

const nearValidDocument = fc
  .tuple(validDocument, fc.array(mutation, { maxLength: 3 }))
  .map(([valid, mutations]) => {
    const doc: Document = { ...valid };
    for (const mutate of mutations) mutate(doc);
    return doc;
  });

/** How a command may print JSON: compact or indented, with a byte-order mark, surrounded by space. */
const printed = (doc: Document) =>
  fc
    .tuple(
      fc.constantFrom(undefined, 2, '\t'),
      fc.constantFrom('', '\uFEFF'),
      fc.constantFrom('', '\n', '  \r\n'),
    )
    .map(([indent, bom, space]) => `${bom}${space}${JSON.stringify(doc, null, indent)}${space}`);

/**
 * Runs the parser; only its credentials or its SourceError come back, any other exception fails
 * the property. Every error is a 'bad-output' SourceError that names the profile.
 */
function parse(profile: string, stdout: string): AwsCredentials | SourceError {
  try {
    return parseProcessOutput(profile, stdout, NOW);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    expect(error.failure).toBe('bad-output');
    expect(error.profile).toBe(profile);
    expect(error.status).toBe(502);
    expect(error.message).toContain(`credential_process for profile ${profile} `);
    return error;
  }
}

function expectWellFormed(credentials: AwsCredentials): void {
  expect(credentials.accessKeyId).toMatch(/./);
  expect(credentials.secretAccessKey).toMatch(/./);
  if (credentials.sessionToken !== undefined) expect(credentials.sessionToken).toMatch(/./);
  if (credentials.accountId !== undefined) expect(credentials.accountId).toMatch(/./);
  if (credentials.expiresAt !== undefined) {
    expect(Number.isFinite(credentials.expiresAt)).toBe(true);
    expect(credentials.expiresAt).toBeGreaterThan(NOW);
  }
}

function expectNoSecret(message: string, stdout: string): void {
  const secrets = stdout.match(/Zs3cr3t-[A-Za-z0-9/+=]+/g) ?? [];
  for (const value of secrets) expect(message).not.toContain(value);
  expect(message).not.toContain(MARK);
}

describe('parseProcessOutput on bad input', () => {
  it(
    'answers arbitrary text with credentials or a SourceError naming the profile',
    () => {
      const text = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ maxLength: 200 }).map((tail) => `{${tail}`),
        fc.constantFrom(
          '\uFEFF',
          '\uFEFF\uFEFF{}',
          '{"Version": 1,',
          '['.repeat(100_000) + ']'.repeat(100_000),
          '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
          '9'.repeat(100_000),
        ),
      );
      fc.assert(
        fc.property(profileName, text, (profile, stdout) => {
          const result = parse(profile, stdout);
          if (!(result instanceof SourceError)) expectWellFormed(result);
        }),
        fuzzParameters(RUNS.text),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers arbitrary JSON without ever quoting a value from it',
    () => {
      fc.assert(
        fc.property(profileName, json, (profile, value) => {
          const stdout = JSON.stringify(value) ?? '';
          const result = parse(profile, stdout);
          if (result instanceof SourceError) expectNoSecret(result.message, stdout);
          else expectWellFormed(result);
        }),
        fuzzParameters(RUNS.json),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'accepts exactly the valid Version 1 documents, and never quotes their secrets',
    () => {
      fc.assert(
        fc.property(
          profileName,
          nearValidDocument.chain((doc) => printed(doc).map((stdout) => ({ doc, stdout }))),
          (profile, { doc, stdout }) => {
            const result = parse(profile, stdout);
            const expected = expectedCredentials(JSON.parse(stdout.replace(/^\uFEFF/, '')));
            if (result instanceof SourceError) {
              expectNoSecret(result.message, stdout);
              expect(expected, `refused ${JSON.stringify(doc).slice(0, 500)}`).toBeUndefined();
            } else {
              expect(result).toEqual(expected);
            }
          },
        ),
        fuzzParameters(RUNS.nearValid),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

/**
 * An oracle written apart from the parser: the credentials a document must give, or undefined
 * when it must be refused (wrong types, a bad or past Expiration).
 */
function expectedCredentials(doc: Document): AwsCredentials | undefined {
  const { Version, AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId } = doc;
  const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';
  if (Version !== 1 || !nonEmpty(AccessKeyId) || !nonEmpty(SecretAccessKey)) return undefined;
  const absentOrString = (value: unknown) => value == null || typeof value === 'string';
  if (!absentOrString(SessionToken) || !absentOrString(Expiration)) return undefined;
  const credentials: AwsCredentials = {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
  };
  if (nonEmpty(SessionToken)) credentials.sessionToken = SessionToken;
  if (nonEmpty(Expiration)) {
    const expiresAt = rfc3339Millis(Expiration);
    if (expiresAt === undefined || expiresAt <= NOW) return undefined;
    credentials.expiresAt = expiresAt;
  }
  if (nonEmpty(AccountId)) credentials.accountId = AccountId;
  return credentials;
}

/** RFC 3339 date-time to epoch ms by calendar arithmetic (days from civil), without Date. */
function rfc3339Millis(text: string): number | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(
      text,
    );
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1]! || h > 23 || mi > 59 || s > 60) {
    return undefined;
  }
  const offsetH = Number(match[9] ?? 0);
  const offsetM = Number(match[10] ?? 0);
  if (offsetH > 23 || offsetM > 59) return undefined;
  const offset = (match[8] === '-' ? -1 : 1) * (offsetH * 60 + offsetM) * 60_000;
  // Digits past milliseconds are dropped, not rounded.
  const millis = Number((match[7] ?? '.').slice(1, 4).padEnd(3, '0'));
  // Howard Hinnant's days_from_civil.
  const year = mo <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  return days * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + millis - offset;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
