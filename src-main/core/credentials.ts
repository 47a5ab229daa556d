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
  roleArn?: string;
}
