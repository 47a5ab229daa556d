/** A mistake in how a command was called: exit code 2, with a pointer to the command's --help. */
export class UsageError extends Error {}
