import type { KeyStore, LongLivedKeys } from '../../src-main/core/keys/key-store';

/** A KeyStore in memory, for sources that read keys in unit tests. */
export class FakeKeyStore implements KeyStore {
  readonly keys = new Map<string, LongLivedKeys>();
  reads = 0;

  constructor(entries: Record<string, LongLivedKeys> = {}) {
    for (const [profile, keys] of Object.entries(entries)) this.keys.set(profile, keys);
  }

  async get(profile: string): Promise<LongLivedKeys | null> {
    this.reads += 1;
    const keys = this.keys.get(profile);
    return keys ? { ...keys } : null;
  }

  async set(profile: string, keys: LongLivedKeys): Promise<void> {
    this.keys.set(profile, { ...keys });
  }

  async remove(profile: string): Promise<boolean> {
    return this.keys.delete(profile);
  }

  async profiles(): Promise<string[]> {
    return [...this.keys.keys()].sort();
  }
}
