import type { Question } from '../../src-shared/input-request';
import type { AwsCredentials } from '../../src-main/core/credentials';
import type { FetchContext } from '../../src-main/core/sources/source';

/**
 * A FetchContext for calling a source directly in a test: a signal that is never aborted unless
 * given, and parents and people that fail the test if a source asks for them unexpectedly.
 */
export function testFetchContext(overrides: Partial<FetchContext> = {}): FetchContext {
  return {
    signal: new AbortController().signal,
    parent: (profile: string): Promise<AwsCredentials> =>
      Promise.reject(
        new Error(`the test gave no parent credentials, but ${profile} was asked for`),
      ),
    ask: (question: Question): Promise<string> =>
      Promise.reject(new Error(`the test answers no questions, but was asked: ${question.prompt}`)),
    ...overrides,
  };
}
