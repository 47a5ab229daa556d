import type { ProfileKind } from '../../../src-shared/profile';

/** Where to read the AWS shared config from; unset fields default the way the AWS SDKs do. */
export interface ProfileFiles {
  configFile?: string;
  credentialsFile?: string;
}

/** The two files a catalog was read from, as absolute paths. */
export interface ResolvedProfileFiles {
  configFile: string;
  credentialsFile: string;
}

interface ProfileBase {
  name: string;
  kind: ProfileKind;
  region?: string;
}

export interface CredentialProcessProfile extends ProfileBase {
  kind: 'credential_process';
  credentialProcess: string;
  /** The file the credential_process line came from, so error messages can say what to fix. */
  definedIn: string;
  /** `aws_account_id`, which the AWS SDK also reports for credential_process profiles. */
  accountId?: string;
  /**
   * Why Rolecall cannot run this command (shell syntax, or Rolecall's own helper), read after
   * "Profile X cannot be loaded: ".
   */
  notLoadableReason?: string;
}

export interface SsoProfile extends ProfileBase {
  kind: 'sso';
  ssoSession: string;
  startUrl: string;
  ssoRegion: string;
  accountId?: string;
  roleName?: string;
}

export interface LegacySsoProfile extends ProfileBase {
  kind: 'sso-legacy';
  startUrl: string;
  ssoRegion: string;
  accountId: string;
  roleName: string;
}

/** Where a profile's long-lived keys are. Never their values. */
export type KeysLocation = 'keychain' | 'credentials-file' | 'config-file';

/** An MFA device and where its codes come from. */
export interface MfaDevice {
  /** `mfa_serial`: the device's serial number or ARN. */
  serial: string;
  /** `mfa_process` of the profile the serial was read from: a command that prints a code. */
  process?: string;
  /** The profile whose mfa_serial it is (for messages and for `mfa_process`'s file). */
  from: string;
}

/**
 * Long-lived keys (in the keychain, or still in a file). The catalog records only where they are,
 * never their values: the source reads them at each fetch. Rolecall serves only session
 * credentials made from them (GetSessionToken).
 */
export interface StaticProfile extends ProfileBase {
  kind: 'static';
  keysIn: KeysLocation;
  /** For keys in a file: that file. For keys in the keychain: a file that still holds keys too. */
  definedIn?: string;
  /**
   * The file holds `aws_session_token` beside the keys: they are session credentials already
   * (pasted from somewhere), so they are used as they are instead of making a session.
   */
  hasSessionToken?: boolean;
  /** The profile's own mfa_serial (with its mfa_process). */
  mfa?: MfaDevice;
  /**
   * The MFA device GetSessionToken uses: the profile's own, or — the aws-vault model — the one
   * every role made from this profile names, so a code is asked once per session. Set by the
   * chain pass (chains.ts).
   */
  sessionMfa?: MfaDevice;
  /** Why these keys can't be used (half a key pair), read after "Profile X cannot be loaded: ". */
  notLoadableReason?: string;
}

/** Where an assumed role's own credentials come from, as the chain pass (chains.ts) decided. */
export type RoleSource =
  /** Another profile's credentials, held by the broker as an entry of its own. */
  | {
      kind: 'parent';
      profile: string;
      /**
       * The parent is a session made from long-lived keys with this role's MFA device, so the
       * session already carries MFA and AssumeRole sends no code.
       */
      mfaCarried: boolean;
    }
  /**
   * A profile's long-lived keys sign AssumeRole directly: a role whose source_profile is itself
   * (with keys beside it), or a source profile that both assumes a role and holds keys, whose keys
   * the AWS CLI then uses.
   */
  | { kind: 'keys'; profile: string; keysIn: KeysLocation }
  /** `credential_source`: credentials from where Rolecall runs. */
  | { kind: 'credential-source'; name: 'Environment' | 'Ec2InstanceMetadata' };

/** `role_arn` with `source_profile` or `credential_source`. */
export interface AssumeRoleProfile extends ProfileBase {
  kind: 'assume-role';
  roleArn: string;
  sourceProfile?: string;
  credentialSource?: string;
  roleSessionName?: string;
  externalId?: string;
  durationSeconds?: number;
  /** The role's own mfa_serial (with its mfa_process). */
  mfa?: MfaDevice;
  stsRegionalEndpoints?: 'regional' | 'legacy';
  /** The file role_arn was read from, for messages. */
  definedIn: string;
  /** Set by the chain pass when the chain can be loaded. */
  source?: RoleSource;
  /** Set by the chain pass: the profiles down to the first source, nearest first. */
  chain?: string[];
  /** Why not, read after "Profile X cannot be loaded: "; set by classification or the chain pass. */
  notLoadableReason?: string;
}

/** `role_arn` with `web_identity_token_file`: AssumeRoleWithWebIdentity. */
export interface WebIdentityProfile extends ProfileBase {
  kind: 'web-identity';
  roleArn: string;
  tokenFile: string;
  roleSessionName?: string;
  stsRegionalEndpoints?: 'regional' | 'legacy';
  definedIn: string;
  notLoadableReason?: string;
}

/** `login_session`: a console sign-in made by `aws login`. */
export interface LoginSessionProfile extends ProfileBase {
  kind: 'login-session';
  loginSession: string;
  definedIn: string;
  notLoadableReason?: string;
}

export type CognitoAuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

/**
 * `cognito_user_pool_id`: a person's sign-in to an Amazon Cognito user pool, turned into AWS
 * credentials by an identity pool. The password is in the keychain, never in the file.
 */
export interface CognitoProfile extends ProfileBase {
  kind: 'cognito';
  userPoolId: string;
  clientId: string;
  username: string;
  identityPoolId?: string;
  /** The basic flow: GetOpenIdToken, then AssumeRoleWithWebIdentity into this role. */
  roleArn?: string;
  authFlow: CognitoAuthFlow;
  definedIn: string;
  notLoadableReason?: string;
}

export interface UnsupportedProfile extends ProfileBase {
  kind: 'unsupported';
  /** A sentence fragment a user can act on, e.g. "it assumes a role (role_arn), which ...". */
  reason: string;
}

export type ProfileConfig =
  | CredentialProcessProfile
  | SsoProfile
  | LegacySsoProfile
  | StaticProfile
  | AssumeRoleProfile
  | WebIdentityProfile
  | LoginSessionProfile
  | CognitoProfile
  | UnsupportedProfile;

/** An `[sso-session <name>]` section with everything needed to sign in. */
export interface SsoSessionConfig {
  name: string;
  startUrl: string;
  ssoRegion: string;
  /** `sso_registration_scopes`, comma-separated in the file. */
  registrationScopes?: string[];
}

export interface ProfileCatalog {
  /** Sorted by name. */
  profiles: ProfileConfig[];
  /** Complete sso-session sections only, sorted by name; incomplete ones produce a warning. */
  ssoSessions: SsoSessionConfig[];
  /** Problems a user should fix in their files, one sentence each, naming the file. */
  warnings: string[];
  /**
   * Files Rolecall refuses to read, one sentence each naming the file and line. While there is
   * one, `profiles` and `ssoSessions` are empty: nothing is loaded from either file.
   */
  refusals: string[];
  files: ResolvedProfileFiles;
}
