import type fc from 'fast-check';

/**
 * Room for a property's runs on a slow, busy machine (they take a few seconds on 2 cores). A
 * longer session (`FC_NUM_RUNS`) gets a day: a property cut off by the timeout keeps writing its
 * files under the next one, which then fails for no reason of its own.
 */
export const FUZZ_TIMEOUT_MS = process.env.FC_NUM_RUNS ? 86_400_000 : 60_000;

/**
 * fast-check parameters for the `*.fuzz.test.ts` properties. `numRuns` is what every test run
 * uses; `FC_NUM_RUNS=<n>` overrides it for a longer session, and `FC_SEED=<n>` replays one (a
 * failing property prints its seed and path).
 */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FC_SEED;
  const runs = process.env.FC_NUM_RUNS;
  return {
    numRuns: runs ? Number(runs) : numRuns,
    ...(seed ? { seed: Number(seed) } : {}),
  };
}
