import { explainKeychainError } from './keychain-errors';

/**
 * Every item another application keeps in the OS keychain under `service`, through keytar's
 * listing call. Used only to read another tool's items once, when moving in from it; Rolecall's
 * own items are never listed this way (see key-store.ts for why).
 */
export async function findForeignItems(
  service: string,
): Promise<Array<{ account: string; password: string }>> {
  try {
    type Keytar = typeof import('keytar');
    const module = (await import('keytar')) as Keytar & { default?: Keytar };
    const keytar = module.default ?? module;
    return await keytar.findCredentials(service);
  } catch (error) {
    throw explainKeychainError(error);
  }
}
