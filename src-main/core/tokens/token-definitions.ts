import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RolecallError } from '../errors';
import { withFileLock } from '../runtime/file-lock';
import { writePrivateFile } from '../runtime/private-file';
import type { TokenRefreshStrategy } from './token-refresh-plan';

/**
 * The tokens Rolecall keeps, one file under ROLECALL_HOME with no secrets in it (those are in the
 * keychain, one item per token). Every kind of token shares the file and the fields below; what
 * a kind needs besides (an OAuth2 token URL, a Cognito pool) sits beside them, read by the kind.
 */
export const TOKENS_FILE = 'tokens.json';

export const tokenNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-", at most 64');

const refreshSchema = z
  .object({
    beforeSeconds: z.number().int().positive().optional(),
    everySeconds: z.number().int().positive().optional(),
    lazy: z.boolean().optional(),
  })
  .strict();

export const tokenDefinitionBaseSchema = z.object({
  name: tokenNameSchema,
  kind: z.string().min(1),
  refresh: refreshSchema.default({}),
});

export type TokenDefinitionBase = z.infer<typeof tokenDefinitionBaseSchema>;

const fileSchema = z.object({ version: z.literal(1), tokens: z.array(z.unknown()) }).strict();

/** What the file says: the definitions each kind could read, and warnings about the rest. */
export interface TokenDefinitions {
  /** Every entry as written, for writing the file back without losing an unread kind's. */
  raw: unknown[];
  definitions: TokenDefinitionBase[];
  warnings: string[];
  /** The file exists but cannot be read as a whole: nothing may be written over it. */
  unreadable: boolean;
}

export function tokensFile(home: string): string {
  return join(home, TOKENS_FILE);
}

/**
 * Reads the definitions. A missing file is an empty list; a damaged one is an empty list and a
 * warning saying what to fix, never a crash. An entry that is wrong on its own, or of a kind this
 * Rolecall does not know, is left out with a warning and kept in the file.
 */
export async function readTokenDefinitions(
  home: string,
  knownKinds: ReadonlySet<string>,
): Promise<TokenDefinitions> {
  const path = tokensFile(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { raw: [], definitions: [], warnings: [], unreadable: false };
    }
    return unreadable(path, (error as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return unreadable(path, 'it is not JSON');
  }
  const file = fileSchema.safeParse(json);
  if (!file.success) return unreadable(path, 'it is not {"version": 1, "tokens": [...]}');
  const definitions: TokenDefinitionBase[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  file.data.tokens.forEach((entry, index) => {
    const base = tokenDefinitionBaseSchema.passthrough().safeParse(entry);
    if (!base.success) {
      warnings.push(`Entry ${index + 1} of ${path} is left out: ${issueWords(base.error)}.`);
      return;
    }
    if (!knownKinds.has(base.data.kind)) {
      warnings.push(
        `Token ${base.data.name} in ${path} is of kind ${JSON.stringify(base.data.kind)}, which this Rolecall does not know; it is left out.`,
      );
      return;
    }
    if (seen.has(base.data.name)) {
      warnings.push(`Token ${base.data.name} is named twice in ${path}; the second is left out.`);
      return;
    }
    seen.add(base.data.name);
    definitions.push(base.data);
  });
  return { raw: file.data.tokens, definitions, warnings, unreadable: false };
}

/**
 * Changes the file under a lock (`tokens.lock`), so two commands at once keep both changes:
 * `change` gets the entries as written and returns the new ones. A file that cannot be read is
 * never written over; the error says how to fix it.
 */
export async function changeTokenDefinitions(
  home: string,
  knownKinds: ReadonlySet<string>,
  change: (raw: unknown[]) => unknown[],
): Promise<void> {
  await withFileLock(
    join(home, 'tokens.lock'),
    { doing: 'changing the list of tokens' },
    async () => {
      const current = await readTokenDefinitions(home, knownKinds);
      if (current.unreadable) {
        throw new RolecallError(
          'tokens-file-damaged',
          `${current.warnings[0]} Fix or move it first; Rolecall will not write over it.`,
          409,
        );
      }
      const tokens = change(current.raw);
      await writePrivateFile(
        tokensFile(home),
        `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`,
      );
    },
  );
}

/** The strategy a definition's `refresh` names. */
export function strategyOf(definition: TokenDefinitionBase): TokenRefreshStrategy {
  const { beforeSeconds, everySeconds, lazy } = definition.refresh;
  return {
    beforeExpiryMs: beforeSeconds === undefined ? null : beforeSeconds * 1000,
    everyMs: everySeconds === undefined ? null : everySeconds * 1000,
    lazy: lazy ?? false,
  };
}

/** The name of a raw entry, or null. */
export function rawName(entry: unknown): string | null {
  const name = (entry as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : null;
}

function unreadable(path: string, why: string): TokenDefinitions {
  return {
    raw: [],
    definitions: [],
    warnings: [`${path} cannot be read (${why}), so no token is served from it.`],
    unreadable: true,
  };
}

function issueWords(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'the entry'}: ${issue.message}`;
}

/** The refresh choices of `rolecall oauth add`, as a definition's `refresh` field. */
export function refreshChoices(input: {
  refreshBeforeSeconds?: number | undefined;
  everySeconds?: number | undefined;
  lazy?: boolean | undefined;
}): { beforeSeconds?: number; everySeconds?: number; lazy?: true } {
  return {
    ...(input.refreshBeforeSeconds ? { beforeSeconds: input.refreshBeforeSeconds } : {}),
    ...(input.everySeconds ? { everySeconds: input.everySeconds } : {}),
    ...(input.lazy ? { lazy: true as const } : {}),
  };
}

/** A new definition as its kind's schema read it, or the refusal of `rolecall oauth add`. */
export function addedDefinition<T>(parsed: z.ZodSafeParseResult<T>): T {
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new RolecallError(
    'invalid-token',
    `The token cannot be added: ${issue.path.join('.') || 'its definition'} is not valid (${issue.message}).`,
    400,
  );
}
