import type { AwsCredentials } from '../../src-main/core/credentials';
import {
  SourceError,
  type CredentialSource,
  type FetchContext,
} from '../../src-main/core/sources/source';

/**
 * A source whose answers a test controls: each fetch takes the next result from the script (or
 * repeats the last), and `release()` resolves fetches held with `hold()`.
 */
export class FakeSource implements CredentialSource {
  calls = 0;
  /** The signal the broker handed each fetch, to tell whether it stopped the fetch. */
  signals: AbortSignal[] = [];
  private results: Array<AwsCredentials | Error> = [];
  private held: Array<() => void> = [];
  private holding = false;

  constructor(
    readonly profile: string,
    ...results: Array<AwsCredentials | Error>
  ) {
    this.results = results;
  }

  andThen(...results: Array<AwsCredentials | Error>): this {
    this.results.push(...results);
    return this;
  }

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  async fetch(context?: FetchContext): Promise<AwsCredentials> {
    this.calls += 1;
    if (context) this.signals.push(context.signal);
    const result = this.results.length > 1 ? this.results.shift()! : this.results[0];
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    if (result === undefined)
      throw new SourceError(this.profile, 'exit', `no scripted result for ${this.profile}`);
    if (result instanceof Error) throw result;
    return { ...result };
  }
}

let counter = 0;

/** Distinct, recognisable credentials for assertions. */
export function fakeCredentials(overrides: Partial<AwsCredentials> = {}): AwsCredentials {
  counter += 1;
  return {
    accessKeyId: `ASIAFAKE${counter.toString().padStart(8, '0')}`,
    secretAccessKey: `secret-${counter}`,
    sessionToken: `token-${counter}`,
    ...overrides,
  };
}

/** A resolver over a fixed set of sources; unknown profiles fail like the real one. */
export function resolverFor(...sources: CredentialSource[]) {
  const byName = new Map(sources.map((source) => [source.profile, source]));
  return async (profile: string): Promise<CredentialSource> => {
    const source = byName.get(profile);
    if (!source)
      throw new SourceError(profile, 'not-found', `Profile ${profile} is not in the AWS config.`);
    return source;
  };
}
