import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botocoreUnavailable } from '../../../test/helpers/botocore';
import {
  BotocoreCredentialPlan,
  type BotocorePlan,
} from '../../../test/helpers/botocore-credential-plan';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from '../../../test/helpers/fuzz';
import { loadProfiles, toProfileInfo, type ProfileConfig } from './profiles';

/**
 * Which credentials Rolecall uses for a profile that mixes settings, against the AWS CLI's own
 * credential resolver (botocore, in Python): on generated configs of four profiles, each with any
 * mix of role_arn, source_profile (pointing anywhere, itself included, or nowhere),
 * credential_source, keys in either file (whole or half), credential_process, IAM Identity Center
 * settings and a web identity token file.
 *
 * For every profile, Rolecall must load it exactly when the AWS CLI finds credentials for it,
 * with the same kind of credentials; for an assumed role, through the same source profiles in
 * the same order, ending in the same kind. The one case where Rolecall refuses what the AWS CLI
 * loads is named in its reason: a source profile that both assumes a role and takes its
 * credentials from something other than keys (Rolecall holds one entry per profile).
 */

/** Configs per run; each asks botocore about four profiles. */
const RUNS = 120;

const unavailable = botocoreUnavailable();
const NAMES = ['a', 'b', 'c', 'd'] as const;
const ROLE_ARN = 'arn:aws:iam::123456789012:role/R';
const PROCESS = `/bin/echo '{"Version": 1, "AccessKeyId": "AKIAPROCESS", "SecretAccessKey": "s"}'`;

type File = 'config' | 'credentials';
type Settings = Array<[File, string, string]>;

const file = fc.constantFrom<File>('config', 'credentials');
const setting = (key: string, value: fc.Arbitrary<string>) =>
  fc.tuple(file, fc.constant(key), value).map((entry) => [entry] as Settings);
const none = fc.constant([] as Settings);

const keys = fc.oneof(
  none,
  fc.constantFrom<Settings>(
    [
      ['credentials', 'aws_access_key_id', 'AKIAFILE'],
      ['credentials', 'aws_secret_access_key', 'file-secret'],
    ],
    [
      ['config', 'aws_access_key_id', 'AKIACONFIG'],
      ['config', 'aws_secret_access_key', 'config-secret'],
    ],
    [['credentials', 'aws_access_key_id', 'AKIAHALF']],
    [['credentials', 'aws_secret_access_key', 'half-secret']],
    [
      ['config', 'aws_access_key_id', 'AKIASPLIT'],
      ['credentials', 'aws_secret_access_key', 'split-secret'],
    ],
  ),
);

const profileSettings = fc
  .tuple(
    fc.oneof(none, setting('role_arn', fc.constant(ROLE_ARN))),
    fc.oneof(
      none,
      setting('source_profile', fc.constantFrom(...NAMES, 'nowhere')),
      setting('credential_source', fc.constantFrom('Environment', 'environment')),
      fc
        .tuple(
          setting('source_profile', fc.constantFrom(...NAMES)),
          setting('credential_source', fc.constant('Environment')),
        )
        .map(([a, b]) => [...a, ...b]),
    ),
    keys,
    fc.oneof(none, setting('credential_process', fc.constant(PROCESS))),
    fc.oneof(
      none,
      setting('sso_session', fc.constant('corp')),
      fc
        .tuple(
          setting('sso_session', fc.constantFrom('corp', 'missing')),
          setting('sso_account_id', fc.constant('111122223333')),
          setting('sso_role_name', fc.constant('Dev')),
        )
        .map((parts) => parts.flat()),
      setting('sso_account_id', fc.constant('111122223333')),
    ),
    fc.oneof(
      { weight: 3, arbitrary: none },
      { weight: 1, arbitrary: setting('web_identity_token_file', fc.constantFrom('/t', '')) },
    ),
  )
  .map((parts) => parts.flat());

const configs = fc.tuple(...NAMES.map(() => profileSettings)).map((all) => {
  const byProfile = new Map(NAMES.map((name, index) => [name, all[index]!]));
  const text = (which: File) =>
    [
      ...NAMES.flatMap((name) => {
        const lines = byProfile
          .get(name)!
          .filter(([where]) => where === which)
          .map(([, key, value]) => `${key} = ${value}`);
        if (lines.length === 0) return [];
        return [which === 'config' ? `[profile ${name}]` : `[${name}]`, ...lines];
      }),
      ...(which === 'config'
        ? [
            '[sso-session corp]',
            'sso_start_url = https://corp.awsapps.com/start',
            'sso_region = eu-west-1',
          ]
        : []),
    ].join('\n') + '\n';
  return { config: text('config'), credentials: text('credentials'), byProfile };
});

