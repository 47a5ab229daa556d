import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from '../../../test/helpers/fuzz';
import { RolecallError } from '../errors';
import { SourceError } from '../sources/source';
import { findProfile, loadProfiles, toProfileInfo, type ProfileCatalog } from './profiles';
import { nameNotLoadable } from './profile-info';

/** Cases per run of the property below; docs/security.md quotes it. */
const RUNS = 1000;

const OBJECT_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** Names that collide often, so profiles, sessions and both files refer to each other. */
const POOL = ['default', 'dev', 'prod', 'corp', 'a.b', 'team/dev', 'me@corp'];
const ODD_NAMES = [
  '',
  ' ',
  '..',
  '../etc/passwd',
  '%00',
  '%2e%2e%2f',
  'café',
  '日本',
  '\u202e',
  'a b',
  '\t',
  'profile',
  '[x]',
  '=',
  ';',
  '#',
  'sso-session.x',
  'services.y',
  ...OBJECT_PROTOTYPE_NAMES,
];
const KEYS = [
  'credential_process',
  'region',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'sso_account_id',
  'sso_role_name',
  'sso_registration_scopes',
  'role_arn',
  'source_profile',
  'credential_source',
  'web_identity_token_file',
  'mfa_serial',
  'mfa_process',
  'role_session_name',
  'external_id',
  'duration_seconds',
  'sts_regional_endpoints',
  'login_session',
  'aws_account_id',
  's3',
  'endpoint_url',
  '__proto__',
  'constructor',
];
const SECRET_KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'];
/** Secret values carry this marker, so the catalog can be searched for any of them. */
const SECRET = /zsecret-[a-z0-9]{12}/g;
const HUGE = 'x'.repeat(1024 * 1024);

const sectionName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...POOL) },
  { weight: 2, arbitrary: fc.stringMatching(/^[\w\-@+.%:/]{1,16}$/) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_NAMES) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
);

const headerLine = fc
  .tuple(
    fc.constantFrom('', ' ', '\t'),
    fc.oneof(
      fc.constant('default'),
      sectionName.map((name) => `profile ${name}`),
      sectionName.map((name) => `profile "${name}"`),
      sectionName.map((name) => `profile '${name}'`),
      sectionName.map((name) => `sso-session ${name}`),
      sectionName.map((name) => `services ${name}`),
      sectionName.map((name) => `profile.${name}`),
      sectionName,
    ),
    fc.constantFrom('', ' ', ' # note', ' ; note', '#note'),
  )
  .map(([indent, inner, tail]) => `${indent}[${inner}]${tail}`);

/** Headers broken the ways people break them: no `]`, a `]` too many, text after the `]`. */
const malformedHeaderLine = fc
  .tuple(
    fc.constantFrom('', '  '),
    sectionName.map((name) => `profile ${name}`),
    fc.constantFrom('', ' = 1', ']]', '] # see [1]', '] junk', '] region = x'),
  )
  .map(([indent, inner, tail]) => `${indent}[${inner}${tail}`);

const value = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...POOL) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'https://corp.awsapps.com/start',
      'eu-west-1',
      '123456789012',
      'ReadOnly',
      'arn:aws:iam::123456789012:role/Admin',
      '/bin/creds --profile dev',
      '"/opt/my tools/creds" dev # comment',
      'sso:account:access, ,codecatalyst:read_write',
      '',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const settingLine = fc
  .tuple(
    fc.constantFrom('', '', '  ', '\t'),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    ),
    fc.constantFrom('=', ' = ', ' =', '= '),
    value,
  )
  .map(([indent, key, equals, text]) => `${indent}${key}${equals}${text}`);

const secretLine = fc
  .tuple(fc.constantFrom(...SECRET_KEYS), fc.stringMatching(/^[a-z0-9]{12}$/))
  .map(([key, secret]) => `${key} = zsecret-${secret}`);

