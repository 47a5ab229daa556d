import { loadSharedConfigFiles, loadSsoSessionData } from '@smithy/shared-ini-file-loader';
import { SourceError } from '../sources/source';
import { classifyProfile } from './classify-profile';
import { resolveProfileFiles } from './config-paths';
import type { ProfileCatalog, ProfileConfig, ProfileFiles } from './profile-config';
import { readConfigText, type ConfigText } from './read-config-text';
import { sectionWarnings, type SectionReport } from './section-warnings';
import { readSsoSessions } from './sso-sessions';

export type {
  CredentialProcessProfile,
  LegacySsoProfile,
  ProfileCatalog,
  ProfileConfig,
  ProfileFiles,
  ResolvedProfileFiles,
  SsoProfile,
  SsoSessionConfig,
  StaticProfile,
  UnsupportedProfile,
} from './profile-config';
export { toProfileInfo } from './profile-info';

/**
 * Config-file keys that are not profiles: getConfigData in @smithy/core keeps [sso-session x] and
 * [services x] sections next to the profiles, as `sso-session.x` and `services.x`.
 */
const NON_PROFILE_PREFIXES = ['sso-session.', 'services.'];

/** A path that never names a file: the SDK's loader reads it as a missing file, with no sections. */
const NO_FILE = '';

/**
 * Reads every profile in the AWS config and credentials files, afresh on each call, with the AWS
 * SDK's own ini loader so Rolecall sees exactly the profiles the SDKs see. Missing files give an
 * empty catalog; unreadable files and sections the SDK skips become warnings, never exceptions.
 */
export async function loadProfiles(options: ProfileFiles = {}): Promise<ProfileCatalog> {
  const files = resolveProfileFiles(options);
  const [configText, credentialsText] = await Promise.all([
    readConfigText(files.configFile),
    readConfigText(files.credentialsFile),
  ]);
  const configReport = fileReport('config', files.configFile, configText);
  const credentialsReport = fileReport('credentials', files.credentialsFile, credentialsText);
  const warnings = [...configReport.warnings, ...credentialsReport.warnings];

  // A refused file is not given to the SDK at all: some of them would make its parser change
  // JavaScript built-ins (see sectionWarnings).
  const parsed = await loadSharedConfigFiles({
    configFilepath: configReport.refused ? NO_FILE : files.configFile,
    filepath: credentialsReport.refused ? NO_FILE : files.credentialsFile,
    ignoreCache: true,
  });
  // loadSsoSessionData has no ignoreCache: it reuses the read loadSharedConfigFiles just
  // refreshed for this same path, so both see the same version of the file.
  const sessions = readSsoSessions(
    configReport.refused ? {} : await loadSsoSessionData({ configFilepath: files.configFile }),
    files.configFile,
  );
  warnings.push(...sessions.warnings);

  const configSections = Object.fromEntries(
    Object.entries(parsed.configFile).filter(
      ([key]) => !NON_PROFILE_PREFIXES.some((prefix) => key.startsWith(prefix)),
    ),
  );
  const credentialsSections = parsed.credentialsFile;
  // A section such as [profile.] reaches the SDK's result with an empty name (sectionWarnings
  // says it is skipped); no profile setting or command could select it.
  const names = [
    ...new Set([...Object.keys(configSections), ...Object.keys(credentialsSections)]),
  ].filter((name) => name !== '');
  const profiles: ProfileConfig[] = [];
  for (const name of names.sort(byCodeUnits)) {
    const classified = classifyProfile(
      name,
      { config: configSections[name], credentials: credentialsSections[name] },
      files,
      sessions,
    );
    profiles.push(classified.profile);
    warnings.push(...classified.warnings);
  }

  return {
    profiles,
    ssoSessions: [...sessions.complete.values()],
    warnings,
    files,
  };
}

/**
 * The profile called `name`, or a not-found SourceError saying where Rolecall looked, repeating
 * the warnings that may explain why (an unreadable file, a section the SDK skipped).
 */
export function findProfile(catalog: ProfileCatalog, name: string): ProfileConfig {
  const profile = catalog.profiles.find((candidate) => candidate.name === name);
  if (profile) return profile;
  const { configFile, credentialsFile } = catalog.files;
  const related = catalog.warnings.filter(
    (warning) =>
      warning.startsWith('Could not read') ||
      warning.startsWith('The AWS SDK refuses') ||
      warning.startsWith('Rolecall does not read') ||
      warning.includes(`[profile ${name}]`) ||
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

function fileReport(
  which: 'config' | 'credentials',
  path: string,
  text: ConfigText,
): SectionReport {
  switch (text.state) {
    case 'missing':
      return { refused: false, warnings: [] };
    case 'unreadable':
      return {
        refused: false,
        warnings: [
          `Could not read the AWS ${which} file ${path}: ${text.problem}. Its profiles are not listed.`,
        ],
      };
    case 'read':
      return sectionWarnings(which, path, text.text);
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
