/** A mistake in how a command was called: exit code 2, with a pointer to the command's --help. */
export class UsageError extends Error {}

/** What a usage mistake exits with, as most Unix tools do (1 is for errors in the work itself). */
export const USAGE_EXIT_CODE = 2;