const noiseLine = fc.oneof(
  fc.constantFrom('', '# comment', '; comment', '[', ']', '[]', '[[x]]', '=', 'no equals sign'),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const hugeLine = fc.constantFrom(
  `[profile ${HUGE}]`,
  `credential_process = ${HUGE}`,
  `[${'profile '.repeat(10_000)}]`,
  HUGE,
);

const line = fc.oneof(
  { weight: 300, arbitrary: headerLine },
  { weight: 30, arbitrary: malformedHeaderLine },
  { weight: 600, arbitrary: settingLine },
  { weight: 100, arbitrary: secretLine },
  { weight: 200, arbitrary: noiseLine },
  { weight: 2, arbitrary: hugeLine },
);

/** A file's contents: ini-like lines, arbitrary text, bytes that are not UTF-8, or no file. */
const fileContents = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'))
      .map(([lines, eol]) => lines.join(eol)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const KINDS = [
  'credential_process',
  'sso',
  'sso-legacy',
  'static',
  'assume-role',
  'web-identity',
  'login-session',
  'unsupported',
];

let dir: string;
let configFile: string;
let credentialsFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-profiles-fuzz-'));
  configFile = join(dir, 'config');
  credentialsFile = join(dir, 'credentials');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function place(path: string, contents: string | Uint8Array | null): Promise<string> {
  if (contents === null) {
    await rm(path, { force: true });
    return '';
  }
  await writeFile(path, contents);
  return typeof contents === 'string' ? contents : new TextDecoder().decode(contents);
}

describe('loadProfiles on arbitrary files', () => {
  it(
    'never throws, leaves JavaScript built-ins alone, and returns a well-formed catalog without secrets',
    async () => {
      const builtIns = builtInGuard();
      await fc.assert(
        fc.asyncProperty(fileContents, fileContents, async (config, credentials) => {
          const texts =
            (await place(configFile, config)) + '\n' + (await place(credentialsFile, credentials));
          // Any exception fails the property, but only after the built-ins are checked and
          // restored: expect() itself relies on them.
          const outcome = await loadProfiles({ configFile, credentialsFile }).then(
            (catalog) => ({ catalog }),
            (error: unknown) => ({ error }),
          );
          const changed = builtIns.changes();
          builtIns.restore();
          if (changed.length > 0) {
            throw new Error(`loading changed JavaScript built-ins: ${changed.join(', ')}`);
          }
          if ('error' in outcome) throw outcome.error;
          expectWellFormed(outcome.catalog, texts);
        }),
        fuzzParameters(RUNS),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

/** Cases per run of the oracle property below; docs/security.md quotes it. */
const ORACLE_RUNS = 500;

/**
 * Lines whose meaning an oracle written apart from the reader can tell: clean headers, one
 * setting that says which line it is on, blank lines and comments, and headers broken the ways
 * people break them. Every profile's credential_process names the line it was written on, so
 * the oracle can say which profile each one must end up in.
 */
type OracleLine =
  | { kind: 'header'; name: string }
  | { kind: 'setting' }
  | { kind: 'blank' }
  | { kind: 'comment' }
  | { kind: 'broken'; name: string; shape: BrokenShape };
type BrokenShape = 'no-close' | 'no-close-setting' | 'inner-bracket' | 'trailing' | 'indented';

const ORACLE_NAMES = ['dev', 'prod', 'slow', 'a.b', 'team/dev', '100%', '..', 'café', '日本'];

const oracleLine: fc.Arbitrary<OracleLine> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...ORACLE_NAMES).map((name) => ({ kind: 'header' as const, name })),
  },
  { weight: 8, arbitrary: fc.constant({ kind: 'setting' as const }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom({ kind: 'blank' as const }, { kind: 'comment' as const }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...ORACLE_NAMES),
        fc.constantFrom<BrokenShape>(
          'no-close',
          'no-close-setting',
          'inner-bracket',
          'trailing',
          'indented',
        ),
      )
      .map(([name, shape]) => ({ kind: 'broken' as const, name, shape })),
  },
);

/** The config file writes [profile x], the credentials file [x]. */
function render(which: 'config' | 'credentials', lines: OracleLine[]): string {
  const section = (name: string) => (which === 'config' ? `profile ${name}` : name);
  return lines
    .map((line, index) => {
      const number = index + 1;
      switch (line.kind) {
        case 'header':
          return `[${section(line.name)}]`;
        case 'setting':
          return `credential_process = /bin/creds ${which}-line-${number}`;
        case 'blank':
          return '';
        case 'comment':
          return '# credential_process = /bin/creds BROKEN';
        case 'broken':
          return {
            'no-close': `[${section(line.name)}`,
            'no-close-setting': `[${section(line.name)} credential_process = /bin/creds BROKEN`,
            'inner-bracket': `[${section(line.name)}] # see [1]`,
            trailing: `[${section(line.name)}] credential_process = /bin/creds BROKEN`,
            indented: `  [${section(line.name)}]`,
          }[line.shape];
      }
    })
    .join('\n');
}

type OracleFile = { refusedAt: number } | { commands: Map<string, string | null> };

/**
 * What the file must mean: the line of the first thing that makes it unreadable, or each
 * profile with the command written under it (null: none). A setting belongs to the nearest
 * clean header above it; an indented header is a header unless a setting is open above it.
 */
function oracle(which: 'config' | 'credentials', lines: OracleLine[]): OracleFile {
  const commands = new Map<string, string | null>();
  let current: string | null = null;
  let settingOpen = false;
  for (const [index, line] of lines.entries()) {
    const number = index + 1;
    const header =
      line.kind === 'header' ||
      (line.kind === 'broken' && line.shape === 'indented' && !settingOpen)
        ? line.name
        : null;
    if (header !== null) {
      if (commands.has(header)) return { refusedAt: number };
      commands.set(header, null);
      current = header;
      settingOpen = false;
    } else if (line.kind === 'broken') {
      return { refusedAt: number };
    } else if (line.kind === 'setting') {
      if (current === null || commands.get(current) !== null) return { refusedAt: number };
      commands.set(current, `/bin/creds ${which}-line-${number}`);
      settingOpen = true;
    }
  }
  return { commands };
}

describe('loadProfiles on files with broken headers', () => {
  it(
    'puts every setting in the profile whose header is above it, or refuses the file at the first broken line',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(oracleLine, { maxLength: 12 }),
          fc.array(oracleLine, { maxLength: 12 }),
          async (configLines, credentialsLines) => {
            await writeFile(configFile, render('config', configLines));
            await writeFile(credentialsFile, render('credentials', credentialsLines));
            const catalog = await loadProfiles({ configFile, credentialsFile });
            const expected = {
              config: oracle('config', configLines),
              credentials: oracle('credentials', credentialsLines),
            };

            const refusedAt = [
              ['refusedAt' in expected.config && expected.config.refusedAt, configFile],
              [
                'refusedAt' in expected.credentials && expected.credentials.refusedAt,
                credentialsFile,
              ],
            ].flatMap(([line, file]) =>
              line === false ? [] : [`${file as string} line ${line as number}: `],
            );
            expect(
              catalog.refusals.map((refusal) => refusal.slice(0, refusal.indexOf(': ') + 2)),
            ).toEqual(refusedAt);
            // Nothing from a broken header ever reaches a profile.
            expect(JSON.stringify(catalog.profiles)).not.toContain('BROKEN');
            if ('refusedAt' in expected.config || 'refusedAt' in expected.credentials) {
              expect(catalog.profiles).toEqual([]);
              return;
            }

            // Credentials-file settings win over the config file's.
            const fromConfig = expected.config.commands;
            const fromCredentials = expected.credentials.commands;
            const names = new Set([...fromConfig.keys(), ...fromCredentials.keys()]);
            const want = [...names].sort(byCodeUnits).map((name) => {
              const command = fromCredentials.get(name) ?? fromConfig.get(name) ?? null;
              return command === null
                ? { name, kind: 'unsupported' }
                : { name, kind: 'credential_process', credentialProcess: command };
            });
            expect(
              catalog.profiles.map((profile) =>
                profile.kind === 'credential_process'
                  ? {
                      name: profile.name,
                      kind: profile.kind,
                      credentialProcess: profile.credentialProcess,
                    }
                  : { name: profile.name, kind: profile.kind },
              ),
            ).toEqual(want);
          },
        ),
        fuzzParameters(ORACLE_RUNS),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

function expectWellFormed(catalog: ProfileCatalog, texts: string): void {
  const files = { configFile, credentialsFile };
  expect(catalog.files).toEqual(files);
  const fileNames = [configFile, credentialsFile];

  for (const refusal of catalog.refusals) {
    expect(refusal).toMatch(
      /^.+ line \d+: .+ until then Rolecall loads no profile and makes no request to AWS\.$/,
    );
    expect(fileNames.some((file) => refusal.startsWith(`${file} line `))).toBe(true);
  }
  if (catalog.refusals.length > 0) {
    // Nothing is taken from either file while one is refused.
    expect(catalog.profiles).toEqual([]);
    expect(catalog.ssoSessions).toEqual([]);
  }

  const names = catalog.profiles.map((profile) => profile.name);
  expect(names).toEqual([...new Set(names)].sort(byCodeUnits));
  for (const profile of catalog.profiles) {
    expect(typeof profile.name).toBe('string');
    // Every listed profile comes from a header in one of the files, written as is or with
    // shell quotes and backslashes (the config file's `[profile "a b"]`).
    const unquoted = (text: string) => text.replace(/["'\\]/g, '');
    expect(unquoted(texts)).toContain(unquoted(profile.name));
    expect(KINDS).toContain(profile.kind);
    if (profile.region !== undefined) expect(profile.region).toMatch(/\S/);
    switch (profile.kind) {
      case 'credential_process':
        // An empty `credential_process =` is listed, as the AWS CLI lists it, but never loaded.
        if (profile.credentialProcess.trim() === '') {
          expect(profile.notLoadableReason).toMatch(/can't be run: it is empty$/);
        } else {
          expect(profile.credentialProcess).toMatch(/\S/);
        }
        expect(fileNames).toContain(profile.definedIn);
        break;
      case 'sso':
        expect(profile.ssoSession).toMatch(/\S/);
        expect(catalog.ssoSessions.map((session) => session.name)).toContain(profile.ssoSession);
        break;
      case 'sso-legacy':
        for (const field of [profile.startUrl, profile.ssoRegion, profile.accountId]) {
          expect(field).toMatch(/\S/);
        }
        expect(profile.roleName).toMatch(/\S/);
        break;
      case 'unsupported':
        expect(profile.reason).toMatch(/\S/);
        break;
      case 'static':
        // Where the keys are, never what they are.
        expect(['credentials-file', 'config-file']).toContain(profile.keysIn);
        expect(fileNames).toContain(profile.definedIn);
        break;
      case 'assume-role': {
        if (profile.notLoadableReason === undefined) expect(profile.roleArn).toMatch(/^arn:/);
        expect(fileNames).toContain(profile.definedIn);
        // Loadable exactly when the chain pass found where its credentials start.
        expect(profile.notLoadableReason === undefined).toBe(profile.source !== undefined);
        const source = profile.source;
        if (source?.kind === 'parent') {
          const parent = catalog.profiles.find((other) => other.name === source.profile);
          expect(parent && toProfileInfo(parent).loadable).toBe(true);
          expect(profile.chain?.[0]).toBe(source.profile);
        }
        break;
      }
      case 'web-identity':
        expect(profile.roleArn).toMatch(/^arn:/);
        expect(profile.tokenFile).not.toBe('');
        break;
      case 'login-session':
        expect(fileNames).toContain(profile.definedIn);
        break;
    }
    expect(findProfile(catalog, profile.name)).toBe(profile);
    const info = toProfileInfo(profile);
    expect(info).toMatchObject({ name: profile.name, kind: profile.kind });
    expect(typeof info.loadable).toBe('boolean');
    // A name Rolecall cannot serve under is listed, never loadable, and warned about.
    const badName = nameNotLoadable(profile.name);
    if (badName !== null) {
      expect(info).toMatchObject({ loadable: false, notLoadableReason: badName });
      expect(catalog.warnings.some((warning) => warning.includes(badName))).toBe(true);
    }
  }

  const sessionNames = catalog.ssoSessions.map((session) => session.name);
  expect(sessionNames).toEqual([...new Set(sessionNames)].sort());
  for (const session of catalog.ssoSessions) {
    expect(session.startUrl).toMatch(/\S/);
    expect(session.ssoRegion).toMatch(/\S/);
    for (const scope of session.registrationScopes ?? []) expect(scope).toMatch(/^\S(.*\S)?$/);
  }

  for (const warning of catalog.warnings) {
    expect(typeof warning).toBe('string');
    expect(fileNames.some((file) => warning.includes(file))).toBe(true);
  }

  const missing = 'no such profile \u0001';
  if (catalog.refusals.length > 0) {
    expect(() => findProfile(catalog, missing)).toThrow(
      expect.objectContaining({ code: 'aws-file-refused', message: catalog.refusals.join(' ') }),
    );
    expect(() => findProfile(catalog, missing)).toThrow(RolecallError);
  } else {
    expect(() => findProfile(catalog, missing)).toThrow(SourceError);
    try {
      findProfile(catalog, missing);
    } catch (error) {
      expect(error).toMatchObject({ failure: 'not-found', profile: missing });
    }
  }

  // Long-lived keys are recorded as a kind, never kept.
  const serialized = JSON.stringify(catalog);
  for (const secret of texts.match(SECRET) ?? []) expect(serialized).not.toContain(secret);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Descriptors = Map<string | symbol, PropertyDescriptor | undefined>;

/**
 * Notices writes onto `Object` and onto the methods of `Object.prototype` (an ini parser that
 * keeps sections in a plain object finds them under `[constructor]`, `[toString]`...), and undoes
 * them so one bad case does not break every later one. Uses only Reflect, which such a write
 * cannot reach.
 */
function builtInGuard(): { changes(): string[]; restore(): void } {
  const targets: Array<[string, object]> = [['Object', Object]];
  for (const name of OBJECT_PROTOTYPE_NAMES) {
    const method: unknown = Reflect.getOwnPropertyDescriptor(Object.prototype, name)?.value;
    if (typeof method === 'function') targets.push([`Object.prototype.${name}`, method]);
  }
  const snapshotOf = (target: object): Descriptors =>
    new Map(
      Reflect.ownKeys(target).map((key) => [key, Reflect.getOwnPropertyDescriptor(target, key)]),
    );
  const saved = targets.map(([label, target]) => ({ label, target, before: snapshotOf(target) }));
  const differs = (a: PropertyDescriptor | undefined, b: PropertyDescriptor | undefined) =>
    a?.value !== b?.value || a?.get !== b?.get || a?.set !== b?.set;
  return {
    changes() {
      const changed: string[] = [];
      for (const { label, target, before } of saved) {
        const now = snapshotOf(target);
        for (const key of new Set([...before.keys(), ...now.keys()])) {
          if (differs(before.get(key), now.get(key))) changed.push(`${label}.${String(key)}`);
        }
      }
      return changed;
    },
    restore() {
      for (const { target, before } of saved) {
        for (const key of Reflect.ownKeys(target)) {
          const original = before.get(key);
          if (original === undefined) Reflect.deleteProperty(target, key);
          else Reflect.defineProperty(target, key, original);
        }
      }
    },
  };
}
