/** How a profile gets its credentials. */
export type ProfileKind =
  | 'credential_process'
  | 'sso' // sso_session = <name>, pointing at an [sso-session <name>] section
  | 'sso-legacy' // sso_start_url + sso_region directly in the profile
  | 'static' // long-lived keys in the credentials file
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
}
