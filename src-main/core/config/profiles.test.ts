import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { profileNameSchema } from '../../../src-shared/api';
import { SourceError } from '../sources/source';
import { UNQUOTED_HASH } from '../sources/split-command';
import { findProfile, loadProfiles, toProfileInfo, type ProfileCatalog } from './profiles';

let dir: string;
let configFile: string;
let credentialsFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-profiles-'));
  configFile = join(dir, 'config');
  credentialsFile = join(dir, 'credentials');
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

async function write(files: { config?: string[]; credentials?: string[] }): Promise<void> {
  if (files.config) await writeFile(configFile, files.config.join('\n') + '\n');
  if (files.credentials) await writeFile(credentialsFile, files.credentials.join('\n') + '\n');
}

async function load(files: { config?: string[]; credentials?: string[] }): Promise<ProfileCatalog> {
  await write(files);
  return loadProfiles({ configFile, credentialsFile });
}

const byName = (catalog: ProfileCatalog, name: string) =>
  catalog.profiles.find((profile) => profile.name === name);

describe('loadProfiles', () => {
  it('reads [profile x] and [default] credential_process profiles, sorted by name', async () => {
    const catalog = await load({
      config: [
        '[profile zed]',
        'credential_process = /bin/zed',
        '[default]',
        'credential_process = /usr/local/bin/get-creds --profile default',
        'region = eu-west-1',
        '[profile dev]',
        'credential_process = "/opt/my tools/creds" dev',
      ],
    });
    expect(catalog.profiles.map((p) => p.name)).toEqual(['default', 'dev', 'zed']);
    expect(byName(catalog, 'default')).toEqual({
      name: 'default',
      kind: 'credential_process',
      credentialProcess: '/usr/local/bin/get-creds --profile default',
      definedIn: configFile,
      region: 'eu-west-1',
    });
    expect(byName(catalog, 'dev')).toMatchObject({
      kind: 'credential_process',
      credentialProcess: '"/opt/my tools/creds" dev',
    });
    expect(catalog.warnings).toEqual([]);
    expect(catalog.files).toEqual({ configFile, credentialsFile });
  });

  it('resolves sso_session through its [sso-session] section', async () => {
    const catalog = await load({
      config: [
        '[profile admin]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = AdministratorAccess',
        'region = us-east-2',
        '[profile token-only]',
        'sso_session = corp',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-west-1',
        'sso_registration_scopes = sso:account:access, codecatalyst:read_write',
      ],
    });
    expect(catalog.profiles.map((p) => p.name)).toEqual(['admin', 'token-only']);
    expect(byName(catalog, 'admin')).toEqual({
      name: 'admin',
      kind: 'sso',
      ssoSession: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'eu-west-1',
      accountId: '123456789012',
      roleName: 'AdministratorAccess',
      region: 'us-east-2',
    });
    expect(byName(catalog, 'token-only')).toEqual({
      name: 'token-only',
      kind: 'sso',
      ssoSession: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'eu-west-1',
    });
    expect(catalog.ssoSessions).toEqual([
      {
        name: 'corp',
        startUrl: 'https://corp.awsapps.com/start',
        ssoRegion: 'eu-west-1',
        registrationScopes: ['sso:account:access', 'codecatalyst:read_write'],
      },
    ]);
    expect(catalog.warnings).toEqual([]);
  });

  it('reads legacy profiles with sso_start_url in the profile itself', async () => {
    const catalog = await load({
      config: [
        '[profile legacy]',
        'sso_start_url = https://old.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_account_id = 111122223333',
        'sso_role_name = ReadOnly',
      ],
    });
    expect(byName(catalog, 'legacy')).toEqual({
      name: 'legacy',
      kind: 'sso-legacy',
      startUrl: 'https://old.awsapps.com/start',
      ssoRegion: 'us-east-1',
      accountId: '111122223333',
      roleName: 'ReadOnly',
    });
  });

  it('lists an incomplete legacy profile as unsupported, with a warning naming the file', async () => {
    const catalog = await load({
      config: ['[profile half]', 'sso_start_url = https://old.awsapps.com/start'],
    });
    expect(byName(catalog, 'half')).toMatchObject({
      kind: 'unsupported',
      reason: expect.stringContaining('sso_region, sso_account_id, sso_role_name'),
    });
    expect(catalog.warnings).toEqual([expect.stringContaining(`Profile half in ${configFile}`)]);
  });

  it('reads credential_process from the credentials file', async () => {
    const catalog = await load({
      credentials: ['[ci]', 'credential_process = /usr/bin/ci-creds'],
    });
    expect(byName(catalog, 'ci')).toEqual({
      name: 'ci',
      kind: 'credential_process',
      credentialProcess: '/usr/bin/ci-creds',
      definedIn: credentialsFile,
    });
  });

  it('merges both files like the SDK: credentials-file values win, the rest is kept', async () => {
    const catalog = await load({
      config: [
        '[profile dev]',
        'credential_process = /from/config',
        'region = eu-central-1',
        'aws_account_id = 444455556666',
      ],
      credentials: ['[dev]', 'credential_process = /from/credentials'],
    });
    expect(byName(catalog, 'dev')).toEqual({
      name: 'dev',
      kind: 'credential_process',
      credentialProcess: '/from/credentials',
      definedIn: credentialsFile,
      region: 'eu-central-1',
      accountId: '444455556666',
    });
    expect(catalog.profiles).toHaveLength(1);
  });

  it('treats static keys as their own kind, in either file, and never keeps them', async () => {
    const catalog = await load({
      config: [
        '[profile cfg-keys]',
        'aws_access_key_id = AKIACONFIGKEY',
        'aws_secret_access_key = config-secret-value',
      ],
      credentials: [
        '[default]',
        'aws_access_key_id = AKIADEFAULTKEY',
        'aws_secret_access_key = default-secret-value',
        'aws_session_token = default-session-token',
      ],
    });
    expect(byName(catalog, 'default')).toEqual({
      name: 'default',
      kind: 'static',
      keysIn: 'credentials-file',
      definedIn: credentialsFile,
      hasSessionToken: true,
    });
    expect(byName(catalog, 'cfg-keys')).toEqual({
      name: 'cfg-keys',
      kind: 'static',
      keysIn: 'config-file',
      definedIn: configFile,
    });
    const everything = JSON.stringify(catalog);
    for (const secret of ['AKIA', 'secret-value', 'session-token']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('checks settings in the order the AWS CLI does when a profile mixes them', async () => {
    const catalog = await load({
      config: [
        '[profile keys-and-process]',
        'aws_access_key_id = AKIAX',
        'aws_secret_access_key = y',
        'credential_process = /bin/creds',
        '[profile process-and-sso]',
        'credential_process = /bin/creds',
        'sso_session = corp',
        '[profile role]',
        'role_arn = arn:aws:iam::123456789012:role/Admin',
        'source_profile = dev',
        '[profile role-with-process]',
        'role_arn = arn:aws:iam::123456789012:role/Admin',
        'credential_process = /bin/creds',
        '[profile web]',
        'role_arn = arn:aws:iam::123456789012:role/Web',
        'web_identity_token_file = /var/run/token',
        '[profile region-only]',
        'region = us-west-2',
      ],
    });
    const kinds = Object.fromEntries(catalog.profiles.map((p) => [p.name, p.kind]));
    expect(kinds).toEqual({
      // Keys in the config file come after credential_process (botocore's ConfigProvider is last).
      'keys-and-process': 'credential_process',
      'process-and-sso': 'credential_process',
      role: 'assume-role',
      // role_arn wins over everything but a web identity token file, and needs its source.
      'role-with-process': 'assume-role',
      web: 'web-identity',
      'region-only': 'unsupported',
    });
    expect(byName(catalog, 'role')).toMatchObject({
      notLoadableReason: expect.stringContaining('its source_profile dev is not a profile'),
    });
    expect(byName(catalog, 'role-with-process')).toMatchObject({
      notLoadableReason: expect.stringContaining(
        'it sets role_arn without source_profile or credential_source, which the AWS CLI refuses too',
      ),
    });
    expect(byName(catalog, 'web')).toMatchObject({ tokenFile: '/var/run/token' });
    expect(byName(catalog, 'region-only')).toMatchObject({
      reason: expect.stringContaining('no credential settings'),
      region: 'us-west-2',
    });
  });

  it('gives an empty catalog, without warnings, when neither file exists', async () => {
    const catalog = await loadProfiles({ configFile, credentialsFile });
    expect(catalog).toEqual({
      profiles: [],
      ssoSessions: [],
      warnings: [],
      refusals: [],
      files: { configFile, credentialsFile },
    });
  });

  it('keeps ` # note` in a value, as the AWS CLI does, and says the command cannot be run', async () => {
    const catalog = await load({
      config: [
        '[profile dev]',
        'credential_process = /bin/creds --flag # note',
        '# a comment line',
      ],
    });
    expect(byName(catalog, 'dev')).toEqual({
      name: 'dev',
      kind: 'credential_process',
      credentialProcess: '/bin/creds --flag # note',
      definedIn: configFile,
      notLoadableReason: `its credential_process in ${configFile} can't be run: ${UNQUOTED_HASH}`,
    });
    expect(toProfileInfo(byName(catalog, 'dev')!)).toMatchObject({
      loadable: false,
      notLoadableReason: expect.stringContaining('put a comment on a line of its own') as string,
    });
  });

  it.each([
    ['rolecall credential-process --profile prod', 'prod'],
    ['/usr/local/bin/rolecall credential-process --profile=prod', 'prod'],
    [
      '"/Applications/Rolecall.app/Contents/MacOS/Rolecall" credential-process --profile prod',
      'prod',
    ],
    ['node /opt/rolecall/out/main/cli.js credential-process --profile prod', 'prod'],
    ['npx rolecall credential-process', 'the profile it names'],
  ])(
    "says a profile running Rolecall's own helper cannot be loaded: %s",
    async (command, target) => {
      const catalog = await load({ config: ['[profile via]', `credential_process = ${command}`] });
      expect(toProfileInfo(byName(catalog, 'via')!)).toEqual({
        name: 'via',
        kind: 'credential_process',
        loadable: false,
        notLoadableReason: `its credential_process is Rolecall's own helper (\`rolecall credential-process\`), which asks Rolecall for credentials instead of giving it any; load ${target} instead`,
      });
    },
  );

  it('loads commands that only mention Rolecall or the helper', async () => {
    const catalog = await load({
      config: [
        '[profile a]',
        'credential_process = /bin/rolecall-export --profile dev',
        '[profile b]',
        'credential_process = /bin/get-creds credential-process rolecall',
      ],
    });
    expect(catalog.profiles.map((profile) => toProfileInfo(profile).loadable)).toEqual([
      true,
      true,
    ]);
  });

  it('says a setting written as an indented block is no value', async () => {
    const catalog = await load({
      config: [
        '[profile dev]',
        'credential_process =',
        '    /bin/creds = dev',
        'region = eu-west-1',
      ],
    });
    expect(byName(catalog, 'dev')).toEqual({
      name: 'dev',
      kind: 'unsupported',
      region: 'eu-west-1',
      reason:
        'its credential_process has no value on its own line but indented `name = value` lines below it, which the AWS CLI reads as sub-settings, not as a value; put the value on the credential_process line',
    });
  });

  it('gives every section the settings of [DEFAULT], as the AWS CLI does, and says so', async () => {
    const catalog = await load({
      config: [
        '[DEFAULT]',
        'region = eu-west-1',
        '[profile a]',
        'credential_process = /bin/a',
        '[profile b]',
        'credential_process = /bin/b',
        'region = us-east-2',
      ],
    });
    expect(catalog.profiles.map((p) => [p.name, p.region])).toEqual([
      ['a', 'eu-west-1'],
      ['b', 'us-east-2'],
    ]);
    expect(catalog.warnings).toEqual([
      expect.stringContaining(
        `${configFile} line 1: [DEFAULT] gives its settings to every other section`,
      ),
    ]);
  });

  it('refuses a [DEFAULT] that would give every profile a source of credentials', async () => {
    const catalog = await load({
      config: ['[profile sso]', 'sso_session = corp'],
      credentials: ['[DEFAULT]', 'region = x', 'credential_process = /bin/everyone', '[dev]'],
    });
    expect(catalog.profiles).toEqual([]);
    expect(catalog.refusals).toEqual([
      `${credentialsFile} line 3: [DEFAULT] sets credential_process, which the AWS CLI gives to every profile in this file, so a profile's credentials could come from a source it does not name. Move credential_process into the profiles that use it; until then Rolecall loads no profile and makes no request to AWS.`,
    ]);
  });

  it('reads the other file when one is missing', async () => {
    const catalog = await load({ credentials: ['[only]', 'credential_process = /bin/x'] });
    expect(catalog.profiles.map((p) => p.name)).toEqual(['only']);
    expect(catalog.warnings).toEqual([]);
  });

  it('warns, naming the file, when a file is there but cannot be read', async () => {
    await mkdir(configFile);
    const catalog = await load({ credentials: ['[ci]', 'credential_process = /bin/x'] });
    expect(catalog.warnings).toEqual([
      `Could not read the AWS config file ${configFile}: it is a directory, not a file. Its profiles are not listed.`,
    ]);
    expect(catalog.profiles.map((p) => p.name)).toEqual(['ci']);
  });

  it('uses AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE when no paths are given', async () => {
    await write({
      config: ['[profile from-env]', 'credential_process = /bin/env-creds'],
      credentials: ['[cred-env]', 'credential_process = /bin/cred-env'],
    });
    vi.stubEnv('AWS_CONFIG_FILE', configFile);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentialsFile);
    const catalog = await loadProfiles();
    expect(catalog.profiles.map((p) => p.name)).toEqual(['cred-env', 'from-env']);
    expect(catalog.files).toEqual({ configFile, credentialsFile });
  });

  it('prefers explicit paths over the environment', async () => {
    await write({ config: ['[profile explicit]', 'credential_process = /bin/x'] });
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'elsewhere'));
    const catalog = await loadProfiles({ configFile, credentialsFile });
    expect(catalog.profiles.map((p) => p.name)).toEqual(['explicit']);
  });

  it('defaults to ~/.aws/config and ~/.aws/credentials, expanding a leading ~/', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(join(home, '.aws', 'config'), '[profile home]\ncredential_process = /bin/h\n');
    vi.stubEnv('HOME', home);
    vi.stubEnv('AWS_CONFIG_FILE', '');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '');
    const byDefault = await loadProfiles();
    expect(byDefault.files).toEqual({
      configFile: join(home, '.aws', 'config'),
      credentialsFile: join(home, '.aws', 'credentials'),
    });
    expect(byDefault.profiles.map((p) => p.name)).toEqual(['home']);
    const tilde = await loadProfiles({ configFile: '~/.aws/config' });
    expect(tilde.files.configFile).toBe(join(home, '.aws', 'config'));
    expect(tilde.profiles.map((p) => p.name)).toEqual(['home']);
  });

  it('sees changes to the files on every call', async () => {
    await write({
      config: [
        '[profile a]',
        'sso_session = s',
        '[sso-session s]',
        'sso_start_url = https://one.awsapps.com/start',
        'sso_region = us-east-1',
      ],
    });
    expect(byName(await loadProfiles({ configFile, credentialsFile }), 'a')).toMatchObject({
      startUrl: 'https://one.awsapps.com/start',
    });
    await write({
      config: [
        '[profile a]',
        'sso_session = s',
        '[sso-session s]',
        'sso_start_url = https://two.awsapps.com/start',
        'sso_region = us-east-1',
        '[profile b]',
        'credential_process = /bin/b',
      ],
    });
    const catalog = await loadProfiles({ configFile, credentialsFile });
    expect(byName(catalog, 'a')).toMatchObject({ startUrl: 'https://two.awsapps.com/start' });
    expect(catalog.ssoSessions[0]?.startUrl).toBe('https://two.awsapps.com/start');
    expect(byName(catalog, 'b')).toBeDefined();
  });

  describe('sso-session problems', () => {
    it('lists a profile whose sso-session is missing as unsupported, with a warning', async () => {
      const catalog = await load({
        config: ['[profile lost]', 'sso_session = nowhere', 'sso_account_id = 123456789012'],
      });
      expect(byName(catalog, 'lost')).toEqual({
        name: 'lost',
        kind: 'unsupported',
        reason: `its sso_session nowhere has no [sso-session nowhere] section in ${configFile}`,
      });
      expect(catalog.warnings).toEqual([
        `Profile lost in ${configFile} names sso_session nowhere, but there is no [sso-session nowhere] section in ${configFile}.`,
      ]);
      expect(toProfileInfo(byName(catalog, 'lost')!)).toMatchObject({
        loadable: false,
        notLoadableReason: expect.stringContaining('[sso-session nowhere]'),
      });
    });

    it('warns once about an incomplete sso-session, and lists its profiles as unsupported', async () => {
      const catalog = await load({
        config: [
          '[profile one]',
          'sso_session = half',
          '[profile two]',
          'sso_session = half',
          '[sso-session half]',
          'sso_start_url = https://corp.awsapps.com/start',
        ],
      });
      expect(catalog.warnings).toEqual([
        `[sso-session half] in ${configFile} has no sso_region; profiles that use it can't sign in.`,
      ]);
      expect(catalog.ssoSessions).toEqual([]);
      for (const name of ['one', 'two']) {
        expect(byName(catalog, name)).toMatchObject({
          kind: 'unsupported',
          reason: 'its [sso-session half] has no sso_region',
        });
      }
    });

    it('refuses a profile that contradicts its sso-session, as the SDK does', async () => {
      const catalog = await load({
        config: [
          '[profile mixed]',
          'sso_session = corp',
          'sso_region = us-west-2',
          '[sso-session corp]',
          'sso_start_url = https://corp.awsapps.com/start',
          'sso_region = eu-west-1',
        ],
      });
      expect(byName(catalog, 'mixed')).toMatchObject({
        kind: 'unsupported',
        reason: 'its sso_region differs from the one in [sso-session corp]',
      });
      expect(catalog.warnings).toEqual([expect.stringContaining('Profile mixed')]);
    });

    it('does not list sso-session or services sections as profiles', async () => {
      const catalog = await load({
        config: [
          '[sso-session corp]',
          'sso_start_url = https://corp.awsapps.com/start',
          'sso_region = eu-west-1',
          '[services local]',
          's3 =',
          '  endpoint_url = http://localhost:4566',
        ],
      });
      expect(catalog.profiles).toEqual([]);
      expect(catalog.ssoSessions.map((s) => s.name)).toEqual(['corp']);
    });
  });

  describe('odd names', () => {
    it('keeps dots, slashes and other characters the SDK accepts', async () => {
      const names = ['team.dev', 'org/team/dev', 'me@corp', 'a:b+c%d', 'under_score-dash'];
      const catalog = await load({
        config: names.flatMap((name) => [`[profile ${name}]`, `credential_process = /bin/${name}`]),
      });
      expect(catalog.profiles.map((p) => p.name)).toEqual([...names].sort());
      expect(catalog.warnings).toEqual([]);
      expect(findProfile(catalog, 'org/team/dev')).toMatchObject({
        credentialProcess: '/bin/org/team/dev',
      });
    });

    it('lists every name the AWS CLI accepts, and says why a section that looks like one is not', async () => {
      const catalog = await load({
        config: [
          '[profile café]',
          'credential_process = /bin/cafe',
          '[profile "with space"]',
          'credential_process = /bin/space',
          '[profile 日本]',
          'region = x',
          '[profile ..]',
          'region = x',
          '[profile 100%]',
          'region = x',
          '[profile sso-session.x]',
          'region = x',
          '[profile with space]',
          'region = x',
          '[plain]',
          'credential_process = /bin/plain',
          '[profile.dotted]',
          'credential_process = /bin/dotted',
        ],
      });
      expect(catalog.profiles.map((p) => p.name)).toEqual([
        '..',
        '100%',
        'café',
        'sso-session.x',
        'with space',
        '日本',
      ]);
      expect(byName(catalog, 'with space')).toMatchObject({ credentialProcess: '/bin/space' });
      expect(catalog.warnings).toEqual([
        `${configFile} line 13: \`[profile with space]\` is not read as a profile: the AWS CLI splits the name at spaces. Write a name with spaces in quotes, [profile "with space"].`,
        `${configFile} line 15: \`[plain]\` is not a profile: in the config file, profiles are written [profile plain] (only [default] goes without the word profile).`,
        `${configFile} line 17: \`[profile.dotted]\` is not read as a profile by the AWS CLI. Write [profile dotted].`,
      ]);
    });

    it('lists a name Rolecall cannot serve under as not loadable, and warns each time', async () => {
      const catalog = await load({
        config: [
          '[profile ""]',
          'credential_process = /bin/nameless',
          '[profile "tab\there"]',
          'credential_process = /bin/tab',
        ],
      });
      expect(catalog.profiles.map((p) => toProfileInfo(p))).toEqual([
        {
          name: '',
          kind: 'credential_process',
          loadable: false,
          notLoadableReason:
            'its name is empty; Rolecall serves no profile under such a name (rename it in your AWS config)',
        },
        {
          name: 'tab\there',
          kind: 'credential_process',
          loadable: false,
          notLoadableReason:
            'its name contains control characters (such as a tab); Rolecall serves no profile under such a name (rename it in your AWS config)',
        },
      ]);
      // `rolecall load` (and every other door) refuses such a name in the same words.
      for (const profile of catalog.profiles) {
        const refused = profileNameSchema.safeParse(profile.name);
        expect(refused.error?.issues.map((issue) => issue.message)).toEqual([
          toProfileInfo(profile).notLoadableReason!.replace(/^its name /, 'profile name '),
        ]);
      }
      expect(catalog.warnings).toEqual([
        `${configFile} line 1: profile "" cannot be loaded: its name is empty; Rolecall serves no profile under such a name (rename it in your AWS config).`,
        `${configFile} line 3: profile "tab\\there" cannot be loaded: its name contains control characters (such as a tab); Rolecall serves no profile under such a name (rename it in your AWS config).`,
      ]);
    });

    it('reads credentials-file names as written: non-ASCII, spaces, even the word profile', async () => {
      const catalog = await load({
        credentials: [
          '[café]',
          'credential_process = /bin/cafe',
          '[日本]',
          'aws_access_key_id = A',
          '[with space]',
          'aws_access_key_id = A',
          'aws_secret_access_key = B',
          '[profile x]',
          'credential_process = /bin/x',
        ],
      });
      expect(catalog.profiles.map((p) => [p.name, p.kind])).toEqual([
        ['café', 'credential_process'],
        ['profile x', 'credential_process'],
        ['with space', 'static'],
        ['日本', 'static'],
      ]);
      expect(catalog.warnings).toEqual([expect.stringContaining('Write `[x]` there.')]);
    });
  });

  describe('files Rolecall refuses', () => {
    const refusal = (file: string, line: number, rest: string) =>
      `${file} line ${line}: ${rest}; until then Rolecall loads no profile and makes no request to AWS.`;

    it('refuses a broken header rather than fold its settings into the profile above', async () => {
      const catalog = await load({
        config: [
          '[profile slow]',
          'credential_process = /bin/slow',
          '[profile broken',
          'credential_process = /bin/BROKEN',
        ],
        credentials: ['[other]', 'credential_process = /bin/other'],
      });
      const sentence = refusal(
        configFile,
        3,
        '`[profile broken` is not a section header (it has no closing `]`). The AWS CLI refuses this file too. Fix the line',
      );
      expect(catalog).toEqual({
        profiles: [],
        ssoSessions: [],
        warnings: [],
        refusals: [sentence],
        files: { configFile, credentialsFile },
      });
      // Every name fails with the refusal, even one from the file that reads well.
      for (const name of ['slow', 'other', 'nosuch']) {
        expect(() => findProfile(catalog, name)).toThrow(
          expect.objectContaining({ code: 'aws-file-refused', status: 409, message: sentence }),
        );
      }
    });

    it('refuses a file the AWS SDK inside Rolecall cannot read safely, without letting it try', async () => {
      const keys = Object.keys;
      const call = Object.prototype.hasOwnProperty.call;
      const catalog = await load({
        config: ['[profile dev]', 'credential_process = /bin/dev'],
        credentials: ['[ci]', '[constructor]', 'keys = x', '[hasOwnProperty]', 'call = y'],
      });
      expect(Object.keys).toBe(keys);
      expect(Object.prototype.hasOwnProperty.call).toBe(call);
      expect(catalog.profiles).toEqual([]);
      expect(catalog.refusals).toEqual([
        refusal(
          credentialsFile,
          2,
          '`[constructor]` is a section the AWS SDK inside Rolecall cannot read safely (it is named after a JavaScript built-in). Rename or remove that section',
        ),
      ]);
    });

    it('names both files when both are refused, and quotes no secret', async () => {
      await writeFile(
        credentialsFile,
        '[dev]\raws_secret_access_key = joined-line-secret\r[x]\nregion = y\n',
      );
      await writeFile(
        configFile,
        '[\raws_access_key_id = joined-key-secret\r[sso-session default]\n[profile ok]\nregion = z\n',
      );
      const catalog = await loadProfiles({ configFile, credentialsFile });
      expect(catalog.profiles).toEqual([]);
      expect(catalog.refusals).toEqual([
        refusal(
          configFile,
          1,
          '`[` is not a section header (it has no closing `]`). The AWS CLI refuses this file too. Fix the line',
        ),
        expect.stringMatching(
          new RegExp(`^${credentialsFile} line 1: a carriage return without a newline`),
        ),
      ]);
      expect(JSON.stringify(catalog)).not.toMatch(/secret/);
    });
  });
});

