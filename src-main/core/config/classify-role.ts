import type {
  AssumeRoleProfile,
  MfaDevice,
  ProfileConfig,
  WebIdentityProfile,
} from './profile-config';

type TextSettings = Readonly<Record<string, string | undefined>>;

/** The settings every profile kind starts from. */
export interface ProfileBase {
  name: string;
  region?: string;
}

/** The credential sources the AWS CLI knows by name, spelled exactly so (botocore compares as is). */
const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;

/** AssumeRole's bounds for DurationSeconds: 15 minutes to the longest a role may allow, 12 hours. */
export const ROLE_DURATION_SECONDS = { min: 900, max: 43_200 } as const;

/** An IAM role's ARN in any partition (aws, aws-cn, aws-us-gov…); STS checks the rest. */
const ROLE_ARN = /^arn:[\w-]+:iam::\d{12}:role\/\S+$/;

/** STS's pattern for RoleSessionName, so a bad one is refused before any call. */
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** What a role setting problem looks like, read after "Profile X cannot be loaded: ". */
type Problem = string;

interface RoleSettings {
  roleSessionName?: string;
  externalId?: string;
  durationSeconds?: number;
  mfa?: MfaDevice;
  stsRegionalEndpoints?: 'regional' | 'legacy';
}

/**
 * The settings of a role profile that shape its STS call, read as the AWS CLI reads them (always
 * from the role's own profile, never from its source_profile), or the first one that can't work.
 */
function readRoleSettings(
  name: string,
  merged: TextSettings,
  where: (key: string) => string,
): { settings: RoleSettings; problem?: Problem; warnings: string[] } {
  const settings: RoleSettings = {};
  const warnings: string[] = [];
  const sessionName = merged.role_session_name;
  if (sessionName !== undefined) {
    if (!ROLE_SESSION_NAME.test(sessionName)) {
      return {
        settings,
        warnings,
        problem: `its role_session_name ${JSON.stringify(sessionName)} is not one STS accepts (2 to 64 letters, digits or the characters +=,.@_-)`,
      };
    }
    settings.roleSessionName = sessionName;
  }
  if (merged.external_id !== undefined) settings.externalId = merged.external_id;
  const duration = merged.duration_seconds;
  if (duration !== undefined) {
    // botocore reads it with int() and ignores a value that is not a whole number.
    if (/^\s*\+?\d+\s*$/.test(duration)) {
      const seconds = Number(duration.trim());
      if (seconds < ROLE_DURATION_SECONDS.min || seconds > ROLE_DURATION_SECONDS.max) {
        return {
          settings,
          warnings,
          problem: `its duration_seconds ${seconds} is outside what AssumeRole accepts (${ROLE_DURATION_SECONDS.min} to ${ROLE_DURATION_SECONDS.max} seconds, and no more than the role's maximum session duration)`,
        };
      }
      settings.durationSeconds = seconds;
    } else {
      warnings.push(
        `${where('duration_seconds')} sets duration_seconds to ${JSON.stringify(duration)}, which is not a whole number of seconds; the AWS CLI ignores it, and so does Rolecall (the role's default, 1 hour, applies).`,
      );
    }
  }
  const mfa = mfaDevice(name, merged);
  if (mfa) settings.mfa = mfa;
  const endpoints = merged.sts_regional_endpoints;
  if (endpoints !== undefined) {
    if (endpoints !== 'regional' && endpoints !== 'legacy') {
      return {
        settings,
        warnings,
        problem: `its sts_regional_endpoints is ${JSON.stringify(endpoints)}, which the AWS CLI refuses too; use regional or legacy`,
      };
    }
    settings.stsRegionalEndpoints = endpoints;
  }
  return { settings, warnings };
}

/** The profile's own MFA device, if it names one. */
export function mfaDevice(name: string, merged: TextSettings): MfaDevice | undefined {
  const serial = merged.mfa_serial;
  if (serial === undefined || serial.trim() === '') return undefined;
  return {
    serial,
    from: name,
    ...(merged.mfa_process !== undefined && merged.mfa_process.trim() !== ''
      ? { process: merged.mfa_process }
      : {}),
  };
}

