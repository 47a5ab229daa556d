import fc from 'fast-check';
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse } from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiDeclaration, apiNames, isApiName, type ApiHandlers } from '../../../src-shared/api';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from '../../../test/helpers/fuzz';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { loadProfiles } from '../config/profiles';
import { createCore, type Core } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { createSettingsService } from '../settings/settings-service';
import { pickSession } from '../sso/sso-sessions';
import { buildServer } from './app';
import { ConsoleLinks } from './console-links';
import { BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from './limits';
import { slotPath } from '../../../src-shared/slot-url';

/** Cases per run of each property below; docs/security.md quotes them. */
const RUNS = { withToken: 1000, withoutToken: 1500 };

const TOKEN = 'fuzz-token-0123456789abcdef0123456789abcdef';
const HOUR = 3_600_000;
const MAX_DATE_MS = 8_640_000_000_000_000;
const MEGABYTE_NAME = 'n'.repeat(1024 * 1024);

interface Harness {
  app: FastifyInstance;
  core: Core;
  clock: ManualClock;
  close(): Promise<void>;
}

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/**
 * A server over a real core (broker, profiles, settings, env exports, token calls), with fake
 * credential sources and no IAM Identity Center, so that every valid call has an answer.
 */
async function setup(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-server-fuzz-'));
  const clock = new ManualClock();
  // Empty AWS config files: no sso-session, so signing in is always a clear 404.
  const profileFiles = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'creds') };
  let bearer = 'bearer-before-rotation';
  const core = createCore({
    secrets: createMemoryStore(),
    clock,
    profileFiles,
    resolveSource: resolverFor(
      new FakeSource('dev', fakeCredentials()),
      new FakeSource('prod', fakeCredentials({ expiresAt: clock.now() + HOUR })),
    ),
    serverInfo: () => ({
      url: 'http://127.0.0.1:4144/',
      host: '127.0.0.1',
      port: 4144,
      tls: false,
      pid: 1,
      version: '0.0.0',
      startedAt: new Date(clock.now()).toISOString(),
    }),
    bearer: {
      current: () => bearer,
      rotate: async () => (bearer = `rotated-${clock.now()}`),
    },
    settings: createSettingsService({
      home: dir,
      initial: {},
      defaultPort: 4144,
      inEffect: () => ({ port: 4144, tls: false }),
      loginItem: { isEnabled: async () => false, setEnabled: async () => {} },
      onChange: () => {},
    }),
  });
  // Signing in needs IAM Identity Center; with no session configured, the core's answer is this.
  const noSession = async ({ session }: { session: string }): Promise<never> => {
    pickSession(await loadProfiles(profileFiles), session);
    throw new Error(`sso-session ${session} appeared in an empty config`);
  };
  const api: ApiHandlers = {
    ...core.api,
    startSignIn: noSession,
    cancelSignIn: noSession,
    signOut: noSession,
  };
  const app = buildServer({
    broker: core.broker,
    api,
    token: () => TOKEN,
    clock,
    // No link is ever handed out here: every console link a request names is unknown.
    consoleLinks: new ConsoleLinks(clock),
  });
  await app.ready();
  harness = {
    app,
    core,
    clock,
    close: async () => {
      await app.close();
      core.broker.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

// --- what is generated -----------------------------------------------------------------------

/** Names that collide often, so PUTs, GETs and DELETEs meet the same slots. */
const POOL = [
  'dev',
  'prod',
  'a b',
  '../',
  'é',
  'Production/ReadOnly',
  '%2e%2e%2f',
  '..',
  '.',
  '%2E%2E',
  'a#b?c',
  '100%',
];
/** The names most slots get, so that later requests find them loaded. */
const HOT = ['dev', 'prod', '../', 'Production/ReadOnly', '..', '.'];
const name = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...POOL) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%00',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u202e',
      '日本',
      '',
    ),
  },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('n'.repeat(512), 'n'.repeat(513), 'é'.repeat(400)) },
  { weight: 1, arbitrary: fc.constant(MEGABYTE_NAME) },
);

