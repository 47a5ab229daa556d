import type { z } from 'zod';

/**
 * Parses stored JSON (a state file, a keychain item) against its schema; anything damaged,
 * foreign or from another version is null, never an exception — callers decide how to recover.
 */
export function parseJsonAs<T extends z.ZodType>(schema: T, text: string): z.output<T> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
