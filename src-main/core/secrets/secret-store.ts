import { RolecallError } from '../errors';

/**
 * The one door to secrets. `account` names an item within Rolecall's keychain service, e.g.
 * "bearer-token" or "credentials/<profile>". Nothing else in Rolecall touches the keychain.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Returns false when there was nothing to delete. */
  delete(account: string): Promise<boolean>;
}

/** The keychain could not be used; the message says why and what to do. Never holds a secret. */
export class SecretStoreError extends RolecallError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('keychain-unavailable', message, 503, options);
    this.name = 'SecretStoreError';
  }
}
