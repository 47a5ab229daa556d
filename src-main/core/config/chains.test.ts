import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../../src-shared/profile';
import { loadProfiles, toProfileInfo, type ProfileCatalog, type ProfileConfig } from './profiles';

/**
 * Real-world configs, every kind and every way a chain of source_profile can go: what Rolecall
 * shows for each profile, and where each role's own credentials come from.
 */

let dir: string;
let files: { configFile: string; credentialsFile: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-chains-'));
  files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ALICE_MFA = 'arn:aws:iam::111111111111:mfa/alice';
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

async function catalogOf(
  config: string[],
  credentials: string[] = [],
  keychain: string[] = [],
): Promise<ProfileCatalog> {
  await writeFile(files.configFile, config.join('\n') + '\n');
  await writeFile(files.credentialsFile, credentials.join('\n') + '\n');
  return loadProfiles(files, keychain);
}

function infoOf(catalog: ProfileCatalog, name: string): ProfileInfo {
  const profile = catalog.profiles.find((candidate) => candidate.name === name);
  if (!profile) throw new Error(`no profile ${name}`);
  return toProfileInfo(profile);
}

function configOf(catalog: ProfileCatalog, name: string): ProfileConfig {
  return catalog.profiles.find((candidate) => candidate.name === name)!;
}

const baseKeys = ['[base]', 'aws_access_key_id = AKIABASE', 'aws_secret_access_key = base-secret'];

describe('assumed roles', () => {
  it('loads the aws-vault shape: keys with MFA, a role made from them, MFA asked once', async () => {
    const catalog = await catalogOf(
      [
        '[profile base]',
        `mfa_serial = ${ALICE_MFA}`,
        'region = eu-west-1',
        '[profile admin]',
        'source_profile = base',
        `role_arn = ${role('222222222222', 'Admin')}`,
        `mfa_serial = ${ALICE_MFA}`,
        'role_session_name = alice',
        'external_id = partner-42',
        'duration_seconds = 3600',
        'region = us-east-1',
        'sts_regional_endpoints = regional',
      ],
      baseKeys,
    );
    expect(infoOf(catalog, 'base')).toEqual({
      name: 'base',
      kind: 'static',
      loadable: true,
      region: 'eu-west-1',
      keysIn: 'credentials-file',
      mfaSerial: ALICE_MFA,
    });
    // The session of base carries alice's MFA, so admin's AssumeRole asks no code of its own.
    expect(infoOf(catalog, 'admin')).toEqual({
      name: 'admin',
      kind: 'assume-role',
      loadable: true,
      region: 'us-east-1',
      roleArn: role('222222222222', 'Admin'),
      accountId: '222222222222',
      roleName: 'Admin',
      sourceProfile: 'base',
      chain: ['base'],
    });
    expect(configOf(catalog, 'admin')).toMatchObject({
      source: { kind: 'parent', profile: 'base', mfaCarried: true },
      roleSessionName: 'alice',
      externalId: 'partner-42',
      durationSeconds: 3600,
      stsRegionalEndpoints: 'regional',
      mfa: { serial: ALICE_MFA, from: 'admin' },
    });
  });

  it("gives a key profile's session the MFA device its roles agree on, and not when they differ", async () => {
    const roles = (serials: string[]) =>
      serials.flatMap((serial, index) => [
        `[profile role${index}]`,
        'source_profile = base',
        `role_arn = ${role('222222222222', `R${index}`)}`,
        `mfa_serial = ${serial}`,
        ...(index === 1 ? ['mfa_process = ykman oath accounts code --single aws'] : []),
      ]);
    const agreeing = await catalogOf(roles([ALICE_MFA, ALICE_MFA]), baseKeys);
    expect(configOf(agreeing, 'base')).toMatchObject({
      sessionMfa: {
        serial: ALICE_MFA,
        from: 'role1',
        process: 'ykman oath accounts code --single aws',
      },
    });
    expect(infoOf(agreeing, 'base').mfaSerial).toBe(ALICE_MFA);
    expect(infoOf(agreeing, 'role0').mfaSerial).toBeUndefined();

    const differing = await catalogOf(roles([ALICE_MFA, 'arn:aws:iam::1:mfa/bob']), baseKeys);
    expect(configOf(differing, 'base')).not.toHaveProperty('sessionMfa');
    expect(infoOf(differing, 'role0').mfaSerial).toBe(ALICE_MFA);
    expect(configOf(differing, 'role0')).toMatchObject({
      source: { kind: 'parent', profile: 'base', mfaCarried: false },
    });
  });

  it("gives a key profile's session its own mfa_serial and mfa_process, with no role made from it", async () => {
    const catalog = await catalogOf(
      [
        '[profile ci]',
        `mfa_serial = ${ALICE_MFA}`,
        'mfa_process = ykman oath accounts code --single ci',
      ],
      ['[ci]', 'aws_access_key_id = AKIACI', 'aws_secret_access_key = ci-secret'],
    );
    expect(configOf(catalog, 'ci')).toMatchObject({
      sessionMfa: {
        serial: ALICE_MFA,
        from: 'ci',
        process: 'ykman oath accounts code --single ci',
      },
    });
    expect(infoOf(catalog, 'ci').mfaSerial).toBe(ALICE_MFA);
    // Keys pasted with their session token are a session already: no code can be added to it.
    const pasted = await catalogOf(
      ['[profile ci]', `mfa_serial = ${ALICE_MFA}`],
      ['[ci]', 'aws_access_key_id = ASIACI', 'aws_secret_access_key = s', 'aws_session_token = t'],
    );
    expect(configOf(pasted, 'ci')).not.toHaveProperty('sessionMfa');
  });

  it('follows chains of any depth over keys, IAM Identity Center and credential_process', async () => {
    const catalog = await catalogOf(
      [
        '[profile ops]',
        'source_profile = base',
        `role_arn = ${role('333333333333', 'Ops')}`,
        '[profile mid]',
        'source_profile = ops',
        `role_arn = ${role('444444444444', 'Mid')}`,
        '[profile admin]',
        'source_profile = mid',
        `role_arn = ${role('555555555555', 'Admin')}`,
        '[profile sso]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Dev',
        '[profile deploy]',
        'source_profile = sso',
        `role_arn = ${role('666666666666', 'Deploy')}`,
        '[profile proc]',
        "credential_process = /bin/get-creds --user 'me'",
        '[profile from-proc]',
        'source_profile = proc',
        `role_arn = ${role('777777777777', 'FromProc')}`,
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-west-1',
      ],
      baseKeys,
    );
    expect(infoOf(catalog, 'admin')).toMatchObject({
      loadable: true,
      sourceProfile: 'mid',
      chain: ['mid', 'ops', 'base'],
    });
    expect(configOf(catalog, 'admin')).toMatchObject({
      source: { kind: 'parent', profile: 'mid', mfaCarried: false },
    });
    expect(infoOf(catalog, 'deploy')).toMatchObject({ loadable: true, chain: ['sso'] });
    expect(infoOf(catalog, 'from-proc')).toMatchObject({ loadable: true, chain: ['proc'] });
  });

  it('uses the keys beside a role whose source_profile is itself, and refuses it without keys', async () => {
    const catalog = await catalogOf(
      [
        '[profile self]',
        'source_profile = self',
        `role_arn = ${role('222222222222', 'Self')}`,
        '[profile lonely]',
        'source_profile = lonely',
        `role_arn = ${role('222222222222', 'Lonely')}`,
      ],
      ['[self]', 'aws_access_key_id = AKIASELF', 'aws_secret_access_key = self-secret'],
    );
    expect(configOf(catalog, 'self')).toMatchObject({
      source: { kind: 'keys', profile: 'self', keysIn: 'credentials-file' },
      chain: ['self'],
    });
    expect(infoOf(catalog, 'self')).toMatchObject({ loadable: true, keysIn: 'credentials-file' });
    expect(infoOf(catalog, 'lonely')).toMatchObject({
      loadable: false,
      notLoadableReason:
        'its source_profile settings loop: lonely → lonely; point one of them at a profile with credentials of its own',
    });
  });

  it("signs with a source profile's keys when it also assumes a role, as the AWS CLI does", async () => {
    const catalog = await catalogOf(
      [
        '[profile hybrid]',
        'source_profile = base',
        `role_arn = ${role('222222222222', 'Hybrid')}`,
        '[profile child]',
        'source_profile = hybrid',
        `role_arn = ${role('333333333333', 'Child')}`,
      ],
      [...baseKeys, '[hybrid]', 'aws_access_key_id = AKIAHYB', 'aws_secret_access_key = hyb'],
    );
    // hybrid on its own assumes its role from base; as child's source it gives its keys.
    expect(configOf(catalog, 'hybrid')).toMatchObject({
      source: { kind: 'parent', profile: 'base' },
    });
    expect(configOf(catalog, 'child')).toMatchObject({
      source: { kind: 'keys', profile: 'hybrid', keysIn: 'credentials-file' },
      chain: ['hybrid'],
    });
  });

  it('names the loop, from every profile that leads into it', async () => {
    const catalog = await catalogOf([
      '[profile a]',
      'source_profile = b',
      `role_arn = ${role('111111111111', 'A')}`,
      '[profile b]',
      'source_profile = a',
      `role_arn = ${role('111111111111', 'B')}`,
      '[profile c]',
      'source_profile = a',
      `role_arn = ${role('111111111111', 'C')}`,
    ]);
    const reasons = ['a', 'b', 'c'].map((name) => infoOf(catalog, name).notLoadableReason);
    expect(reasons).toEqual([
      'its source_profile settings loop: a → b → a; point one of them at a profile with credentials of its own',
      'its source_profile settings loop: b → a → b; point one of them at a profile with credentials of its own',
      'its source_profile settings loop: c → a → b → a; point one of them at a profile with credentials of its own',
    ]);
  });

  it('says which link of a broken chain is broken, and why', async () => {
    const catalog = await catalogOf([
      '[profile orphan]',
      'source_profile = nowhere',
      `role_arn = ${role('111111111111', 'Orphan')}`,
      '[profile ops]',
      'source_profile = nowhere',
      `role_arn = ${role('111111111111', 'Ops')}`,
      '[profile admin]',
      'source_profile = ops',
      `role_arn = ${role('111111111111', 'Admin')}`,
      '[profile top]',
      'source_profile = admin',
      `role_arn = ${role('111111111111', 'Top')}`,
      '[profile signed-out]',
      'sso_session = corp',
      '[profile via-sso]',
      'source_profile = signed-out',
      `role_arn = ${role('111111111111', 'ViaSso')}`,
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = eu-west-1',
    ]);
    const missing = `its source_profile nowhere is not a profile in ${files.configFile} or ${files.credentialsFile}, nor one whose keys are in the keychain`;
    expect(infoOf(catalog, 'orphan').notLoadableReason).toBe(missing);
    expect(infoOf(catalog, 'admin').notLoadableReason).toBe(
      `its source_profile ops cannot be loaded: ${missing}`,
    );
    expect(infoOf(catalog, 'top').notLoadableReason).toBe(
      `its chain top ← admin ← ops breaks at ops: ${missing}`,
    );
    expect(infoOf(catalog, 'via-sso').notLoadableReason).toBe(
      'its source_profile signed-out cannot be loaded: it names no sso_account_id and sso_role_name; sign in with `rolecall login` to list its roles',
    );
  });

  it('refuses what the AWS CLI refuses, and what cannot work, in words', async () => {
    const arn = role('111111111111', 'R');
    const catalog = await catalogOf([
      '[profile both]',
      `role_arn = ${arn}`,
      'source_profile = x',
      'credential_source = Environment',
      '[profile neither]',
      `role_arn = ${arn}`,
      'credential_process = /bin/creds',
      '[profile bogus-source]',
      `role_arn = ${arn}`,
      'credential_source = environment',
      '[profile ecs]',
      `role_arn = ${arn}`,
      'credential_source = EcsContainer',
      '[profile too-long]',
      `role_arn = ${arn}`,
      'credential_source = Environment',
      'duration_seconds = 86400',
      '[profile bad-endpoints]',
      `role_arn = ${arn}`,
      'credential_source = Environment',
      'sts_regional_endpoints = global',
      '[profile bad-name]',
      `role_arn = ${arn}`,
      'credential_source = Environment',
      'role_session_name = has space',
      '[profile not-arn]',
      'role_arn = Admin',
      'credential_source = Environment',
    ]);
    const reasons = Object.fromEntries(
      catalog.profiles.map((profile) => [profile.name, toProfileInfo(profile).notLoadableReason]),
    );
    expect(reasons).toEqual({
      both: 'it sets both source_profile and credential_source, which the AWS CLI refuses too; keep the one its credentials should come from',
      neither:
        'it sets role_arn without source_profile or credential_source, which the AWS CLI refuses too; add source_profile naming the profile whose credentials assume the role',
      'bogus-source':
        'its credential_source "environment" is not one the AWS CLI knows (Environment, Ec2InstanceMetadata or EcsContainer, spelled exactly so)',
      ecs: 'its credential_source is EcsContainer, the container credentials endpoint, which on this machine is usually Rolecall itself; name the profile those credentials come from in source_profile instead',
      'too-long':
        "its duration_seconds 86400 is outside what AssumeRole accepts (900 to 43200 seconds, and no more than the role's maximum session duration)",
      'bad-endpoints':
        'its sts_regional_endpoints is "global", which the AWS CLI refuses too; use regional or legacy',
      'bad-name':
        'its role_session_name "has space" is not one STS accepts (2 to 64 letters, digits or the characters +=,.@_-)',
      'not-arn': `its role_arn "Admin" is not a role's ARN (arn:aws:iam::<account>:role/<name>)`,
    });
  });

  it('loads credential_source Environment and Ec2InstanceMetadata roles', async () => {
    const catalog = await catalogOf([
      '[profile env]',
      `role_arn = ${role('111111111111', 'Env')}`,
      'credential_source = Environment',
      '[profile ec2]',
      `role_arn = ${role('111111111111', 'Ec2')}`,
      'credential_source = Ec2InstanceMetadata',
    ]);
    expect(infoOf(catalog, 'env')).toMatchObject({
      loadable: true,
      credentialSource: 'Environment',
      chain: [],
    });
    expect(configOf(catalog, 'ec2')).toMatchObject({
      source: { kind: 'credential-source', name: 'Ec2InstanceMetadata' },
    });
  });

  it('ignores a duration_seconds that is no whole number, as the AWS CLI does, with a warning', async () => {
    const catalog = await catalogOf([
      '[profile r]',
      `role_arn = ${role('111111111111', 'R')}`,
      'credential_source = Environment',
      'duration_seconds = 1h',
    ]);
    expect(infoOf(catalog, 'r').loadable).toBe(true);
    expect(configOf(catalog, 'r')).not.toHaveProperty('durationSeconds');
    expect(catalog.warnings).toEqual([
      `Profile r in ${files.configFile} sets duration_seconds to "1h", which is not a whole number of seconds; the AWS CLI ignores it, and so does Rolecall (the role's default, 1 hour, applies).`,
    ]);
  });
});

describe('long-lived keys', () => {
  it('finds keys kept in the keychain, for profiles no file names too', async () => {
    const catalog = await catalogOf(
      [
        '[profile base]',
        'region = eu-west-1',
        '[profile admin]',
        'source_profile = vaulted',
        `role_arn = ${role('222222222222', 'Admin')}`,
      ],
      ['[base]', 'aws_access_key_id = AKIAOLD', 'aws_secret_access_key = old'],
      ['base', 'vaulted'],
    );
    expect(configOf(catalog, 'base')).toEqual({
      name: 'base',
      kind: 'static',
      region: 'eu-west-1',
      keysIn: 'keychain',
      // Imported without --remove: the file still holds them, which a load warns about.
      definedIn: files.credentialsFile,
    });
    expect(infoOf(catalog, 'vaulted')).toEqual({
      name: 'vaulted',
      kind: 'static',
      loadable: true,
      keysIn: 'keychain',
    });
    expect(infoOf(catalog, 'admin')).toMatchObject({ loadable: true, chain: ['vaulted'] });
  });

  it('refuses half a key pair in words', async () => {
    const catalog = await catalogOf(
      ['[profile split]', 'aws_secret_access_key = in-config'],
      ['[split]', 'aws_access_key_id = AKIASPLIT', '[lone-secret]', 'aws_secret_access_key = s'],
    );
    expect(infoOf(catalog, 'split').notLoadableReason).toBe(
      `its aws_access_key_id in ${files.credentialsFile} has no aws_secret_access_key beside it, which the AWS CLI refuses too; add it, or store both keys in the keychain with \`rolecall keys add split\``,
    );
    expect(infoOf(catalog, 'lone-secret').notLoadableReason).toBe(
      'it has an aws_secret_access_key without its aws_access_key_id in the same file, which the AWS CLI ignores; put both keys in one section, or move them into the keychain with `rolecall keys add lone-secret`',
    );
  });
});

describe('web identity and aws login', () => {
  it('loads web identity and login_session profiles, and says what stops one', async () => {
    const catalog = await catalogOf([
      '[profile ci]',
      `role_arn = ${role('111111111111', 'Ci')}`,
      'web_identity_token_file = /var/run/secrets/token',
      'role_session_name = ci-run',
      '[profile tokenless-role]',
      'web_identity_token_file = /var/run/secrets/token',
      '[profile console]',
      'login_session = arn:aws:iam::111111111111:user/alice',
      'region = eu-west-1',
      '[profile "console two"]',
      'login_session = arn:aws:iam::111111111111:user/alice',
    ]);
    expect(configOf(catalog, 'ci')).toEqual({
      name: 'ci',
      kind: 'web-identity',
      roleArn: role('111111111111', 'Ci'),
      tokenFile: '/var/run/secrets/token',
      roleSessionName: 'ci-run',
      definedIn: files.configFile,
    });
    expect(infoOf(catalog, 'tokenless-role').notLoadableReason).toBe(
      'it sets web_identity_token_file without role_arn, which the AWS CLI refuses too; add the role_arn of the role the token is for',
    );
    expect(infoOf(catalog, 'console')).toEqual({
      name: 'console',
      kind: 'login-session',
      loadable: true,
      region: 'eu-west-1',
    });
    expect(infoOf(catalog, 'console two')).toMatchObject({
      kind: 'login-session',
      loadable: false,
      notLoadableReason:
        'it uses an `aws login` session, which Rolecall renews through the AWS SDK, and the SDK\'s file reader does not read a profile named "console two" (it accepts letters, digits and - _ @ + . % : / only); rename the profile',
    });
  });
});
