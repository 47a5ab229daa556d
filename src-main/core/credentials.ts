/**
 * Credentials as the core holds them. Secret: never logged, never sent to a renderer, written
 * only to the keychain. `expiresAt` is epoch milliseconds; absent for credentials that do not expire.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: number;
  accountId?: string;
  /** The role's ARN, only where the source was told it; never made up from a role name. */
  roleArn?: string;
  /**
   * The role's name where no ARN is known: IAM Identity Center names a permission set's role
   * `AWSReservedSSO_<name>_<hash>` under a path, so `role/<name>` would be a wrong ARN.
   */
  roleName?: string;
}
