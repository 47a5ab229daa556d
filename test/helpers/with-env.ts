/**
 * Runs `fn` with extra environment variables in this process — how a test puts an AWS SDK
 * provider in the shell `eval "$(rolecall env)"` would make — and puts the environment back after.
 */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    process.env = saved;
  }
}
