import type { z } from 'zod';

/**
 * Turns zod's validation issues into one sentence a user can act on ("--every must be at least
 * 1m."), naming each field as the user knows it: an option on the command line, a field in a form
 * or in settings.json. zod's own messages ("Too small: expected number to be >=60") name nothing
 * and speak in types; a schema's hand-written message ("port must be 1024 or more") is kept.
 */

/**
 * zod lets a schema's own message win over one given when parsing, so parsing with this marks
 * exactly the issues zod would have worded itself; those are the ones worded here instead.
 */
const UNWORDED = '\u0000unworded';
/** Only the parse itself sees the input, so it also notes which values were absent. */
const MISSING = '\u0000missing';
export const markUnworded = {
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code === 'invalid_type' && issue.input === undefined ? MISSING : UNWORDED,
} as const;

/** How one field is called where the user typed it, and how its numbers are written there. */
export interface FieldName {
  name: string;
  /** e.g. seconds written as "1m" for an option that takes durations */
  value?: (value: number) => string;
}

/** Field path (`server.port`) to its name; a field not listed is called by its path. */
export type FieldNames = Readonly<Record<string, string | FieldName>>;

export interface PhraseOptions {
  names?: FieldNames;
  /** Prefix hand-written messages with the field's path too (a file's keys are its names). */
  withPath?: boolean;
}

export type ParsedOrSentence<T> = { success: true; data: T } | { success: false; message: string };

/** Parses `value`; a failure comes back as one sentence instead of a ZodError. */
export function parseOrSentence<T extends z.ZodType>(
  schema: T,
  value: unknown,
  names?: FieldNames,
): ParsedOrSentence<z.output<T>> {
  const parsed = schema.safeParse(value, markUnworded);
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    message: describeIssues(parsed.error.issues, { ...(names && { names }) }),
  };
}

/** The issues as one sentence: capitalised where that changes no name, ending with a full stop. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  options: PhraseOptions = {},
): string {
  const text = issuePhrases(issues, options).join('; ');
  const first = /^[a-z]+(?=\s)/.exec(text);
  return `${first ? text[0]!.toUpperCase() + text.slice(1) : text}.`;
}

/** A short phrase per issue (at most three, no repeats), for a caller that frames them itself. */
export function issuePhrases(
  issues: readonly z.core.$ZodIssue[],
  options: PhraseOptions = {},
): string[] {
  const phrases = issues.map((issue) => phraseFor(issue, options));
  const distinct = [...new Set(phrases)];
  // A long list hides the first mistake; the rest show up once it is fixed.
  const MAX_PHRASES = 3;
  if (distinct.length <= MAX_PHRASES) return distinct;
  const more = distinct.length - MAX_PHRASES;
  return [...distinct.slice(0, MAX_PHRASES), `and ${more} more problem${more === 1 ? '' : 's'}`];
}

function phraseFor(issue: z.core.$ZodIssue, options: PhraseOptions): string {
  const path = issue.path.map(String).join('.');
  if (issue.message !== UNWORDED && issue.message !== MISSING) {
    return options.withPath && path ? `${path}: ${issue.message}` : issue.message;
  }
  const known = options.names?.[path];
  const field: FieldName = typeof known === 'string' ? { name: known } : (known ?? { name: path });
  const name = field.name || 'the value';
  const number = (value: number | bigint) =>
    field.value && typeof value === 'number' ? field.value(value) : String(value);

  switch (issue.code) {
    case 'too_small':
      return bound(issue, name, 'at least', 'more than', number);
    case 'too_big':
      return bound(issue, name, 'at most', 'less than', number);
    case 'invalid_type':
      if (issue.message === MISSING) return `${name} is missing`;
      return `${name} must be ${typeNames[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `${name} must be ${quote(issue.values[0])}`
        : `${name} must be one of ${issue.values.map(quote).join(', ')}`;
    case 'unrecognized_keys': {
      const keys = issue.keys.map(plainName).join(', ');
      const where = path ? ` in ${name}` : '';
      return `${issue.keys.length === 1 ? 'there is no field' : 'there are no fields'} ${keys}${where}`;
    }
    case 'not_multiple_of':
      return `${name} must be a multiple of ${number(issue.divisor)}`;
    case 'invalid_format':
      return `${name} is not a valid ${issue.format}`;
    default:
      return `${name} is not valid`;
  }
}

function bound(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  name: string,
  inclusiveWord: string,
  exclusiveWord: string,
  number: (value: number | bigint) => string,
): string {
  const limit = 'minimum' in issue ? issue.minimum : issue.maximum;
  const word = issue.inclusive === false ? exclusiveWord : inclusiveWord;
  switch (issue.origin) {
    case 'string':
      if ('minimum' in issue && Number(limit) <= 1) return `${name} must not be empty`;
      return `${name} must be ${word} ${limit} characters long`;
    case 'array':
    case 'set':
      return `${name} must have ${word} ${limit} item${Number(limit) === 1 ? '' : 's'}`;
    default:
      return `${name} must be ${word} ${number(limit as number | bigint)}`;
  }
}

/** zod's type names, as a sentence says them. */
const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  bigint: 'a whole number',
  date: 'a date',
};

/** A key the caller made up, shown so that no quote, newline or length of it can garble the sentence. */
function plainName(key: string): string {
  // Longer keys are cut: the start is enough to find the mistake.
  const MAX_KEY_LENGTH = 64;
  return /^[\w.-]{1,64}$/.test(key) ? key : JSON.stringify(key.slice(0, MAX_KEY_LENGTH));
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
