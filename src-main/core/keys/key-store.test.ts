import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keychainScope, scopedSecretStore } from '../keychain-scope';
import { createMemoryStore } from '../secrets/memory-store';
import type { SecretStore } from '../secrets/secret-store';
import { ACCESS_KEYS_INDEX_ACCOUNT, accessKeysAccount, createKeyStore } from './key-store';

const DEV = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const PROD = {
  accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
};

describe('key store', () => {
  it('stores, reads, lists and removes one item per profile', async () => {
    const secrets = createMemoryStore();
    const keys = createKeyStore(secrets);
    expect(await keys.get('dev')).toBeNull();
    expect(await keys.profiles()).toEqual([]);
    await keys.set('prod', PROD);
    await keys.set('dev', DEV);
    expect(await keys.get('dev')).toEqual(DEV);
    expect(await keys.profiles()).toEqual(['dev', 'prod']);
    expect(await keys.remove('dev')).toBe(true);
    expect(await keys.remove('dev')).toBe(false);
    expect(await keys.get('dev')).toBeNull();
    expect(await keys.profiles()).toEqual(['prod']);
    expect([...secrets.items.keys()].sort()).toEqual([
      ACCESS_KEYS_INDEX_ACCOUNT,
      accessKeysAccount('prod'),
    ]);
  });

  it('replaces a profile’s keys without listing it twice', async () => {
    const keys = createKeyStore(createMemoryStore());
    await keys.set('dev', DEV);
    await keys.set('dev', PROD);
    expect(await keys.get('dev')).toEqual(PROD);
    expect(await keys.profiles()).toEqual(['dev']);
  });

  it('names its items apart from every other kind of keychain item', async () => {
    const secrets = createMemoryStore();
    await createKeyStore(secrets).set('dev', DEV);
    // The bearer token, cached credentials, TLS keys and SSO items each start differently.
    for (const account of secrets.items.keys()) {
      expect(account).toMatch(/^access-keys(-index|\/)/);
      expect(account).not.toMatch(/^(bearer-token|credentials\/|tls\/|sso-|probe)/);
    }
  });

  it('keeps any profile name, slashes and unicode included, as its own item', async () => {
    const keys = createKeyStore(createMemoryStore());
    for (const name of ['org/team', 'café', '..', 'a b']) await keys.set(name, DEV);
    expect(await keys.profiles()).toEqual(['..', 'a b', 'café', 'org/team']);
    expect(await keys.get('org')).toBeNull();
  });

  it('refuses keys that are not long-lived, and names nothing secret', async () => {
    const secrets = createMemoryStore();
    const keys = createKeyStore(secrets);
    await expect(keys.set('dev', { ...DEV, accessKeyId: 'ASIAIOSFODNN7EXAMPLE' })).rejects.toThrow(
      'The access key ID starts with ASIA, so it belongs to temporary session credentials',
    );
    await expect(keys.set('dev', { ...DEV, accessKeyId: 'akiaiosfodnn7example' })).rejects.toThrow(
      'is not a long-lived AWS access key ID',
    );
    const swapped = keys.set('dev', {
      accessKeyId: DEV.accessKeyId,
      secretAccessKey: PROD.accessKeyId,
    });
    await expect(swapped).rejects.toThrow('looks like an access key ID, not a secret');
    const spaced = await keys
      .set('dev', { ...DEV, secretAccessKey: `${DEV.secretAccessKey} ` })
      .catch((error: Error) => error.message);
    expect(spaced).toContain('contains spaces');
    expect(spaced).not.toContain(DEV.secretAccessKey);
    await expect(keys.set('', DEV)).rejects.toThrow('The profile name is empty');
    expect(secrets.items.size).toBe(0);
  });

  it('says a damaged item is damaged and how to store it again', async () => {
    const secrets = createMemoryStore({ [accessKeysAccount('dev')]: 'not json' });
    await expect(createKeyStore(secrets).get('dev')).rejects.toThrow(
      'The keychain item holding the access keys of profile dev is damaged; store them again with `rolecall keys add dev`.',
    );
  });

  it('lists only profiles whose item is still there, and finds an item the index misses', async () => {
    const secrets = createMemoryStore();
    const keys = createKeyStore(secrets);
    await keys.set('dev', DEV);
    await keys.set('prod', PROD);
    // Someone deleted one item in a keychain app; a crash left another out of the index.
    secrets.items.delete(accessKeysAccount('prod'));
    secrets.items.set(accessKeysAccount('stray'), JSON.stringify({ version: 1, ...DEV }));
    expect(await keys.profiles()).toEqual(['dev']);
    expect(await keys.get('stray')).toEqual(DEV);
  });

  it('keeps every name when several commands change keys at once', async () => {
    const secrets = createMemoryStore();
    const lockFile = join(await mkdtemp(join(tmpdir(), 'rolecall-keys-')), 'keys.lock');
    // Separate stores stand for separate processes: only the lock file keeps them in turn.
    const names = Array.from({ length: 6 }, (_, index) => `p${index}`);
    await Promise.all(
      names.map((name) => createKeyStore(slow(secrets), { lockFile }).set(name, DEV)),
    );
    expect(await createKeyStore(secrets).profiles()).toEqual(names);
    await Promise.all(
      ['p1', 'p4'].map((name) => createKeyStore(slow(secrets), { lockFile }).remove(name)),
    );
    expect(await createKeyStore(secrets).profiles()).toEqual(['p0', 'p2', 'p3', 'p5']);
    await rm(dirname(lockFile), { recursive: true });
  });

  it('adds and removes in order within one process', async () => {
    const keys = createKeyStore(slow(createMemoryStore()));
    await Promise.all([
      keys.set('a', DEV),
      keys.set('b', DEV),
      keys.remove('a'),
      keys.set('c', DEV),
    ]);
    expect(await keys.profiles()).toEqual(['b', 'c']);
  });

  it('keeps two ROLECALL_HOMEs apart, each with its own index', async () => {
    const keychain = createMemoryStore();
    const ours = createKeyStore(scopedSecretStore(keychain, keychainScope('/tmp/a', '/home/u')));
    const theirs = createKeyStore(scopedSecretStore(keychain, keychainScope('/tmp/b', '/home/u')));
    const plain = createKeyStore(keychain);
    await ours.set('dev', DEV);
    await theirs.set('prod', PROD);
    expect(await ours.profiles()).toEqual(['dev']);
    expect(await theirs.profiles()).toEqual(['prod']);
    expect(await plain.profiles()).toEqual([]);
    expect(await theirs.get('dev')).toBeNull();
    expect(await theirs.remove('dev')).toBe(false);
    expect(await ours.get('dev')).toEqual(DEV);
  });

  it('passes a keychain failure on as it is, with the keys not listed', async () => {
    const secrets = createMemoryStore();
    const keys = createKeyStore(secrets);
    secrets.failWith();
    await expect(keys.set('dev', DEV)).rejects.toThrow('the keyring is locked');
    secrets.failWith(null);
    expect(await keys.profiles()).toEqual([]);
    expect(secrets.items.size).toBe(0);
  });
});

/** The same store, with every call taking a few turns of the event loop, as a real one does. */
function slow(store: SecretStore): SecretStore {
  const later = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  return {
    get: async (account) => (await later(), store.get(account)),
    set: async (account, secret) => (await later(), store.set(account, secret)),
    delete: async (account) => (await later(), store.delete(account)),
  };
}
