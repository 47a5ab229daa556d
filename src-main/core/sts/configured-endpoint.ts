import { readAwsProfiles } from '../config/aws-file';
import { resolveProfileFiles } from '../config/config-paths';
import { readIni, type IniValue } from '../config/ini-reader';
import type { ProfileFiles } from '../config/profile-config';
import { configFileProfiles, type Settings } from '../config/profile-map';
import { readAwsFileSync } from '../config/read-aws-file';
import { shlexSplit } from '../config/shlex-split';
import { RolecallError } from '../errors';

/**
 * The STS endpoint a user configured for `profile`, found the way the AWS SDKs and botocore find
 * a service's configured endpoint, in their order:
 *
 * 1. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, else the profile's `ignore_configured_endpoint_urls`:
 *    when true, none (the regular STS endpoint);
 * 2. `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`;
 * 3. the profile's `services = <name>` section's `sts = endpoint_url = …`;
 * 4. the profile's `endpoint_url`.
 *
 * A `services` line naming no section is refused with a sentence: the SDK would quietly call
 * AWS's own endpoint, which is not what whoever wrote the line meant.
 *
 * The SDK for JavaScript reads steps 1, 3 and 4 from the profile named by `AWS_PROFILE` (or
 * `default`) whatever profile its client is made for, so one Rolecall loading many profiles would
 * send every profile's STS calls wherever `[default]` points. The AWS CLI uses the settings of the
 * profile it runs as, and so does this; the files are read with Rolecall's reader (which reads
 * them as the AWS CLI does), synchronously, once per client.
 */
export function configuredStsEndpoint(
  profile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  files: ProfileFiles = {},
): string | undefined {
  return configuredEndpoint(STS_ENDPOINT, profile, env, files);
}

/**
 * How the SDKs name a service's configured endpoint: `AWS_ENDPOINT_URL_<envSuffix>` and the
 * `<servicesKey>` sub-section of a `[services]` section (the service ID, upper case with `_`, and
 * lower case with `_`).
 */
export interface EndpointService {
  envSuffix: string;
  servicesKey: string;
}

export const STS_ENDPOINT: EndpointService = { envSuffix: 'STS', servicesKey: 'sts' };

/** A service's configured endpoint for `profile`, found as `configuredStsEndpoint` finds STS's. */
export function configuredEndpoint(
  service: EndpointService,
  profile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  files: ProfileFiles = {},
): string | undefined {
  const name = profile || env.AWS_PROFILE || 'default';
  const { configFile, credentialsFile } = resolveProfileFiles(files, env);
  const config = readConfigFile(configFile);
  // The SDK's merge: the config file's settings over the credentials file's.
  const settings = { ...credentialsSettings(credentialsFile, name), ...config.profiles.get(name) };

  const ignore =
    booleanSetting(
      env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS,
      'The environment variable AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    ) ??
    booleanSetting(
      text(settings.ignore_configured_endpoint_urls),
      `ignore_configured_endpoint_urls of profile ${name} in ${configFile}`,
    );
  if (ignore === true) return undefined;

  const fromEnv = env[`AWS_ENDPOINT_URL_${service.envSuffix}`] || env.AWS_ENDPOINT_URL;
  if (fromEnv) return fromEnv;

  const servicesName = text(settings.services);
  if (servicesName !== undefined) {
    const services = config.services.get(servicesName);
    if (!services) {
      throw new RolecallError(
        'aws-services-section-missing',
        `Profile ${name} names services ${servicesName}, but ${configFile} has no [services ${servicesName}] section. Add the section or remove the services line.`,
        409,
      );
    }
    const own = services[service.servicesKey];
    const url = own instanceof Map ? own.get('endpoint_url') : undefined;
    if (url) return url;
  }
  return text(settings.endpoint_url) || undefined;
}

interface ConfigFileSettings {
  profiles: Map<string, Settings>;
  /** `[services <name>]` sections by name, as botocore names them (shell-style split). */
  services: Map<string, Settings>;
}

function readConfigFile(path: string): ConfigFileSettings {
  const empty = { profiles: new Map(), services: new Map() };
  const file = readAwsFileSync(path);
  if (file.state !== 'read') return empty;
  const ini = readIni(file.bytes);
  // A refused file never gets here: the client factory refuses first (sdk-file-guard.ts).
  if (!ini.ok) return empty;
  const defined = configFileProfiles(path, ini.sections, ini.defaultsLine);
  if (!defined.ok) return empty;
  const services = new Map<string, Settings>();
  for (const section of ini.sections) {
    const words = shlexSplit(section.name);
    if (words?.length === 2 && words[0] === 'services') {
      services.set(
        words[1]!,
        Object.fromEntries([...section.options].map(([k, o]) => [k, o.value])),
      );
    }
  }
  return {
    profiles: new Map([...defined.profiles].map(([name, { settings }]) => [name, settings])),
    services,
  };
}

function credentialsSettings(path: string, name: string): Settings | undefined {
  const file = readAwsProfiles('credentials', path, readAwsFileSync(path));
  return file.state === 'read' ? file.profiles.get(name)?.settings : undefined;
}

function text(value: IniValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `true`/`false` as the SDK reads them (exactly those words); anything else is refused, but an
 * empty value counts as unset (the SDK refuses it too; botocore reads it as false, the default).
 */
function booleanSetting(value: string | undefined, what: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new RolecallError(
    'aws-setting-invalid',
    `${what} is ${JSON.stringify(value)}; write true or false.`,
    409,
  );
}