/** A URL path segment: a name %-escaped, or raw text with slashes, dots and broken escapes. */
const segment = fc.oneof(
  { weight: 6, arbitrary: name.map(percentEncode) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '../',
      '..%2f',
      '%2e%2e%2f',
      '%2E%2E/',
      '%00',
      '%',
      '%zz',
      '%E0%A4%A',
      '%C0%AF',
      '%ED%A0%80',
      '%FF',
      'a/b',
      '',
      '/',
      '%2F',
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[!$&'()*+,;=:@A-Za-z0-9._~%/-]{0,24}$/) },
);

const query = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{0,40}$/).map((q) => `?${q}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '?__proto__[x]=1&constructor[prototype][y]=2',
      '?a=%&b=%zz&a=1&a=2',
      `?q=${'x'.repeat(100_000)}`,
      '?',
      '??',
    ),
  },
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/json;;',
  'application/jsonx',
  'application/vnd.api+json',
  'text/json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  '',
];
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,40}$/) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -1, 60, 3600, 1.5, 1e308, '', 'dev', 'prod'),
    fc.double(),
    fc.integer(),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(fieldName(), tie('json'), { maxKeys: 5 }),
  ),
}));

/** Keys of the API's arguments and of PUT bodies, so the schemas see plausible shapes. */
function fieldName() {
  return fc.oneof(
    fc.constantFrom(
      'profile',
      'slot',
      'session',
      'format',
      'notifications',
      'server',
      'ProfileName',
      'Creds',
      'accessKeyId',
      'expiration',
      '__proto__',
      'constructor',
    ),
    fc.string({ maxLength: 8 }),
  );
}

type Document = Record<string, unknown>;

/**
 * A valid document with up to `max` fields (at any depth) deleted or replaced by arbitrary JSON,
 * so that some stay valid and the rest fail in one or two places.
 */
function mutated(valid: fc.Arbitrary<Document>, max = 2): fc.Arbitrary<unknown> {
  const edit = fc.tuple(fc.nat(), fc.boolean(), json);
  const edited = fc.tuple(valid, fc.array(edit, { maxLength: max })).map(([document, edits]) => {
    const copy = structuredClone(document);
    for (const [pick, remove, value] of edits) {
      const holders = objectsIn(copy);
      const holder = holders[pick % holders.length]!;
      const keys = Object.keys(holder);
      const key = keys.length === 0 ? 'extra' : keys[pick % keys.length]!;
      if (remove) delete holder[key];
      else holder[key] = value;
    }
    return copy;
  });
  // And sometimes not even an object.
  return fc.oneof({ weight: 9, arbitrary: edited }, { weight: 1, arbitrary: json });
}

function objectsIn(document: Document): Document[] {
  const found = [document];
  for (const value of Object.values(document)) {
    if (isRecord(value)) found.push(...objectsIn(value));
  }
  return found;
}

const profileArg = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOT) },
  { weight: 2, arbitrary: fc.constantFrom(...POOL) },
  { weight: 1, arbitrary: name },
);

/** Valid arguments of the calls that take some; the rest take none (an empty object). */
const VALID_ARGS: Record<string, fc.Arbitrary<Document>> = {
  loadProfile: fc.record(
    {
      profile: profileArg,
      slot: fc.boolean(),
      refreshEverySeconds: fc.constantFrom(60, 3600, 604_800),
    },
    { requiredKeys: ['profile'] },
  ),
  unloadProfile: fc.record({ profile: profileArg }),
  startSignIn: fc.record(
    { session: name, flow: fc.constantFrom('device', 'pkce') },
    { requiredKeys: ['session'] },
  ),
  signOut: fc.record({ session: name }),
  cancelSignIn: fc.record({ session: name }),
  getEnvExports: fc.record(
    { profile: profileArg, format: fc.constantFrom('sh', 'fish', 'powershell', 'json') },
    { requiredKeys: ['format'] },
  ),
  updateSettings: fc.record(
    {
      refreshLeadMinutes: fc.integer({ min: 1, max: 120 }),
      notifications: fc.record(
        { enabled: fc.boolean(), beforeMinutes: fc.array(fc.integer({ min: 1, max: 60 })) },
        { requiredKeys: [] },
      ),
      server: fc.record(
        { port: fc.integer({ min: 1024, max: 65_535 }), tls: fc.boolean() },
        { requiredKeys: [] },
      ),
      launchAtLogin: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
};

/** Where every harness's clock starts (and stays, while requests are sent with the token). */
const NOW = new ManualClock().now();

const validPut = fc
  .record({
    ProfileName: profileArg,
    Creds: fc.record(
      {
        // Replaced below by one that names the profile, so a wrong slot's answer shows.
        accessKeyId: fc.constantFrom('ASIAFUZZ', 'A'),
        secretAccessKey: fc.constantFrom('fuzz-secret', 's'.repeat(60_000)),
        sessionToken: fc.constantFrom('fuzz-token', ''),
        expiration: fc.oneof(
          fc.constantFrom(NOW + HOUR, NOW + 1, MAX_DATE_MS),
          fc.integer({ min: NOW + 1, max: NOW + 100 * HOUR }),
        ),
        accountId: fc.constant('123456789012'),
        roleName: fc.constantFrom('Dev', 'path/Role'),
      },
      { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
    ),
  })
  .map((body) => ({
    ...body,
    Creds: { ...body.Creds, accessKeyId: `${body.Creds.accessKeyId}${keyTag(body.ProfileName)}` },
  }));

/** A short tag per profile name (FNV-1a), so each profile's PUT carries its own access key. */
function keyTag(profile: string): string {
  let hash = 0x811c9dc5;
  for (const unit of profile) {
    hash ^= unit.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).toUpperCase().padStart(8, '0');
}

/** Expirations that are wrong in every way a number can be. */
const badExpiration = fc.constantFrom(
  NOW,
  NOW - 1,
  1,
  1_767_229_200, // epoch seconds
  MAX_DATE_MS + 1,
  9e15,
  Number.MAX_SAFE_INTEGER,
  2 ** 53,
  1.5,
  0,
  -1,
  '2026-01-01T01:00:00Z',
);

const putBody = fc.oneof(
  { weight: 4, arbitrary: mutated(validPut) },
  {
    weight: 1,
    arbitrary: fc.tuple(validPut, badExpiration).map(([body, expiration]) => ({
      ...body,
      Creds: { ...(body.Creds as Document), expiration },
    })),
  },
);

type Payload = string | Buffer | undefined;

/** Bodies: JSON of the documents above, or text that is not JSON, deep, huge or not UTF-8. */
function payloadOf(document: fc.Arbitrary<unknown>): fc.Arbitrary<Payload> {
  return fc.oneof(
    { weight: 14, arbitrary: document.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 2, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        'null',
        '{',
        '{"profile": "dev",}',
        '\uFEFF{}',
        '{"__proto__": {"x": 1}}',
        '{"constructor": {"prototype": {"x": 1}}}',
        '['.repeat(20_000) + ']'.repeat(20_000),
        '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
        JSON.stringify({ profile: 'x'.repeat(60_000) }),
        JSON.stringify({ profile: 'x'.repeat(70_000) }),
        'profile=dev&slot=true',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes)) },
  );
}

interface Request {
  method: string;
  url: string;
  /** The path segment after /slot/, for the slot routes. */
  slot?: string;
  /** `/slot?profile=<name>`: every `profile` the query holds, decoded as the router does. */
  queried?: string[];
  contentType: string | undefined;
  payload: Payload;
}

const ecsRequest = fc
  .record({
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE') },
      { weight: 1, arbitrary: fc.constantFrom('POST', 'PATCH', 'HEAD', 'OPTIONS') },
    ),
    path: fc.oneof(
      fc.constantFrom('/', '/creds', '/profile', '/slot', '/slot/'),
      fc
        .oneof(
          { weight: 4, arbitrary: fc.constantFrom(...HOT).map(percentEncode) },
          { weight: 2, arbitrary: segment },
        )
        .map((slot) => ({ slot })),
      // A slot's URL as Rolecall prints it (`/slot?profile=..` for the dot names).
      fc
        .oneof(
          { weight: 2, arbitrary: fc.constantFrom(...HOT) },
          { weight: 1, arbitrary: fc.constantFrom(...POOL) },
        )
        .map((printed) => ({ printed })),
    ),
    query,
    contentType,
    payload: payloadOf(putBody),
    withBody: fc.nat({ max: 3 }),
  })
  .map(({ method, path, query: q, contentType: type, payload, withBody }): Request => {
    // Bodies mostly go with PUT; a GET or DELETE with one is a rarer kind of nonsense.
    const body =
      method === 'PUT' || withBody === 0
        ? { contentType: type, payload }
        : { contentType: undefined, payload: undefined };
    if (typeof path === 'string') return { method, url: `${path}${q}`, ...body };
    // A PUT to a slot usually names the profile it stores, %-escaped as clients do.
    const named =
      method === 'PUT' && withBody !== 0 && typeof payload === 'string'
        ? profileNamedIn(payload)
        : undefined;
    if ('printed' in path)
      return { method, url: withQuery(slotPath(named ?? path.printed), q), ...body };
    const slot = named === undefined ? path.slot : percentEncode(named);
    return { method, url: `/slot/${slot}${q}`, slot, ...body };
  });

/** The ProfileName a PUT body names, when it names one. */
function profileNamedIn(payload: string): string | undefined {
  try {
    const body: unknown = JSON.parse(payload);
    const profile = isRecord(body) ? body.ProfileName : undefined;
    return typeof profile === 'string' ? profile : undefined;
  } catch {
    return undefined;
  }
}

/** Appends a generated query (`?...`) to a URL that may have one already. */
function withQuery(url: string, q: string): string {
  if (q === '') return url;
  return url.includes('?') ? `${url}&${q.slice(1)}` : `${url}${q}`;
}

const apiRequest = fc
  .record({
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant('POST') },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE') },
    ),
    call: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...apiNames) },
      { weight: 1, arbitrary: segment },
    ),
    query,
  })
  .chain(({ method, call, query: q }) =>
    fc
      .record({
        contentType,
        payload: payloadOf(
          mutated(Object.hasOwn(VALID_ARGS, call) ? VALID_ARGS[call]! : fc.constant({}), 1),
        ),
      })
      .map(({ contentType: type, payload }): Request => ({
        method,
        url: `/api/${call}${q}`,
        contentType: type,
        payload,
      })),
  );

const otherRequest = fc
  .record({
    method: fc.constantFrom('GET', 'PUT', 'DELETE', 'POST'),
    path: fc.oneof(
      segment.map((text) => `/${text}`),
      fc.constantFrom(
        '//',
        '/./',
        '/../',
        '/slot/a/b',
        '/api/',
        '/api',
        '/ui/',
        '/%2e%2e/slot',
        '/healthcheck',
        '/healthcheck/',
        '/healthcheck/slot/dev',
        '/HEALTHCHECK',
        '/console',
        '/console/',
        '/console/abc',
        '/console/a/b',
        '/console/%2e%2e',
      ),
    ),
    query,
  })
  .map(({ method, path, query: q }): Request => ({
    method,
    url: `${path}${q}`,
    contentType: undefined,
    payload: undefined,
  }));

const request = fc
  .oneof(
    { weight: 5, arbitrary: ecsRequest },
    { weight: 5, arbitrary: apiRequest },
    { weight: 1, arbitrary: otherRequest },
  )
  .map(asSent);

/** Requests that fill slots (valid PUTs, loads), so the requests after them meet loaded slots. */
const filling = fc
  .oneof(
    validPut.map((body): Request => ({
      method: 'PUT',
      url: '/',
      contentType: 'application/json',
      payload: JSON.stringify(body),
    })),
    fc.tuple(validPut, fc.boolean()).map(([body, printed]): Request => {
      const profile = body.ProfileName as string;
      const slot = percentEncode(profile);
      return {
        method: 'PUT',
        ...(printed ? { url: slotPath(profile) } : { url: `/slot/${slot}`, slot }),
        contentType: 'application/json',
        payload: JSON.stringify(body),
      };
    }),
    fc
      .record({ profile: fc.constantFrom('dev', 'prod'), slot: fc.boolean() })
      .map((args): Request => ({
        method: 'POST',
        url: '/api/loadProfile',
        contentType: 'application/json',
        payload: JSON.stringify(args),
      })),
  )
  .map(asSent);

/** Reads or empties a slot the filling requests loaded, in some odd way. */
function revisit(filled: Request[]): fc.Arbitrary<Request> {
  const names = filled.flatMap((req) => {
    const name = slotNameOf(req);
    return name === undefined ? [] : [name];
  });
  return fc
    .record({
      method: fc.constantFrom('GET', 'GET', 'DELETE', 'HEAD'),
      name: names.length > 0 ? fc.constantFrom(...names) : fc.constant('dev'),
      printed: fc.boolean(),
      query,
    })
    .map(({ method, name, printed, query: q }) =>
      asSent({
        method,
        url: printed ? withQuery(slotPath(name), q) : `/slot/${percentEncode(name)}${q}`,
        contentType: undefined,
        payload: undefined,
      }),
    );
}

/** A few requests that fill slots, then the arbitrary ones and some that revisit those slots. */
const session = fc.array(filling, { maxLength: 3 }).chain((first) =>
  fc
    .array(fc.oneof({ weight: 3, arbitrary: request }, { weight: 1, arbitrary: revisit(first) }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((then) => [...first, ...then]),
);

/**
 * The request as inject() puts it on the wire: it parses the URL as a WHATWG client does (dot
 * segments resolved, a fragment dropped, raw non-ASCII %-escaped), so the checks use that URL.
 */
function asSent(req: Request): Request {
  const parsed = new URL(
    req.url.startsWith('//') ? `http://localhost${req.url}` : req.url,
    'http://localhost',
  );
  const rest = parsed.pathname.startsWith('/slot/') ? parsed.pathname.slice('/slot/'.length) : null;
  const queried = parsed.pathname === '/slot' ? queryValues(parsed.search, 'profile') : [];
  const { slot: _unused, queried: _unusedToo, ...others } = req;
  return {
    ...others,
    url: parsed.pathname + parsed.search,
    ...(rest !== null && !rest.includes('/') ? { slot: rest } : {}),
    ...(queried.length > 0 ? { queried } : {}),
  };
}

