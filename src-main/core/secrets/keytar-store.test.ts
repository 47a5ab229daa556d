import { describe, expect, it, vi } from 'vitest';
import { checkSecretStore, createKeytarStore, type Keytar } from './keytar-store';
import { SecretStoreError } from './secret-store';

/** The error a promise rejects with (failing the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable('should have failed'),
    (error: unknown) => error as Error,
  );
}

/** A keytar whose every call waits until `answer()`. */
function hangingKeytar() {
  let answer = () => {};
  const waiting = new Promise<void>((resolve) => (answer = resolve));
  const keytar: Keytar = {
    getPassword: () => waiting.then(() => null),
    setPassword: () => waiting,
    deletePassword: () => waiting.then(() => false),
  };
  return { keytar, answer: () => answer() };
}

describe('keytar store (fake keytar)', () => {
  it('loads keytar only when first used, and turns a load failure into a SecretStoreError', async () => {
    const load = vi.fn(() =>
      Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    );
    const store = createKeytarStore('rolecall', { load });
    expect(load).not.toHaveBeenCalled();
    const error = await rejection(store.get('bearer-token'));
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toContain('could not be loaded');
    await store.get('bearer-token').catch(() => {});
    expect(load).toHaveBeenCalledTimes(2); // a failed load is retried, not cached
  });

  it('gives up on a call that does not return, and fails fast until it does', async () => {
    const { keytar, answer } = hangingKeytar();
    const store = createKeytarStore('rolecall', { timeoutMs: 20, load: async () => keytar });
    await expect(store.set('creds/dev', 'TOP-SECRET')).rejects.toThrow('did not answer within');
    const fast = await rejection(store.get('other'));
    expect(fast.message).toContain('trying to store creds/dev');
    expect(fast.message).not.toContain('TOP-SECRET');
    answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await store.get('other')).toBeNull();
  });

  it('maps what keytar throws to a helpful SecretStoreError', async () => {
    const raw = new Error('Cannot create an item in a locked collection');
    const store = createKeytarStore('rolecall', {
      load: async () => ({
        getPassword: async () => null,
        setPassword: async () => Promise.reject(raw),
        deletePassword: async () => false,
      }),
    });
    const error = await rejection(store.set('a', 'b'));
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.cause).toBe(raw);
  });

  it('passes service and account through', async () => {
    const items = new Map<string, string>();
    const store = createKeytarStore('svc', {
      load: async () => ({
        getPassword: async (s, a) => items.get(`${s}/${a}`) ?? null,
        setPassword: async (s, a, p) => void items.set(`${s}/${a}`, p),
        deletePassword: async (s, a) => items.delete(`${s}/${a}`),
      }),
    });
    await store.set('bearer-token', 't');
    expect([...items.keys()]).toEqual(['svc/bearer-token']);
    await checkSecretStore(store);
    expect(items.has('svc/probe')).toBe(false);
  });
});

describe('checkSecretStore', () => {
  it('refuses a keychain that reads back something else', async () => {
    const store = createKeytarStore('rolecall', {
      load: async () => ({
        getPassword: async () => 'not what was written',
        setPassword: async () => {},
        deletePassword: async () => true,
      }),
    });
    await expect(checkSecretStore(store)).rejects.toThrow('gave back something else');
  });
});
