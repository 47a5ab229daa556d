import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from '../../../test/helpers/fuzz';
import { readTokenAnswer } from './token-response';

/** Cases per run of each property below. */
const RUNS = { text: 500, json: 2000 };

const NOW = Date.parse('2030-01-01T00:00:00Z');

/** Every secret carries this marker, so a message can be searched for any of them. */
const MARK = 'Zs3cr3t';
const secret = fc.stringMatching(/^[A-Za-z0-9._~+/=-]{4,40}$/).map((text) => `${MARK}${text}`);

const FIELDS = [
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'scope',
  'id_token',
  'error',
  'error_description',
];

const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -1, 1.5, 1e308, -0, '', '3600', 'invalid_grant'),
    fc.double(),
    fc.integer(),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    secret,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...FIELDS, '__proto__'), fc.string({ maxLength: 8 })),
      tie('json'),
      { maxKeys: 6 },
    ),
  ),
}));

const status = fc.oneof(
  fc.constantFrom(200, 201, 400, 401, 403, 404, 408, 429, 500, 502, 503),
  fc.integer({ min: 100, max: 599 }),
);
const headers = fc.record({
  contentType: fc.option(
    fc.constantFrom('application/json', 'text/html; charset=utf-8', 'text/plain', ''),
  ),
  retryAfter: fc.option(
    fc.oneof(
      fc.constantFrom('0', '120', '-1', '1e3', 'Wed, 21 Oct 2015 07:28:00 GMT', 'soon', ''),
      fc.nat().map(String),
      fc.string({ maxLength: 12 }),
    ),
  ),
});

/** What holds for every answer, whatever the endpoint sent. */
function checkAnswer(code: number, body: string, answer: ReturnType<typeof readTokenAnswer>) {
  if (answer.kind === 'token') {
    expect(code >= 200 && code < 300).toBe(true);
    expect(typeof answer.token.accessToken).toBe('string');
    expect(answer.token.accessToken).not.toBe('');
    expect(body).toContain(JSON.stringify(answer.token.accessToken).slice(1, -1));
    if (answer.token.expiresAt !== undefined) {
      expect(Number.isFinite(answer.token.expiresAt)).toBe(true);
      expect(answer.token.expiresAt).toBeGreaterThanOrEqual(NOW);
    }
    return;
  }
  // Words for a person: one line, bounded, and never a secret the body held.
  // eslint-disable-next-line no-control-regex
  expect(answer.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  expect(answer.message.length).toBeLessThan(400);
  if (answer.kind === 'error') {
    if (answer.retryAfterMs !== undefined) {
      expect(answer.retryAfterMs).toBeGreaterThanOrEqual(0);
      expect(answer.retryAfterMs).toBeLessThanOrEqual(3_600_000);
    }
  }
  const leaked = new RegExp(`${MARK}[^ ]*`).exec(answer.message)?.[0];
  // Only an issuer's own error code or description is repeated; secrets in token fields never.
  if (leaked !== undefined) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const said = [parsed.error, parsed.error_description].filter((v) => typeof v === 'string');
    expect(said.some((text) => (text as string).includes(MARK))).toBe(true);
  }
}

describe('readTokenAnswer under fuzzing', () => {
  it(
    'never throws on any text, and gives a token only from 2xx JSON with an access_token',
    () => {
      fc.assert(
        fc.property(
          status,
          headers,
          fc.string({ unit: 'binary', maxLength: 200 }),
          (code, h, body) => {
            checkAnswer(code, body, readTokenAnswer(code, h, body, NOW));
          },
        ),
        fuzzParameters(RUNS.text),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reads any JSON safely: tokens exact, errors in bounded words that repeat no token',
    () => {
      fc.assert(
        fc.property(status, headers, json, (code, h, value) => {
          const body = JSON.stringify(value) ?? '';
          checkAnswer(code, body, readTokenAnswer(code, h, body, NOW));
        }),
        fuzzParameters(RUNS.json),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('reads a well-formed answer exactly', () => {
    fc.assert(
      fc.property(
        secret,
        fc.option(fc.nat({ max: 315_360_000 })),
        secret,
        (access, expires, refresh) => {
          const body = JSON.stringify({
            access_token: access,
            token_type: 'Bearer',
            ...(expires === null ? {} : { expires_in: expires }),
            refresh_token: refresh,
          });
          expect(readTokenAnswer(200, {}, body, NOW)).toEqual({
            kind: 'token',
            token: {
              accessToken: access,
              tokenType: 'Bearer',
              ...(expires === null ? {} : { expiresAt: NOW + expires * 1000 }),
            },
            refreshToken: refresh,
          });
        },
      ),
      fuzzParameters(RUNS.text),
    );
  });
});
