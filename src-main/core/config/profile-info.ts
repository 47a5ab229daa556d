import type { ProfileInfo } from '../../../src-shared/profile';
import { profileNameProblem, UNSERVABLE_NAME } from '../../../src-shared/profile-name';
import type { ProfileConfig } from './profile-config';

/** Reasons read after "Profile X cannot be loaded: ", so they are fragments without a period. */
export const NOT_LOADABLE = {
  ssoWithoutRole:
    'it names no sso_account_id and sso_role_name; sign in with `rolecall login` to list its roles',
} as const;

/** Why no profile of this name can be loaded, whatever it holds, or null. */
export function nameNotLoadable(name: string): string | null {
  const problem = profileNameProblem(name);
  return problem === null ? null : `its name ${problem}; ${UNSERVABLE_NAME}`;
}

/**
 * Why the profile, as its files and the keychain are now, cannot be loaded (read after "Profile X
 * cannot be loaded: "), or null when it can. A signed-out IAM Identity Center session is not a
 * reason here: signing in fixes it (see profile-list.ts).
 */
export function profileProblem(profile: ProfileConfig): string | null {
  const badName = nameNotLoadable(profile.name);
  if (badName !== null) return badName;
  switch (profile.kind) {
    case 'sso':
      return profile.accountId && profile.roleName ? null : NOT_LOADABLE.ssoWithoutRole;
    case 'sso-legacy':
      return null;
    case 'unsupported':
      return profile.reason;
    default:
      return profile.notLoadableReason ?? null;
  }
}

/** What the UI and CLI show for a profile. Never carries a secret: the config holds none. */
export function toProfileInfo(profile: ProfileConfig): ProfileInfo {
  const problem = profileProblem(profile);
  const info: ProfileInfo = { name: profile.name, kind: profile.kind, loadable: problem === null };
  if (problem !== null) info.notLoadableReason = problem;
  if (profile.region) info.region = profile.region;
  switch (profile.kind) {
    case 'credential_process':
      if (profile.accountId) info.accountId = profile.accountId;
      break;
    case 'sso':
      info.ssoSession = profile.ssoSession;
      info.ssoStartUrl = profile.startUrl;
      if (profile.accountId) info.accountId = profile.accountId;
      if (profile.roleName) info.roleName = profile.roleName;
      break;
    case 'sso-legacy':
      info.ssoStartUrl = profile.startUrl;
      info.accountId = profile.accountId;
      info.roleName = profile.roleName;
      break;
    case 'static':
      info.keysIn = profile.keysIn;
      if (profile.sessionMfa) info.mfaSerial = profile.sessionMfa.serial;
      break;
    case 'assume-role':
      Object.assign(info, roleInfo(profile.roleArn));
      if (profile.sourceProfile !== undefined) info.sourceProfile = profile.sourceProfile;
      if (profile.credentialSource !== undefined) info.credentialSource = profile.credentialSource;
      if (profile.chain) info.chain = [...profile.chain];
      // The device its own AssumeRole asks a code for; none when the parent session carries it.
      if (profile.mfa && !(profile.source?.kind === 'parent' && profile.source.mfaCarried)) {
        info.mfaSerial = profile.mfa.serial;
      }
      if (profile.source?.kind === 'keys') info.keysIn = profile.source.keysIn;
      break;
    case 'web-identity':
      Object.assign(info, roleInfo(profile.roleArn));
      break;
    case 'cognito':
      info.cognitoUserPoolId = profile.userPoolId;
      if (profile.identityPoolId) info.cognitoIdentityPoolId = profile.identityPoolId;
      if (profile.roleArn) Object.assign(info, roleInfo(profile.roleArn));
      break;
    case 'login-session':
    case 'unsupported':
      break;
  }
  return info;
}

/** The account and role name an IAM role ARN names (arn:aws:iam::<account>:role/<path/>name). */
function roleInfo(roleArn: string): Pick<ProfileInfo, 'roleArn' | 'accountId' | 'roleName'> {
  const match = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return {
    roleArn,
    ...(match ? { accountId: match[1]!, roleName: match[2]! } : {}),
  };
}