/**
 * The values of one query parameter, decoded as the router's query parser does: `+` is a
 * space, names and values are %-decoded, and text that does not decode is kept as it is.
 */
function queryValues(search: string, parameter: string): string[] {
  const decode = (text: string) => {
    const spaced = text.replaceAll('+', ' ');
    try {
      return decodeURIComponent(spaced);
    } catch {
      return spaced;
    }
  };
  const values: string[] = [];
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decode(equals < 0 ? pair : pair.slice(0, equals));
    if (key === parameter) values.push(equals < 0 ? '' : decode(pair.slice(equals + 1)));
  }
  return values;
}

/** `GET|HEAD /healthcheck` and `/healthcheck/`, with any query: the one route without a token. */
function isHealthcheck(req: Request): boolean {
  const path = req.url.split('?')[0];
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    (path === '/healthcheck' || path === '/healthcheck/')
  );
}

/**
 * `GET /console/<anything>`: admitted without a token, because a one-time link's code is its
 * credential — and with no link handed out, always a 404 that leads nowhere.
 */
function isConsoleLink(req: Request, options: { withToken: boolean }): boolean {
  // Without a token, only a link with a code gets past the gate; with one, `/console/` reaches
  // the route too.
  return (
    req.method === 'GET' &&
    req.url.startsWith('/console/') &&
    (options.withToken || req.url.length > '/console/'.length)
  );
}