describe('findProfile', () => {
  it('returns the named profile', async () => {
    const catalog = await load({ config: ['[profile dev]', 'credential_process = /bin/dev'] });
    expect(findProfile(catalog, 'dev')).toBe(byName(catalog, 'dev'));
  });

  it('says where it looked and what to run when the profile is not there', async () => {
    const catalog = await load({ config: ['[profile dev]', 'credential_process = /bin/dev'] });
    let thrown: unknown;
    try {
      findProfile(catalog, 'prod');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SourceError);
    const error = thrown as SourceError;
    expect(error.failure).toBe('not-found');
    expect(error.profile).toBe('prod');
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      `There is no profile named prod in ${configFile} or ${credentialsFile}. Run \`rolecall profiles\` to see the profiles Rolecall can find.`,
    );
  });

  it('repeats the warnings that explain a missing profile', async () => {
    await mkdir(credentialsFile);
    const catalog = await load({
      config: [
        '[profile with space]',
        'credential_process = /bin/x',
        '[profile other]',
        'region = x',
      ],
    });
    expect(() => findProfile(catalog, 'with space')).toThrow(
      /\[profile with space\]` is not read as a profile.*Could not read the AWS credentials file.*rolecall profiles/,
    );
  });
});

describe('toProfileInfo', () => {
  it('marks every kind loadable, with what the UI shows of each', async () => {
    const catalog = await load({
      config: [
        '[profile proc]',
        'credential_process = /bin/p',
        'region = eu-west-1',
        'aws_account_id = 123456789012',
        '[profile sso]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Dev',
        '[profile legacy]',
        'sso_start_url = https://old.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_account_id = 444455556666',
        'sso_role_name = Ops',
        '[profile role]',
        'role_arn = arn:aws:iam::123456789012:role/R',
        'source_profile = proc',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-west-1',
      ],
      credentials: ['[keys]', 'aws_access_key_id = AKIAKEYS', 'aws_secret_access_key = shh'],
    });
    const infos = Object.fromEntries(catalog.profiles.map((p) => [p.name, toProfileInfo(p)]));
    expect(infos).toEqual({
      proc: {
        name: 'proc',
        kind: 'credential_process',
        loadable: true,
        region: 'eu-west-1',
        accountId: '123456789012',
      },
      sso: {
        name: 'sso',
        kind: 'sso',
        loadable: true,
        ssoSession: 'corp',
        ssoStartUrl: 'https://corp.awsapps.com/start',
        accountId: '111122223333',
        roleName: 'Dev',
      },
      legacy: {
        name: 'legacy',
        kind: 'sso-legacy',
        loadable: true,
        ssoStartUrl: 'https://old.awsapps.com/start',
        accountId: '444455556666',
        roleName: 'Ops',
      },
      role: {
        name: 'role',
        kind: 'assume-role',
        loadable: true,
        roleArn: 'arn:aws:iam::123456789012:role/R',
        accountId: '123456789012',
        roleName: 'R',
        sourceProfile: 'proc',
        chain: ['proc'],
      },
      keys: { name: 'keys', kind: 'static', loadable: true, keysIn: 'credentials-file' },
    });
  });
});
