import { describe, expect, it } from 'vitest';
import { keychainScope, scopedSecretStore } from './keychain-scope';
import { createMemoryStore } from './secrets/memory-store';

describe('keychain scope', () => {
  it('keeps plain names for the default home and prefixes any other home', () => {
    expect(keychainScope('/home/u/.config/rolecall', '/home/u/.config/rolecall')).toBe('');
    const scope = keychainScope('/tmp/test-home', '/home/u/.config/rolecall');
    expect(scope).toMatch(/^home-[0-9a-f]{12}\/$/);
    expect(keychainScope('/tmp/other-home', '/home/u/.config/rolecall')).not.toBe(scope);
  });

  it('keeps two scopes apart in one keychain', async () => {
    const keychain = createMemoryStore();
    const a = scopedSecretStore(keychain, 'home-a/');
    const b = scopedSecretStore(keychain, 'home-b/');
    await a.set('bearer-token', 'A');
    await b.set('bearer-token', 'B');
    expect(await a.get('bearer-token')).toBe('A');
    expect(await b.get('bearer-token')).toBe('B');
    expect(await b.delete('bearer-token')).toBe(true);
    expect(await a.get('bearer-token')).toBe('A');
  });
});