/**
 * `role_arn` without `web_identity_token_file`: the AWS CLI assumes the role, whatever else the
 * profile holds, and refuses the profile when it names neither or both of source_profile and
 * credential_source. Where the source credentials come from is decided later, by the chain pass,
 * which sees every profile.
 */
export function classifyAssumeRole(
  name: string,
  merged: TextSettings,
  base: ProfileBase,
  where: (key: string) => string,
  definedIn: string,
): { profile: ProfileConfig; warnings: string[] } {
  const roleArn = merged.role_arn!;
  const { source_profile: sourceProfile, credential_source: credentialSource } = merged;
  const read = readRoleSettings(name, merged, where);
  const profile: AssumeRoleProfile = {
    ...base,
    kind: 'assume-role',
    roleArn,
    definedIn,
    ...(sourceProfile !== undefined ? { sourceProfile } : {}),
    ...(credentialSource !== undefined ? { credentialSource } : {}),
    ...read.settings,
  };
  const refuse = (reason: string) => ({
    profile: { ...profile, notLoadableReason: reason },
    warnings: read.warnings,
  });
  if (!ROLE_ARN.test(roleArn)) {
    return refuse(
      `its role_arn ${JSON.stringify(roleArn)} is not a role's ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }
  if (sourceProfile !== undefined && credentialSource !== undefined) {
    return refuse(
      'it sets both source_profile and credential_source, which the AWS CLI refuses too; keep the one its credentials should come from',
    );
  }
  if (sourceProfile === undefined && credentialSource === undefined) {
    return refuse(
      'it sets role_arn without source_profile or credential_source, which the AWS CLI refuses too; add source_profile naming the profile whose credentials assume the role',
    );
  }
  if (credentialSource !== undefined) {
    if (!(CREDENTIAL_SOURCES as readonly string[]).includes(credentialSource)) {
      return refuse(
        `its credential_source ${JSON.stringify(credentialSource)} is not one the AWS CLI knows (Environment, Ec2InstanceMetadata or EcsContainer, spelled exactly so)`,
      );
    }
    if (credentialSource === 'EcsContainer') {
      return refuse(
        'its credential_source is EcsContainer, the container credentials endpoint, which on this machine is usually Rolecall itself; name the profile those credentials come from in source_profile instead',
      );
    }
  }
  if (read.problem !== undefined) return refuse(read.problem);
  return { profile, warnings: read.warnings };
}

/**
 * `web_identity_token_file`: AssumeRoleWithWebIdentity with the token in that file, which the AWS
 * CLI requires a role_arn for. Of the role settings it reads only role_session_name.
 */
export function classifyWebIdentity(
  name: string,
  merged: TextSettings,
  base: ProfileBase,
  definedIn: string,
): { profile: ProfileConfig; warnings: string[] } {
  const roleArn = merged.role_arn;
  if (roleArn === undefined || !ROLE_ARN.test(roleArn)) {
    return {
      profile: {
        ...base,
        kind: 'unsupported',
        reason:
          roleArn === undefined
            ? 'it sets web_identity_token_file without role_arn, which the AWS CLI refuses too; add the role_arn of the role the token is for'
            : `its role_arn ${JSON.stringify(roleArn)} is not a role's ARN (arn:aws:iam::<account>:role/<name>)`,
      },
      warnings: [],
    };
  }
  const profile: WebIdentityProfile = {
    ...base,
    kind: 'web-identity',
    roleArn,
    tokenFile: merged.web_identity_token_file!,
    definedIn,
  };
  const sessionName = merged.role_session_name;
  if (sessionName !== undefined) {
    if (!ROLE_SESSION_NAME.test(sessionName)) {
      profile.notLoadableReason = `its role_session_name ${JSON.stringify(sessionName)} is not one STS accepts (2 to 64 letters, digits or the characters +=,.@_-)`;
    } else profile.roleSessionName = sessionName;
  }
  const endpoints = merged.sts_regional_endpoints;
  if (endpoints === 'regional' || endpoints === 'legacy') profile.stsRegionalEndpoints = endpoints;
  else if (endpoints !== undefined) {
    profile.notLoadableReason = `its sts_regional_endpoints is ${JSON.stringify(endpoints)}, which the AWS CLI refuses too; use regional or legacy`;
  }
  return { profile, warnings: [] };
}
