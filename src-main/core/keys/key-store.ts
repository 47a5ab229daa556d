import { z } from 'zod';
import { profileNameProblem, UNSERVABLE_NAME } from '../../../src-shared/profile-name';
import { RolecallError } from '../errors';
import { parseJsonAs } from '../parse-json';
import { withFileLock } from '../runtime/file-lock';
import type { SecretStore } from '../secrets/secret-store';
import { keysProblem } from './access-key-format';

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

/**
 * Item names. Every other kind of item has its own first word (`bearer-token`, `credentials/`,
 * `tls/`, `sso-token/`, `sso-registration/`, `probe`), and a non-default ROLECALL_HOME prefixes
 * all of them alike (keychain-scope.ts), so these never meet another kind's.
 */
const ITEM_PREFIX = 'access-keys/';
export const ACCESS_KEYS_INDEX_ACCOUNT = 'access-keys-index';

/** The keychain item holding one profile's keys. */
export function accessKeysAccount(profile: string): string {
  return `${ITEM_PREFIX}${profile}`;
}

const itemSchema = z.object({
  version: z.literal(1),
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
});

const indexSchema = z.object({ version: z.literal(1), profiles: z.array(z.string()) });

export interface KeyStoreOptions {
  /**
   * A file every process that changes keys holds while it changes the index (a read, then a
   * write), so two commands at once cannot each write a list without the other's profile. The
   * CLI gives `<ROLECALL_HOME>/keys.lock`; a store that only reads keys needs none.
   */
  lockFile?: string;
}

/**
 * The KeyStore over the SecretStore. Which profiles have keys is kept in an index item beside
 * the keys, not found by listing the keychain: keytar's only listing call (findCredentials) ends
 * the whole process with a segmentation fault when the Linux keyring is locked, reads every
 * secret of the service into memory to return their names, and on Windows also matches other
 * services whose names start with ours. The index names profiles, never keys. A name whose item
 * has gone (deleted in a keychain app) is left out of `profiles()`, and an item the index misses
 * is still found by `get`.
 */
export function createKeyStore(secrets: SecretStore, options: KeyStoreOptions = {}): KeyStore {
  // One change to the index at a time from this process, and with the lock file from any.
  let changes: Promise<unknown> = Promise.resolve();
  const serially = <T>(change: () => Promise<T>): Promise<T> => {
    const { lockFile } = options;
    const locked = lockFile
      ? () =>
          withFileLock(
            lockFile,
            { doing: 'changing the keychain’s list of profiles with keys' },
            change,
          )
      : change;
    const next = changes.then(locked, locked);
    changes = next.catch(() => {});
    return next;
  };

  async function readIndex(): Promise<string[]> {
    const text = await secrets.get(ACCESS_KEYS_INDEX_ACCOUNT);
    if (text === null) return [];
    const index = parseJsonAs(indexSchema, text);
    if (index === null) {
      throw new RolecallError(
        'keys-index-damaged',
        `The keychain item ${ACCESS_KEYS_INDEX_ACCOUNT}, Rolecall's list of the profiles whose keys it keeps, is damaged; delete that item with your keychain app (the keys themselves are kept apart) and run \`rolecall keys add\` for each profile to list it again.`,
        500,
      );
    }
    return index.profiles;
  }

  async function changeIndex(profile: string, present: boolean): Promise<void> {
    const names = await readIndex();
    if (names.includes(profile) === present) return;
    const next = present ? [...names, profile] : names.filter((name) => name !== profile);
    await secrets.set(
      ACCESS_KEYS_INDEX_ACCOUNT,
      JSON.stringify({ version: 1, profiles: next.sort(byCodeUnits) }),
    );
  }

  return {
    async get(profile) {
      const text = await secrets.get(accessKeysAccount(profile));
      if (text === null) return null;
      const item = parseJsonAs(itemSchema, text);
      if (item === null) {
        throw new RolecallError(
          'keys-damaged',
          `The keychain item holding the access keys of profile ${profile} is damaged; store them again with \`rolecall keys add ${profile}\`.`,
          500,
        );
      }
      return { accessKeyId: item.accessKeyId, secretAccessKey: item.secretAccessKey };
    },

    set(profile, keys) {
      const refused = refusal(profile, keys);
      if (refused !== null) return Promise.reject(refused);
      const item = JSON.stringify({
        version: 1,
        accessKeyId: keys.accessKeyId,
        secretAccessKey: keys.secretAccessKey,
      });
      return serially(async () => {
        // The keys first: an index naming keys that are not there yet would list nothing real.
        await secrets.set(accessKeysAccount(profile), item);
        await changeIndex(profile, true);
      });
    },

    remove(profile) {
      return serially(async () => {
        const removed = await secrets.delete(accessKeysAccount(profile));
        await changeIndex(profile, false);
        return removed;
      });
    },

    async profiles() {
      const names = await readIndex();
      const held = await Promise.all(
        names.map(async (name) =>
          (await secrets.get(accessKeysAccount(name))) === null ? [] : [name],
        ),
      );
      return held.flat().sort(byCodeUnits);
    },
  };
}

/** Why these keys may not be stored for this profile, or null. */
function refusal(profile: string, keys: LongLivedKeys): RolecallError | null {
  const nameProblem = profileNameProblem(profile);
  if (nameProblem !== null) {
    return new RolecallError(
      'invalid-profile-name',
      `The profile name ${nameProblem}; ${UNSERVABLE_NAME}.`,
      400,
    );
  }
  const problem = keysProblem(keys);
  if (problem === null) return null;
  const field = problem.field === 'accessKeyId' ? 'access key ID' : 'secret access key';
  return new RolecallError('invalid-keys', `The ${field} ${problem.problem}.`, 400);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
