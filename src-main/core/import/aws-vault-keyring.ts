import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RolecallError } from '../errors';
import { WrongPassphrase } from './aws-vault-jwe';
import type { CollectionItem } from '../secrets/secret-service-collection';
import {
  itemDataFromJson,
  isOidcTokenKey,
  isSessionKey,
  type AwsVaultItem,
} from './aws-vault-items';

/** The backends Rolecall reads, by aws-vault's names for them. */
export type AwsVaultBackend = 'secret-service' | 'file' | 'keychain' | 'wincred';

const AWS_VAULT_BACKENDS = [
  'keychain',
  'kwallet',
  'pass',
  'secret-service',
  'file',
  'wincred',
  'keyctl',
];
const READ_BACKENDS: readonly AwsVaultBackend[] = ['secret-service', 'file', 'keychain', 'wincred'];

/** aws-vault's defaults (its cli/global.go): names it gives its keyring on every backend. */
const SERVICE_NAME = 'aws-vault';
const DEFAULT_COLLECTION = 'awsvault';
const DEFAULT_FILE_DIR = '~/.awsvault/keys/';
const DEFAULT_KEYCHAIN_NAME = 'aws-vault';
/** The keyring library names a Credential Manager item `<WinCredPrefix>:<ServiceName>:<key>`. */
const WINCRED_TARGET_PREFIX = 'aws-vault:aws-vault:';

/** One aws-vault keyring found on this machine and what it holds. */
export interface AwsVaultSource {
  backend: AwsVaultBackend;
  /** Where it is, for the user: a directory, or "the Secret Service collection awsvault". */
  where: string;
  items: AwsVaultItem[];
}

export interface AwsVaultKeyringOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** `--backend`; AWS_VAULT_BACKEND when absent, as aws-vault reads it. */
  backend?: string;
  /** Asks the person for the file keyring's passphrase; only called when one is needed. */
  askPassphrase: (directory: string) => Promise<string>;
  readCollection: (name: string) => Promise<CollectionItem[] | null>;
  /** The items of `service` in the macOS keychain file `name`, or null when there is no such file. */
  readKeychainFile: (
    name: string,
    service: string,
  ) => Promise<Array<{ account: string; password: string }> | null>;
  /** The generic credentials of Windows Credential Manager whose target starts with `prefix`. */
  readWindowsCredentials: (prefix: string) => Promise<Array<{ target: string; blob: Buffer }>>;
  decryptJwe: (token: string, passphrase: string) => Promise<Buffer>;
}

/**
 * Reads aws-vault's keyrings as aws-vault itself finds them: the backend AWS_VAULT_BACKEND (or
 * `--backend`) names, else every one this machine has (on Linux the Secret Service collection,
 * on macOS aws-vault's keychain, on Windows Credential Manager, and the encrypted files
 * everywhere). Reads only; an absent backend is
 * skipped, and none at all is a sentence saying where it looked.
 */
export async function readAwsVaultKeyrings(
  options: AwsVaultKeyringOptions,
): Promise<AwsVaultSource[]> {
  const { env } = options;
  const chosen = options.backend || env.AWS_VAULT_BACKEND || '';
  const viaExec = workaround();
  if (chosen !== '') {
    if (!AWS_VAULT_BACKENDS.includes(chosen)) {
      throw new RolecallError(
        'unknown-backend',
        `aws-vault has no backend named ${chosen} (it has ${AWS_VAULT_BACKENDS.join(', ')}), so nothing was imported; check AWS_VAULT_BACKEND or --backend.`,
        400,
      );
    }
    if (!(READ_BACKENDS as readonly string[]).includes(chosen)) {
      throw new RolecallError(
        'backend-not-read',
        `Rolecall cannot read aws-vault's ${chosen} backend (only ${READ_BACKENDS.join(', ')}), so nothing was imported; move each profile's keys with ${viaExec}.`,
        422,
      );
    }
    const source = await readBackend(chosen as AwsVaultBackend, options);
    if (source === null) {
      throw new RolecallError(
        'backend-empty',
        `aws-vault's ${chosen} backend has no keyring on this machine (${whereOf(chosen as AwsVaultBackend, env)}), so there is nothing to import; check AWS_VAULT_BACKEND${chosen === 'file' ? ' and AWS_VAULT_FILE_DIR' : ''}.`,
        404,
      );
    }
    return [source];
  }
  const candidates: AwsVaultBackend[] =
    options.platform === 'darwin'
      ? ['keychain', 'file']
      : options.platform === 'win32'
        ? ['wincred', 'file']
        : ['secret-service', 'file'];
  const sources: AwsVaultSource[] = [];
  for (const backend of candidates) {
    const source = await readBackend(backend, options);
    if (source !== null) sources.push(source);
  }
  if (sources.length === 0) {
    throw new RolecallError(
      'no-aws-vault-keyring',
      `No aws-vault keyring was found on this machine (looked in ${candidates.map((each) => whereOf(each, env)).join(' and ')}), so there is nothing to import; if aws-vault keeps its keys elsewhere, set AWS_VAULT_BACKEND as you do for aws-vault.`,
      404,
    );
  }
  return sources;
}