const METHODS: Partial<Record<ProfileConfig['kind'], string>> = {
  credential_process: 'custom-process',
  sso: 'sso',
  'sso-legacy': 'sso',
  'web-identity': 'assume-role-with-web-identity',
  'assume-role': 'assume-role',
};

function methodOf(profile: ProfileConfig): string | undefined {
  if (profile.kind === 'static') {
    return profile.keysIn === 'credentials-file' ? 'shared-credentials-file' : 'config-file';
  }
  return METHODS[profile.kind];
}

/**
 * The sources botocore resolves for a loadable assumed role, as Rolecall's chain says them:
 * every link but the last is a role; the last is a profile of another kind, or a role whose keys
 * sign (botocore then reads the keys from the file whose section has the key id), or a role whose
 * credential_source ends the chain.
 */
function expectedSources(
  top: Extract<ProfileConfig, { kind: 'assume-role' }>,
  byName: Map<string, ProfileConfig>,
  settings: Map<string, Settings>,
): Array<[string, string | undefined]> {
  const credentialSource = (name: string): [string, string] => [`credential_source:${name}`, 'env'];
  if (top.credentialSource !== undefined) return [credentialSource(top.credentialSource)];
  const chain = top.chain!;
  const sources: Array<[string, string | undefined]> = chain
    .slice(0, -1)
    .map((name) => [name, 'assume-role']);
  const lastName = chain[chain.length - 1]!;
  const last = byName.get(lastName)!;
  const keys = settings.get(lastName)!.filter(([, key]) => key.startsWith('aws_'));
  if (last.kind !== 'assume-role') sources.push([lastName, methodOf(last)]);
  else if (keys.length > 0) {
    const idInCredentials = keys.some(
      ([where, key]) => where === 'credentials' && key === 'aws_access_key_id',
    );
    sources.push([lastName, idInCredentials ? 'shared-credentials-file' : 'config-file']);
  } else {
    sources.push([lastName, 'assume-role'], credentialSource(last.credentialSource!));
  }
  return sources;
}

describe.skipIf(unavailable !== null)('credential plans against botocore', () => {
  let botocore: BotocoreCredentialPlan;
  let dir: string;
  beforeAll(async () => {
    botocore = BotocoreCredentialPlan.start();
    dir = await mkdtemp(join(tmpdir(), 'rolecall-plan-'));
  });
  afterAll(async () => {
    await botocore?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'uses the credentials the AWS CLI uses, for every mix of settings',
    async () => {
      await fc.assert(
        fc.asyncProperty(configs, async ({ config, credentials, byProfile }) => {
          const files = {
            configFile: join(dir, 'config'),
            credentialsFile: join(dir, 'credentials'),
          };
          await writeFile(files.configFile, config);
          await writeFile(files.credentialsFile, credentials);
          const catalog = await loadProfiles(files);
          expect(catalog.refusals).toEqual([]);
          const byName = new Map(catalog.profiles.map((profile) => [profile.name, profile]));
          for (const profile of catalog.profiles) {
            const info = toProfileInfo(profile);
            const answer: BotocorePlan = await botocore.plan(config, credentials, profile.name);
            const context = `profile ${profile.name}: Rolecall ${JSON.stringify(info)}; botocore ${JSON.stringify(answer)}\n${config}\n${credentials}`;
            if (!info.loadable) {
              if (info.notLoadableReason?.includes('cannot hold both')) continue;
              expect(answer.ok && answer.method !== null, context).toBe(false);
              continue;
            }
            expect(answer, context).toMatchObject({ ok: true, method: methodOf(profile) });
            if (profile.kind === 'assume-role' && answer.ok) {
              expect(answer.sources, context).toEqual(
                expectedSources(profile, byName, byProfile as Map<string, Settings>),
              );
            }
          }
        }),
        fuzzParameters(RUNS),
      );
    },
    FUZZ_TIMEOUT_MS * 3,
  );
});
