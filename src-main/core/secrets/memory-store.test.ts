import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store';
import { SecretStoreError } from './secret-store';

describe('memory store', () => {
  it('stores, reads and deletes like the keychain', async () => {
    const store = createMemoryStore({ a: '1' });
    expect(await store.get('a')).toBe('1');
    expect(await store.get('missing')).toBeNull();
    await store.set('b', '2');
    expect(await store.delete('b')).toBe(true);
    expect(await store.delete('b')).toBe(false);
  });

  it('fails every call like a locked keychain when told to', async () => {
    const store = createMemoryStore();
    store.failWith('locked');
    await expect(store.get('a')).rejects.toBeInstanceOf(SecretStoreError);
    store.failWith(null);
    expect(await store.get('a')).toBeNull();
  });
});
