/**
 * Long-lived AWS access keys, kept only in the keychain (the aws-vault model): Rolecall never
 * serves them, only session credentials made from them with GetSessionToken. One item per
 * profile, through the SecretStore like every other secret.
 */
export interface LongLivedKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface KeyStore {
  /** The profile's keys, or null when the keychain holds none for it. */
  get(profile: string): Promise<LongLivedKeys | null>;
  /** Stores (or replaces) the profile's keys; resolves once the keychain has them. */
  set(profile: string, keys: LongLivedKeys): Promise<void>;
  /** Returns false when there was nothing to remove. */
  remove(profile: string): Promise<boolean>;
  /** The profiles whose keys the keychain holds, sorted. Never the keys themselves. */
  profiles(): Promise<string[]>;
}
