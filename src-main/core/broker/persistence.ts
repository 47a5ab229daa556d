import { readFile } from 'node:fs/promises';
import { parseJsonAs } from '../parse-json';
import { join } from 'node:path';
import { z } from 'zod';
import type { AwsCredentials } from '../credentials';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import { writePrivateFile } from '../runtime/private-file';
import type { SecretStore } from '../secrets/secret-store';

/**
 * Which profile is in which slot, per-profile policy, and which profiles each is made from: not
 * secret, kept in a file. A profile in no slot is kept as a parent of another.
 */
export interface PersistedLayout {
  version: 2;
  defaultProfile: string | null;
  slots: string[];
  profiles: Record<
    string,
    { refreshable: boolean; policy?: { everyMs?: number }; parents?: string[] }
  >;
}

/** Secret: kept only in the keychain, one item per profile. */
export interface StoredCredentials {
  credentials: AwsCredentials;
  obtainedAt: number;
  refreshCount: number;
}

/**
 * What the broker needs to survive a restart. Writes are fire-and-forget from the broker's point
 * of view (a slow keychain must not hold up serving); failures are logged, never thrown.
 */
export interface BrokerStore {
  loadLayout(): Promise<PersistedLayout | null>;
  /**
   * Resolves, once written, with null — or, when the layout could not be saved, with a sentence
   * for the user saying so, why, and what to do. Never rejects.
   */
  saveLayout(layout: PersistedLayout): Promise<string | null>;
  loadCredentials(profile: string): Promise<StoredCredentials | null>;
  saveCredentials(profile: string, stored: StoredCredentials): void;
  deleteCredentials(profile: string): void;
  /** Resolves when every write issued so far has finished. */
  flush(): Promise<void>;
}

const savedProfile = z.object({
  refreshable: z.boolean(),
  policy: z.object({ everyMs: z.number().int().positive().optional() }).optional(),
});

/** Version 1 (no parents) is still read, as written by Rolecall before profiles had parents. */
const layoutSchema = z
  .discriminatedUnion('version', [
    z.object({
      version: z.literal(1),
      defaultProfile: z.string().nullable(),
      slots: z.array(z.string()),
      profiles: z.record(z.string(), savedProfile),
    }),
    z.object({
      version: z.literal(2),
      defaultProfile: z.string().nullable(),
      slots: z.array(z.string()),
      profiles: z.record(
        z.string(),
        savedProfile.extend({ parents: z.array(z.string()).optional() }),
      ),
    }),
  ])
  .transform((layout): PersistedLayout => ({ ...layout, version: 2 }));

const storedSchema = z.object({
  credentials: z.object({
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    sessionToken: z.string().optional(),
    expiresAt: z.number().optional(),
    accountId: z.string().optional(),
    roleArn: z.string().optional(),
    roleName: z.string().optional(),
  }),
  obtainedAt: z.number(),
  refreshCount: z.number().int().nonnegative(),
});

export const LAYOUT_FILE = 'layout.json';

/** What the user is told when the slots cannot be saved for the next start. */
function layoutNotSaved(path: string, home: string, error: unknown): string {
  return `Rolecall could not save which profiles are loaded to ${path} (${fileProblem(error)}), so the slots as they are now will not survive a restart of Rolecall. Make ${home} writable; the next load or unload then saves them.`;
}

function fileProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a directory is in the way';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    default:
      return errorMessage(error);
  }
}

export function credentialsAccount(profile: string): string {
  return `credentials/${profile}`;
}

export function createBrokerStore(options: {
  home: string;
  secrets: SecretStore;
  logger?: Logger;
}): BrokerStore {
  const layoutPath = join(options.home, LAYOUT_FILE);
  // One queue per key keeps writes in the order they were issued: a delete after a save never
  // loses the race and resurrects a secret.
  const queues = new Map<string, Promise<void>>();
  /** Runs `write` after the writes already queued for `key`; resolves with its error, or null. */
  const enqueue = (key: string, write: () => Promise<unknown>, what: string) => {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(write).then(
      () => null,
      (error: unknown) => {
        options.logger?.warn(`Could not ${what}: ${errorMessage(error)}`);
        return error;
      },
    );
    const settled = next.then(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };

  return {
    async loadLayout() {
      let text: string;
      try {
        text = await readFile(layoutPath, 'utf8');
      } catch {
        return null;
      }
      try {
        const parsed = layoutSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        options.logger?.warn(
          `Ignoring ${layoutPath}: it is not a Rolecall layout. Slots start empty.`,
        );
      } catch {
        options.logger?.warn(`Ignoring ${layoutPath}: it is not valid JSON. Slots start empty.`);
      }
      return null;
    },
    async saveLayout(layout) {
      const error = await enqueue(
        'layout',
        () => writePrivateFile(layoutPath, `${JSON.stringify(layout, null, 2)}\n`),
        'save the slot layout',
      );
      return error === null ? null : layoutNotSaved(layoutPath, options.home, error);
    },
    async loadCredentials(profile) {
      const text = await options.secrets.get(credentialsAccount(profile));
      return text ? (parseJsonAs(storedSchema, text) as StoredCredentials | null) : null;
    },
    saveCredentials(profile, stored) {
      void enqueue(
        credentialsAccount(profile),
        () => options.secrets.set(credentialsAccount(profile), JSON.stringify(stored)),
        `keep the credentials of ${profile} in the keychain`,
      );
    },
    deleteCredentials(profile) {
      void enqueue(
        credentialsAccount(profile),
        () => options.secrets.delete(credentialsAccount(profile)),
        `remove the credentials of ${profile} from the keychain`,
      );
    },
    async flush() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}