/** The named slot a request is for (`/slot/<name>` or `/slot?profile=<name>`), if one. */
function slotNameOf(req: Request): string | undefined {
  if (req.slot !== undefined) return decodeSegment(req.slot);
  return req.queried?.length === 1 ? req.queried[0] : undefined;
}

const WRONG_TOKENS = [
  undefined,
  '',
  'Bearer',
  'Bearer ',
  TOKEN,
  `bearer ${TOKEN}`,
  `Bearer  ${TOKEN}`,
  `Bearer ${TOKEN} `,
  `Bearer ${TOKEN}x`,
  `Bearer ${TOKEN.slice(0, -1)}`,
  `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
];
const wrongAuthorization = fc.oneof(
  fc.constantFrom(...WRONG_TOKENS),
  fc.stringMatching(/^[\x20-\x7e]{0,80}$/).map((text) => `Bearer ${text}`),
  fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,200}$/),
);

// --- the properties --------------------------------------------------------------------------

describe('the server on arbitrary requests', () => {
  it(
    'with the token: never a 5xx; errors are 4xx {code, message}; 2xx only for valid input',
    async () => {
      const { app, core, clock } = await setup();
      const send = sender(app);
      const brokerState = (): BrokerState => {
        const snapshot = core.broker.snapshot();
        return { defaultProfile: snapshot.defaultProfile, slots: snapshot.slots };
      };
      await fc.assert(
        // Short sequences from empty slots, so a failure shrinks to the requests that led to it.
        fc.asyncProperty(session, async (requests) => {
          core.broker.unloadAll();
          for (const req of requests) {
            const before = brokerState();
            const response = await send(req, `Bearer ${TOKEN}`);
            expect(response.statusCode, describeRequest(req)).toBeLessThan(500);
            if (isConsoleLink(req, { withToken: true })) {
              expectUnknownConsoleLink(response, req);
              continue;
            }
            if (response.statusCode >= 400) {
              expectErrorBody(response, req);
            } else {
              expect(response.statusCode, describeRequest(req)).toBeGreaterThanOrEqual(200);
              expectValidInput(req, before, response, brokerState(), clock.now(), (profile) =>
                core.broker.peek(profile),
              );
            }
            expectAcceptedWhenValid(req, before, response, clock.now());
          }
        }),
        fuzzParameters(RUNS.withToken),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'without the right token: always 401, but for the health check and console links',
    async () => {
      const { app, clock } = await setup();
      const send = sender(app);
      await fc.assert(
        fc.asyncProperty(request, wrongAuthorization, async (req, authorization) => {
          // Wrong tokens within a window lock the server (429); each case starts a new window.
          await clock.advance(60_000);
          const response = await send(req, authorization);
          if (isHealthcheck(req)) {
            expect(response.statusCode, describeRequest(req)).toBe(200);
            return;
          }
          if (isConsoleLink(req, { withToken: false })) {
            expectUnknownConsoleLink(response, req);
            return;
          }
          expect(response.statusCode, describeRequest(req)).toBe(401);
          if (req.method === 'HEAD') return;
          expect(response.json()).toEqual({
            code: '401',
            message:
              'Missing or wrong Authorization header. Set AWS_CONTAINER_AUTHORIZATION_TOKEN from `rolecall env`.',
          });
        }),
        fuzzParameters(RUNS.withoutToken),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  // The router refuses these itself (fastify's frameworkErrors), before the onRequest hook; the
  // gate runs there too, so they still get 401 without a token.
  it('answers 401, not a router error, to a malformed URL without a token', async () => {
    const { app } = await setup();
    for (const url of ['/slot/%', '/slot/%E0%A4%A', `/slot/${'n'.repeat(1025)}`]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
    }
  });
});

// --- sending and checking --------------------------------------------------------------------

function sender(app: FastifyInstance) {
  return (req: Request, authorization: string | undefined): Promise<LightMyRequestResponse> =>
    app.inject({
      method: req.method as HTTPMethods,
      url: req.url,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(req.contentType === undefined ? {} : { 'content-type': req.contentType }),
      },
      ...(req.payload === undefined ? {} : { payload: req.payload }),
    });
}

function describeRequest(req: Request): string {
  const body = req.payload === undefined ? '' : String(req.payload).slice(0, 200);
  return `${req.method} ${req.url.slice(0, 200)} [${req.contentType ?? 'no content-type'}] ${body}`;
}

/** A console link no one was given: 404, sending the browser nowhere. */
function expectUnknownConsoleLink(response: LightMyRequestResponse, req: Request): void {
  expect(response.statusCode, describeRequest(req)).toBe(404);
  expect(response.headers.location, describeRequest(req)).toBeUndefined();
}

function expectErrorBody(response: LightMyRequestResponse, req: Request): void {
  if (req.method === 'HEAD') return; // no body, by definition
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body: unknown = response.json();
  expect(body, describeRequest(req)).toEqual({
    code: String(response.statusCode),
    message: expect.any(String),
  });
}

interface BrokerState {
  defaultProfile: string | null;
  slots: string[];
}

/**
 * What the route needed for a 2xx, checked against the state before the request; and for
 * credentials, that they are the credentials held for the profile the URL names.
 */
function expectValidInput(
  req: Request,
  before: BrokerState,
  response: LightMyRequestResponse,
  after: BrokerState,
  now: number,
  held: (profile: string) => { accessKeyId: string } | undefined,
): void {
  const context = describeRequest(req);
  const path = req.url.split('?')[0] ?? '';
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const named = req.slot !== undefined || req.queried !== undefined;
  const route = `${method} ${named ? '/slot/<name>' : path}`;
  const expectKeysOf = (profile: string | null | undefined) => {
    if (req.method === 'HEAD') return; // no body
    expect(response.json().AccessKeyId, `${context}: keys of ${profile}`).toBe(
      held(profile!)?.accessKeyId,
    );
  };
  switch (route) {
    case 'GET /':
    case 'GET /creds':
      expect(before.defaultProfile, context).not.toBeNull();
      expectKeysOf(before.defaultProfile);
      return;
    case 'GET /profile':
    case 'DELETE /':
      expect(before.defaultProfile, context).not.toBeNull();
      return;
    case 'GET /slot':
    case 'DELETE /slot':
      return;
    case 'GET /healthcheck':
    case 'GET /healthcheck/':
      if (req.method !== 'HEAD') {
        expect(response.json(), context).toMatchObject({ status: 'ok', tls: false });
      }
      return;
    case 'GET /slot/<name>':
    case 'DELETE /slot/<name>': {
      // A query naming two profiles names none.
      const profile = slotNameOf(req);
      expect(profile, context).toBeDefined();
      expect(before.slots, context).toContain(profile);
      if (method === 'GET') expectKeysOf(profile);
      return;
    }
    case 'PUT /':
    case 'PUT /slot/<name>': {
      const body = jsonBody(req);
      const slotName = named ? slotNameOf(req) : undefined;
      expect(named && slotName === undefined, context).toBe(false);
      expect(isValidPut(body, slotName, now), context).toBe(true);
      const profile = (body as { ProfileName: string }).ProfileName;
      if (!named) expect(after.defaultProfile).toBe(profile);
      else expect(after.slots).toContain(profile);
      return;
    }
  }
  const call = path.slice('/api/'.length);
  expect(method === 'POST' && path.startsWith('/api/') && isApiName(call), context).toBe(true);
  if (!isApiName(call)) return;
  const args = req.payload === undefined || String(req.payload) === '' ? NO_BODY : jsonBody(req);
  // A JSON null means no arguments, as an absent body does.
  const parsed = apiDeclaration[call].args.safeParse(
    args === NO_BODY ? undefined : (args ?? undefined),
  );
  expect(parsed.success, context).toBe(true);
  if (args !== NO_BODY) expect(req.contentType && isJsonType(req.contentType), context).toBe(true);
  expect(response.json(), context).toBeTypeOf('object');
}

/** The other direction, where it is certain: well-formed requests must be served. */
function expectAcceptedWhenValid(
  req: Request,
  before: BrokerState,
  response: LightMyRequestResponse,
  now: number,
): void {
  const context = describeRequest(req);
  if (req.method === 'GET' && req.slot !== undefined && isWellFormedSegment(req.slot)) {
    if (before.slots.includes(decodeSegment(req.slot))) {
      expect(response.statusCode, context).toBe(200);
    }
    return;
  }
  if (req.method === 'GET' && isOnlySlotQuery(req)) {
    if (before.slots.includes(req.queried![0]!)) expect(response.statusCode, context).toBe(200);
    return;
  }
  if (req.contentType !== 'application/json' || typeof req.payload !== 'string') return;
  if (Buffer.byteLength(req.payload) > BODY_LIMIT_BYTES) return;
  let body: unknown;
  try {
    body = JSON.parse(req.payload);
  } catch {
    return;
  }
  if (hasForbiddenKey(body) || (req.url.includes('?') && !isOnlySlotQuery(req))) return;
  if (req.method === 'PUT' && (req.url === '/' || req.slot !== undefined || isOnlySlotQuery(req))) {
    if (req.slot !== undefined && !isWellFormedSegment(req.slot)) return;
    const valid = isValidPut(body, slotNameOf(req), now);
    expect(response.statusCode, context).toBe(valid ? 200 : 400);
    return;
  }
  if (req.method === 'POST' && req.url.startsWith('/api/')) {
    const call = req.url.slice('/api/'.length);
    if (!isApiName(call)) return;
    if (!apiDeclaration[call].args.safeParse(body ?? undefined).success) {
      expect(response.statusCode, context).toBe(400);
      // One sentence saying what is wrong, never zod's issue list.
      const message = String(response.json().message);
      expect(message, context).toMatch(/^[^\n]{1,2000}\.$/);
      expect(message, context).not.toMatch(
        /Invalid (input|option|string)|Too (small|big)|Unrecognized key|"code":/,
      );
    }
  }
}

const NO_BODY = Symbol('no body');

function jsonBody(req: Request): unknown {
  const text =
    req.payload === undefined
      ? ''
      : typeof req.payload === 'string'
        ? req.payload
        : new TextDecoder().decode(req.payload);
  return JSON.parse(text.replace(/^\uFEFF/, ''));
}

function isJsonType(type: string): boolean {
  return type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * `/slot?profile=<name>` and nothing else in the query (so no other parameter, no huge query),
 * naming one profile whose name the route accepts.
 */
function isOnlySlotQuery(req: Request): boolean {
  return (
    req.queried?.length === 1 &&
    !req.url.includes('&') &&
    req.url.length < 4096 &&
    isProfileName(req.queried[0])
  );
}

/**
 * PUT / and PUT /slot/<name> bodies as docs/ecs-endpoint.md describes them, written apart;
 * `slotName` is the profile the URL names, decoded.
 */
function isValidPut(body: unknown, slotName: string | undefined, now: number): boolean {
  if (!isRecord(body) || !isRecord(body.Creds)) return false;
  const { ProfileName, Creds } = body;
  const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
  const nonEmpty = (value: unknown) => typeof value === 'string' && value !== '';
  const { accessKeyId, secretAccessKey, sessionToken, expiration, accountId, roleName } = Creds;
  // A string, or an account ID as a number (aws-sso-cli sends an int64).
  const accountIdOk =
    optionalString(accountId) ||
    (Number.isInteger(accountId) &&
      (accountId as number) >= 1 &&
      (accountId as number) <= 999_999_999_999);
  return (
    isProfileName(ProfileName) &&
    (slotName === undefined || slotName === ProfileName) &&
    nonEmpty(accessKeyId) &&
    nonEmpty(secretAccessKey) &&
    optionalString(sessionToken) &&
    accountIdOk &&
    optionalString(roleName) &&
    (expiration === undefined ||
      (Number.isSafeInteger(expiration) &&
        (expiration as number) > now &&
        (expiration as number) <= MAX_DATE_MS))
  );
}

function isProfileName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= 512 &&
    ![...value].some((char) => char < ' ' || char === '\u007f') &&
    // No lone surrogate: a well-formed string survives a UTF-8 round trip.
    Buffer.from(value, 'utf8').toString('utf8') === value
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys the server's JSON parser refuses (prototype poisoning); iterative, bodies nest deep. */
function hasForbiddenKey(value: unknown): boolean {
  const pending = [value];
  for (let next = pending.pop(); pending.length > 0 || next !== undefined; next = pending.pop()) {
    if (typeof next !== 'object' || next === null) continue;
    if (Object.hasOwn(next, '__proto__')) return true;
    const ctor: unknown = Object.hasOwn(next, 'constructor')
      ? (next as Record<string, unknown>).constructor
      : undefined;
    if (isRecord(ctor) && Object.hasOwn(ctor, 'prototype')) return true;
    pending.push(...Object.values(next));
  }
  return false;
}

/** A segment the router takes as one name: no raw slash, valid %-escapes, short enough. */
function isWellFormedSegment(slot: string): boolean {
  return !slot.includes('/') && !routerRefuses(`/slot/${slot}`) && slot !== '';
}

function decodeSegment(slot: string): string {
  try {
    return decodeURIComponent(slot);
  } catch {
    return `\u0000undecodable ${slot}`;
  }
}

/**
 * URLs the router refuses before any hook runs (a broken %-escape anywhere in the path, a slot
 * name over 1 KiB once decoded): they get 400/414 whatever the token.
 */
function routerRefuses(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  try {
    decodeURIComponent(path);
  } catch {
    return true;
  }
  const parameter = path.startsWith('/slot/') ? path.slice('/slot/'.length) : '';
  return decodeURIComponent(parameter).length > MAX_PARAM_LENGTH;
}

/** %-escapes every byte of the name's UTF-8 outside the unreserved set (lone surrogates too). */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
