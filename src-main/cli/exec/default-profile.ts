import type { ProfileInfo } from '../../../src-shared/profile';

/**
 * The `[default]` profile, when it has credentials an AWS SDK or CLI reads from the AWS files.
 * With AWS_PROFILE unset, every SDK tries the default profile before the container endpoint, so
 * a command given Rolecall's endpoint would quietly run as that profile instead. Keys Rolecall
 * keeps in the keychain are not in the files, so no SDK sees them.
 */
export function defaultProfileWithCredentials(
  profiles: readonly ProfileInfo[],
): ProfileInfo | undefined {
  const fallback = profiles.find((profile) => profile.name === 'default' && !profile.discovered);
  if (!fallback || fallback.kind === 'unsupported') return undefined;
  if (fallback.kind === 'static' && fallback.keysIn === 'keychain') return undefined;
  return fallback;
}

/** "credential_process", "keys in the credentials file": where the default profile's come from. */
export function credentialsOf(profile: ProfileInfo): string {
  switch (profile.kind) {
    case 'static':
      return profile.keysIn === 'config-file'
        ? 'access keys in the config file'
        : 'access keys in the credentials file';
    case 'assume-role':
      return 'role_arn';
    case 'web-identity':
      return 'web_identity_token_file';
    case 'sso':
    case 'sso-legacy':
      return 'IAM Identity Center settings';
    case 'login-session':
      return 'login_session';
    case 'cognito':
      return 'Amazon Cognito settings';
    default:
      return profile.kind;
  }
}

/** What the default profile's own credentials do to a command pointed at Rolecall's endpoint. */
export function defaultProfileShadows(fallback: ProfileInfo, runsAs: string): string {
  return `Your default profile has credentials of its own (${credentialsOf(fallback)}), which AWS SDKs and the AWS CLI use before Rolecall's endpoint, so the command would not run as ${runsAs}`;
}
