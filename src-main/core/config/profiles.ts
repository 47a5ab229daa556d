import { RolecallError } from '../errors';
import { SourceError } from '../sources/source';
import { readAwsProfiles, type AwsFile, type AwsFileKind } from './aws-file';
import { resolveChains } from './chains';
import { classifyProfile, type ClassifiedProfile } from './classify-profile';
import { resolveProfileFiles } from './config-paths';
import { nameNotLoadable } from './profile-info';
import type { Defined, Settings } from './profile-map';
import type { ProfileCatalog, ProfileConfig, ProfileFiles } from './profile-config';
import { readAwsFile, readAwsFileSync } from './read-aws-file';
import { readSsoSessions } from './sso-sessions';

export type {
  AssumeRoleProfile,
  CredentialProcessProfile,
  LoginSessionProfile,
  LegacySsoProfile,
  ProfileCatalog,
  ProfileConfig,
  ProfileFiles,
  ResolvedProfileFiles,
  SsoProfile,
  SsoSessionConfig,
  StaticProfile,
  UnsupportedProfile,
  WebIdentityProfile,
} from './profile-config';
export { toProfileInfo } from './profile-info';

/**
 * Reads every profile in the AWS config and credentials files, afresh on each call, the way the
 * AWS CLI reads them (see ini-reader.ts), so Rolecall lists exactly the profiles the AWS CLI
 * knows, with the same settings. Missing files give an empty catalog and unreadable ones a
 * warning; a file Rolecall cannot read unambiguously is refused (`refusals`), and then nothing is
 * taken from either file, as the AWS CLI also uses neither. Never throws.
 *
 * `keychainProfiles`: the profiles whose long-lived keys Rolecall keeps in the keychain; they are
 * profiles with keys (the keys' place in the files), whether or not a file names them.
 */
export async function loadProfiles(
  options: ProfileFiles = {},
  keychainProfiles: readonly string[] = [],
): Promise<ProfileCatalog> {
  const files = resolveProfileFiles(options);
  const [config, credentials] = await Promise.all([
    readAwsFile(files.configFile),
    readAwsFile(files.credentialsFile),
  ]);
  return catalogOf(
    readAwsProfiles('config', files.configFile, config),
    readAwsProfiles('credentials', files.credentialsFile, credentials),
    files,
    new Set(keychainProfiles),
  );
}

/**
 * The refusals of the AWS files as they are now, read synchronously: for the check made just
 * before an AWS SDK client (which reads both files itself) is used.
 */
export function refusalsNow(options: ProfileFiles = {}): string[] {
  const files = resolveProfileFiles(options);
  const read = (which: AwsFileKind, path: string) =>
    readAwsProfiles(which, path, readAwsFileSync(path));
  return refusalsOf([read('config', files.configFile), read('credentials', files.credentialsFile)]);
}

function catalogOf(
  config: AwsFile,
  credentials: AwsFile,
  files: ProfileCatalog['files'],
  keychain: ReadonlySet<string>,
): ProfileCatalog {
  const refusals = refusalsOf([config, credentials]);
  if (config.state === 'refused' || credentials.state === 'refused') {
    return { profiles: [], ssoSessions: [], warnings: [], refusals, files };
  }
  const warnings = [...config.warnings, ...credentials.warnings];
  const sessions = readSsoSessions(settingsOf(config.ssoSessions), files.configFile);
  warnings.push(...sessions.warnings);

  const names = [
    ...new Set([...config.profiles.keys(), ...credentials.profiles.keys(), ...keychain]),
  ];
  const classified = new Map<string, ClassifiedProfile>();
  for (const name of names.sort(byCodeUnits)) {
    const configDefined = config.profiles.get(name);
    const credentialsDefined = credentials.profiles.get(name);
    const profile = classifyProfile(
      name,
      {
        ...(configDefined ? { config: configDefined.settings } : {}),
        ...(credentialsDefined ? { credentials: credentialsDefined.settings } : {}),
      },
      files,
      sessions,
      keychain.has(name),
    );
    classified.set(name, profile);
    warnings.push(...profile.warnings);
    const badName = nameNotLoadable(name);
    const defined = credentialsDefined ?? configDefined;
    if (badName !== null && defined) {
      const file = credentialsDefined ? files.credentialsFile : files.configFile;
      warnings.push(
        `${file} line ${defined.line}: profile ${JSON.stringify(name)} cannot be loaded: ${badName}.`,
      );
    }
  }
  const profiles = resolveChains(classified, files);

  return { profiles, ssoSessions: [...sessions.complete.values()], warnings, refusals, files };
}

function refusalsOf(files: AwsFile[]): string[] {
  return files.flatMap((file) => (file.state === 'refused' ? [file.refusal] : []));
}

function settingsOf(defined: ReadonlyMap<string, Defined>): Map<string, Settings> {
  return new Map([...defined].map(([name, { settings }]) => [name, settings]));
}

/** The error every use of a refused catalog fails with: the refusals, as they are. */
export function refusedFilesError(refusals: readonly string[]): RolecallError {
  return new RolecallError('aws-file-refused', refusals.join(' '), 409);
}

/** Throws `refusedFilesError` when either file is refused. */
export function assertReadable(catalog: ProfileCatalog): void {
  if (catalog.refusals.length > 0) throw refusedFilesError(catalog.refusals);
}

/**
 * The profile called `name`, or a not-found SourceError saying where Rolecall looked, repeating
 * the warnings that may explain why (an unreadable file, a section the AWS CLI does not read as
 * that profile). A refused file fails every name, with the refusal.
 */
export function findProfile(catalog: ProfileCatalog, name: string): ProfileConfig {
  assertReadable(catalog);
  const profile = catalog.profiles.find((candidate) => candidate.name === name);
  if (profile) return profile;
  const { configFile, credentialsFile } = catalog.files;
  const related = catalog.warnings.filter(
    (warning) =>
      warning.startsWith('Could not read') ||
      warning.includes(`[profile ${name}]`) ||
      warning.includes(`[profile.${name}]`) ||
      warning.includes(`[${name}]`),
  );
  throw new SourceError(
    name,
    'not-found',
    [
      `There is no profile named ${name} in ${configFile} or ${credentialsFile}.`,
      ...related,
      'Run `rolecall profiles` to see the profiles Rolecall can find.',
    ].join(' '),
  );
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
