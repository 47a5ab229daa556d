/** How a profile gets its credentials. */
export type ProfileKind =
  | 'credential_process'
  | 'sso' // sso_session = <name>, pointing at an [sso-session <name>] section
  | 'sso-legacy' // sso_start_url + sso_region directly in the profile
  | 'static' // long-lived keys (in the keychain, or still in the credentials file): served only as session credentials
  | 'assume-role' // role_arn with source_profile or credential_source
  | 'web-identity' // role_arn with web_identity_token_file
  | 'login-session' // login_session, from `aws login`
  | 'cognito' // cognito_user_pool_id: an Amazon Cognito user pool sign-in and identity pool
  | 'unsupported';

/** What the UI and CLI know about a profile. Never carries a secret. */
export interface ProfileInfo {
  name: string;
  kind: ProfileKind;
  /** Whether Rolecall can load this profile into a slot today. */
  loadable: boolean;
  /** Why not, in words a user can act on, when `loadable` is false. */
  notLoadableReason?: string;
  region?: string;
  accountId?: string;
  /** The account's name in IAM Identity Center, for discovered roles. */
  accountName?: string;
  roleName?: string;
  /** Found by signing in to IAM Identity Center rather than written in ~/.aws/config. */
  discovered?: boolean;
  ssoSession?: string;
  ssoStartUrl?: string;
  /**
   * The IAM Identity Center session (name, or start URL for legacy profiles) to sign in to before
   * this profile can load; set only while it is signed out.
   */
  signInFirst?: string;
  /** For an assumed role: the profile its credentials are made from (source_profile). */
  sourceProfile?: string;
  /** For an assumed role: the whole chain down to the first source, nearest first. */
  chain?: string[];
  /** For an assumed role with `credential_source`: Environment, EcsContainer, Ec2InstanceMetadata. */
  credentialSource?: string;
  roleArn?: string;
  /** The MFA device Rolecall will ask a code for (the profile's mfa_serial). */
  mfaSerial?: string;
  /**
   * For long-lived keys (and an assumed role they sign directly): where they are. Rolecall serves
   * only session credentials made from them. Keys may sit in the config file too, where the AWS
   * CLI reads them after credential_process.
   */
  keysIn?: 'keychain' | 'credentials-file' | 'config-file';
  /** For a Cognito profile: the user pool and identity pool it signs in to. */
  cognitoUserPoolId?: string;
  cognitoIdentityPoolId?: string;
}