function workaround(): string {
  return '`aws-vault exec --no-session <profile> -- sh -c \'printf "%s\\n%s\\n" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" | rolecall keys add <profile> --stdin\'`';
}

function collectionName(env: NodeJS.ProcessEnv): string {
  return env.AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME || DEFAULT_COLLECTION;
}

function keychainName(env: NodeJS.ProcessEnv): string {
  return env.AWS_VAULT_KEYCHAIN_NAME || DEFAULT_KEYCHAIN_NAME;
}

export function fileKeyringDirectory(env: NodeJS.ProcessEnv): string {
  const dir = env.AWS_VAULT_FILE_DIR || DEFAULT_FILE_DIR;
  const home = env.HOME || homedir();
  return resolve(dir === '~' ? home : dir.startsWith('~/') ? join(home, dir.slice(2)) : dir);
}

function whereOf(backend: AwsVaultBackend, env: NodeJS.ProcessEnv): string {
  switch (backend) {
    case 'secret-service':
      return `the Secret Service collection ${collectionName(env)}`;
    case 'file':
      return fileKeyringDirectory(env);
    case 'keychain':
      return `the macOS keychain ${keychainName(env)}`;
    case 'wincred':
      return `the Windows Credential Manager items ${WINCRED_TARGET_PREFIX}…`;
  }
}

async function readBackend(
  backend: AwsVaultBackend,
  options: AwsVaultKeyringOptions,
): Promise<AwsVaultSource | null> {
  const where = whereOf(backend, options.env);
  switch (backend) {
    case 'secret-service': {
      const items = await options.readCollection(collectionName(options.env));
      if (items === null) return null;
      return {
        backend,
        where,
        items: items.map((item) => {
          const key = item.attributes.profile ?? item.label;
          const parsed = itemDataFromJson(item.secret.toString('utf8'));
          return { key, data: parsed?.data ?? item.secret };
        }),
      };
    }
    case 'keychain': {
      const items = await options.readKeychainFile(keychainName(options.env), SERVICE_NAME);
      if (items === null || items.length === 0) return null;
      return {
        backend,
        where,
        items: items.map((item) => ({
          key: item.account,
          data: Buffer.from(item.password, 'utf8'),
        })),
      };
    }
    case 'wincred': {
      // Credential Manager is Windows' own; elsewhere there is none to ask.
      if (options.platform !== 'win32') return null;
      const credentials = await options.readWindowsCredentials(WINCRED_TARGET_PREFIX);
      if (credentials.length === 0) return null;
      return {
        backend,
        where,
        items: credentials.map((credential) => ({
          key: credential.target.slice(WINCRED_TARGET_PREFIX.length),
          data: credential.blob,
        })),
      };
    }
    case 'file':
      return readFileKeyring(where, options);
  }
}

async function readFileKeyring(
  directory: string,
  options: AwsVaultKeyringOptions,
): Promise<AwsVaultSource | null> {
  let names: string[];
  try {
    names = (await readdir(directory, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RolecallError(
      'keyring-unreadable',
      `Could not read aws-vault's key directory ${directory} (${(error as NodeJS.ErrnoException).code ?? String(error)}), so nothing was imported.`,
      500,
    );
  }
  if (names.length === 0) return null;
  const items: AwsVaultItem[] = [];
  let passphrase: string | undefined;
  for (const name of names) {
    const key = percentDecode(name);
    // Cached sessions are left out by name alone: no need to decrypt them.
    if (isSessionKey(key) || isOidcTokenKey(key)) {
      items.push({ key, data: Buffer.alloc(0) });
      continue;
    }
    passphrase ??=
      options.env.AWS_VAULT_FILE_PASSPHRASE ?? (await options.askPassphrase(directory));
    const path = join(directory, name);
    const token = (await readFile(path, 'utf8')).trim();
    let payload: Buffer;
    try {
      payload = await options.decryptJwe(token, passphrase);
    } catch (error) {
      if (error instanceof WrongPassphrase) {
        throw new RolecallError(
          'wrong-passphrase',
          `That passphrase does not open aws-vault's key files in ${directory}, so nothing was imported; run this again with the passphrase aws-vault asks you for (or set AWS_VAULT_FILE_PASSPHRASE).`,
          401,
        );
      }
      throw new RolecallError(
        'not-an-aws-vault-key-file',
        `${path} is not a key file aws-vault wrote (${error instanceof Error ? error.message : String(error)}), so nothing was imported; move it out of ${directory} and run this again.`,
        422,
      );
    }
    const item = itemDataFromJson(payload.toString('utf8'));
    items.push({ key, data: item?.data ?? payload });
  }
  return { backend: 'file', where: directory, items };
}

/** Undoes the keyring library's escaping of a key into a file name (`%` and `/` as %XX). */
export function percentDecode(name: string): string {
  return name.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}
