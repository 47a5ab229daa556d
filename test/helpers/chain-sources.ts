import type { Question } from '../../src-shared/input-request';
import type {
  BrokerStore,
  PersistedLayout,
  StoredCredentials,
} from '../../src-main/core/broker/persistence';
import type { AwsCredentials } from '../../src-main/core/credentials';
import {
  SourceError,
  type CredentialSource,
  type FetchContext,
} from '../../src-main/core/sources/source';
import { fakeCredentials } from './fake-source';

/**
 * A source made from other profiles, like an assumed role: each fetch asks the broker for its
 * parents' credentials, records what it was given, and hands out credentials living `lifetimeMs`.
 */
export class ParentedSource implements CredentialSource {
  calls = 0;
  /** The parents' credentials each fetch was given, in order. */
  given: AwsCredentials[][] = [];
  /** Make the next fetches fail with this (after asking for the parents). */
  failure: Error | null = null;

  constructor(
    readonly profile: string,
    readonly parents: string[],
    private readonly clock: { now(): number },
    private readonly lifetimeMs: number | null = 3_600_000,
  ) {}

  async fetch(context?: FetchContext): Promise<AwsCredentials> {
    this.calls += 1;
    const got: AwsCredentials[] = [];
    for (const parent of this.parents) got.push(await context!.parent(parent));
    this.given.push(got);
    if (this.failure) throw this.failure;
    return fakeCredentials(
      this.lifetimeMs === null ? {} : { expiresAt: this.clock.now() + this.lifetimeMs },
    );
  }
}

/**
 * A source that needs an MFA code, like session credentials made from long-lived keys: it asks
 * for the code, and asks again with a reason while the code is wrong (at most three times).
 */
export class MfaSource implements CredentialSource {
  calls = 0;
  codesTried: string[] = [];
  /** The code the "device" shows now. */
  currentCode = '123456';
  readonly parents?: string[];

  constructor(
    readonly profile: string,
    private readonly clock: { now(): number },
    private readonly options: { serial?: string; lifetimeMs?: number; parents?: string[] } = {},
  ) {
    if (options.parents) this.parents = options.parents;
  }

  get serial(): string {
    return this.options.serial ?? 'arn:aws:iam::123456789012:mfa/alice';
  }

  get key(): string {
    return `mfa:${this.serial}`;
  }

  question(retryReason?: string): Question {
    return {
      key: this.key,
      kind: 'mfa-code',
      prompt: `Enter the MFA code of ${this.serial}`,
      mfaSerial: this.serial,
      ...(retryReason ? { retryReason } : {}),
    };
  }

  async fetch(context?: FetchContext): Promise<AwsCredentials> {
    this.calls += 1;
    for (const parent of this.parents ?? []) await context!.parent(parent);
    let retryReason: string | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const code = await context!.ask(this.question(retryReason));
      this.codesTried.push(code);
      if (code === this.currentCode) {
        return fakeCredentials({
          expiresAt: this.clock.now() + (this.options.lifetimeMs ?? 12 * 3_600_000),
        });
      }
      retryReason = `AWS refused the MFA code ${code}`;
    }
    throw new SourceError(this.profile, 'denied', 'AWS refused three MFA codes in a row.');
  }
}

/** A BrokerStore in memory: what a restart finds, without a file or a keychain. */
export function memoryBrokerStore() {
  let layout: PersistedLayout | null = null;
  const credentials = new Map<string, string>();
  const store: BrokerStore = {
    loadLayout: async () => (layout ? structuredClone(layout) : null),
    saveLayout: async (saved) => {
      layout = structuredClone(saved);
      return null;
    },
    loadCredentials: async (profile) => {
      const text = credentials.get(profile);
      return text ? (JSON.parse(text) as StoredCredentials) : null;
    },
    saveCredentials: (profile, stored) => credentials.set(profile, JSON.stringify(stored)),
    deleteCredentials: (profile) => credentials.delete(profile),
    flush: async () => {},
  };
  return {
    store,
    get layout() {
      return layout;
    },
    credentials,
  };
}
