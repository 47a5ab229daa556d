import { describe, expect, it } from 'vitest';
import { checkSecretStore } from './keytar-store';
import { createMemoryStore } from './memory-store';
import { SecretStoreError } from './secret-store';

describe('memory store', () => {
  it('stores, reads and deletes like the keychain', async () => {
    const store = createMemoryStore({ a: '1' });
    expect(await store.get('a')).toBe('1');
    expect(await store.get('missing')).toBeNull();
    await store.set('b', '2');
    await store.set('b', '3');
    expect(await store.get('b')).toBe('3');
    expect(await store.delete('b')).toBe(true);
    expect(await store.delete('b')).toBe(false);
    expect([...store.items.keys()]).toEqual(['a']);
  });

  it('fails every call like a locked keychain when told to, and heals', async () => {
    const store = createMemoryStore({ a: '1' });
    store.failWith();
    for (const call of [store.get('a'), store.set('a', '2'), store.delete('a')]) {
      await expect(call).rejects.toBeInstanceOf(SecretStoreError);
    }
    await expect(store.get('a')).rejects.toThrow('the keyring is locked');
    await expect(checkSecretStore(store)).rejects.toMatchObject({
      code: 'keychain-unavailable',
      status: 503,
    });
    store.failWith('custom reason');
    await expect(store.get('a')).rejects.toThrow('custom reason');
    store.failWith(null);
    expect(await store.get('a')).toBe('1');
  });

  it('passes the start-up check and leaves no probe behind', async () => {
    const store = createMemoryStore();
    await checkSecretStore(store);
    expect(store.items.size).toBe(0);
  });
});
