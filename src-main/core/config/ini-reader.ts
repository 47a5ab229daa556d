import {
  firstNonSpace,
  pythonRstrip,
  pythonSplitlines,
  pythonStrip,
  universalLines,
} from './python-text';

/**
 * Reads an AWS config or credentials file exactly as the AWS CLI does — Python's
 * `configparser.RawConfigParser()` with its defaults, then botocore's `raw_config_parse` — or
 * refuses it, naming the line. That means: `=` or `:` between name and value; whole-line comments
 * only (`#` or `;` first), so ` # note` after a value is part of the value; setting names
 * lower-cased; indented lines continue the value above them, and a value that starts on the next
 * line is a block of `name = value` sub-settings; `[DEFAULT]` gives its settings to every other
 * section; and a line that is none of these, a repeated section or a setting repeated within a
 * section makes the whole file unreadable.
 *
 * Where the AWS CLI would accept a line but read it differently from how it looks, the file is
 * refused too, because the user's intent is then ambiguous: every line that starts with `[` must
 * be a whole section header (an indented `[profile x]` under a setting is part of its value to
 * the AWS CLI; `[profile x` with an `=` in it is a setting of the section above), a header may not
 * contain `]` in its name (`[a] # see [b]` names the section `a] # see [b`), and nothing but a
 * comment may follow a header's `]`.
 */

/** A value as botocore hands it on: text, or the sub-settings of an indented block. */
export type IniValue = string | ReadonlyMap<string, string>;

export interface IniOption {
  value: IniValue;
  /** The line the setting's name is on. */
  line: number;
}

export interface IniSection {
  /** The text between the brackets, as written. */
  name: string;
  line: number;
  /** Setting names lower-cased; `[DEFAULT]`'s settings included where the section has none. */
  options: ReadonlyMap<string, IniOption>;
}

export interface IniProblem {
  line: number;
  /** What is wrong, and for Rolecall's own refusals how the AWS CLI reads it; no period. */
  problem: string;
  /** What to do; no period. */
  fix: string;
  /** False where the AWS CLI reads the file and only Rolecall refuses it (the line is ambiguous). */
  awsCliRefusesToo: boolean;
}

export type IniReadResult =
  | {
      ok: true;
      sections: IniSection[];
      /** The line of the first `[DEFAULT]` header, whose settings every section inherits. */
      defaultsLine: number | null;
      /** The names of `[DEFAULT]`'s settings, each with its line. */
      defaults: ReadonlyMap<string, number>;
    }
  | { ok: false; problem: IniProblem };

/** configparser's name for the section whose settings every other section inherits. */
const DEFAULT_SECTION = 'DEFAULT';
/** The longest piece of a line a refusal quotes. */
const QUOTE_LIMIT = 60;

interface Pending {
  /** The first line's value, then one entry per continuation line ('' for a blank line). */
  pieces: string[];
  lines: number[];
}

interface SectionDraft {
  name: string;
  line: number;
  options: Map<string, Pending>;
}

class Refused extends Error {
  constructor(readonly problem: IniProblem) {
    super(problem.problem);
  }
}

export interface ReadOptions {
  /**
   * Refuse the lines the AWS CLI reads differently from how they look (the default). Off, the
   * reader reads them exactly as the AWS CLI does: only for tests that compare the two.
   */
  refuseAmbiguous?: boolean;
}

export function readIni(bytes: Uint8Array, options: ReadOptions = {}): IniReadResult {
  try {
    return read(decode(bytes), options.refuseAmbiguous ?? true);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem };
    throw error;
  }
}

function refuse(line: number, problem: string, fix: string, awsCliRefusesToo = true): never {
  throw new Refused({ line, problem, fix, awsCliRefusesToo });
}

/** UTF-8, strictly, as Python reads the file; a byte-order mark stays (Python keeps it too). */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).reduce(countLineStarts, 1);
    return refuse(
      line,
      `it has a byte that is not UTF-8 text (0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')})`,
      'Save the file as UTF-8',
    );
  }
}

/** Counts universal-newline line breaks: \n, and \r not followed by \n. */
function countLineStarts(count: number, byte: number, index: number, bytes: Uint8Array): number {
  if (byte === 0x0a) return count + 1;
  if (byte === 0x0d && bytes[index + 1] !== 0x0a) return count + 1;
  return count;
}

/** Only called once decoding failed, to say where: walks the file one character at a time. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let index = 0;
  while (index < bytes.length) {
    if (bytes[index]! < 0x80) {
      index += 1;
      continue;
    }
    const width = sequenceWidth(bytes, index);
    if (width === 0) return index;
    try {
      strict.decode(bytes.subarray(index, index + width));
    } catch {
      return index;
    }
    index += width;
  }
  return bytes.length;
}

/** The length of the UTF-8 sequence a lead byte starts, or 0 when it cannot start one. */
function sequenceWidth(bytes: Uint8Array, index: number): number {
  const lead = bytes[index]!;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function read(text: string, refuseAmbiguous: boolean): IniReadResult {
  /** Refuses a line the AWS CLI reads differently from how it looks, unless told not to. */
  const ambiguous = (line: number, problem: string, fix: string) => {
    if (refuseAmbiguous) refuse(line, problem, fix, false);
  };
  if (text.startsWith('\ufeff')) {
    // Python keeps the mark as a character of the first line, which then is no header.
    refuse(
      1,
      'the file starts with a byte-order mark (as some Windows editors save UTF-8)',
      'Save it as UTF-8 without a byte-order mark',
    );
  }
  const sections = new Map<string, SectionDraft>();
  const defaults: SectionDraft = { name: DEFAULT_SECTION, line: 0, options: new Map() };
  let defaultsLine: number | null = null;
  /** Where each section and each setting was first seen, for configparser's strict mode. */
  const seenSections = new Map<string, number>();
  const seenOptions = new Map<string, number>();
  let current: SectionDraft | null = null;
  let optionName: string | null = null;
  let indentLevel = 0;

  const lines = universalLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const raw = lines[index]!;
    const stripped = pythonStrip(raw);
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    if (isComment || stripped === '') {
      // A blank line belongs to the value above it (configparser's empty_lines_in_values); a
      // comment line belongs to nothing.
      if (!isComment && current && optionName) {
        const pending = current.options.get(optionName)!;
        pending.pieces.push('');
        pending.lines.push(lineNumber);
      }
      continue;
    }
    const indent = firstNonSpace(raw);
    if (current && optionName && indent > indentLevel) {
      if (stripped.startsWith('[')) {
        ambiguous(
          lineNumber,
          `${quote(beforeEquals(stripped))} is indented, so the AWS CLI reads it as more of the value of ${quote(optionName)} (line ${current.options.get(optionName)!.lines[0]}), not as a section header`,
          'Remove the indentation, or the line',
        );
      }
      const pending = current.options.get(optionName)!;
      pending.pieces.push(stripped);
      pending.lines.push(lineNumber);
      continue;
    }
    indentLevel = indent;
    const closing = stripped.startsWith('[') ? stripped.lastIndexOf(']') : -1;
    if (closing >= 2) {
      const name = stripped.slice(1, closing);
      checkHeader(lineNumber, stripped, name, closing, ambiguous);
      if (name === DEFAULT_SECTION) {
        current = defaults;
        defaultsLine ??= lineNumber;
      } else {
        const first = seenSections.get(name);
        if (first !== undefined) {
          refuse(
            lineNumber,
            `${quote(`[${name}]`)} appears a second time (first on line ${first})`,
            'Merge the two sections into one',
          );
        }
        seenSections.set(name, lineNumber);
        current = { name, line: lineNumber, options: new Map() };
        sections.set(name, current);
      }
      optionName = null;
      continue;
    }
    const delimiter = firstDelimiter(stripped);
    if (stripped.startsWith('[')) {
      const notHeader = `${quote(beforeEquals(stripped))} is not a section header (it has no closing \`]\`)`;
      if (current === null || delimiter === -1) refuse(lineNumber, notHeader, 'Fix the line');
      ambiguous(
        lineNumber,
        `${notHeader}; the AWS CLI reads the line as a setting of ${quote(`[${current.name}]`)} above it, and the settings below it as that section's too`,
        'Fix the line',
      );
    }
    if (!current) {
      refuse(
        lineNumber,
        'a setting comes before the first section header',
        'Put it under a section header such as [default], or remove it',
      );
    }
    if (delimiter === -1) {
      refuse(
        lineNumber,
        'the line is not a section header, a setting (`name = value`), a comment or an indented continuation of the value above',
        'Fix the line',
      );
    }
    const name = pythonRstrip(stripped.slice(0, delimiter)).toLowerCase();
    if (name === '') {
      refuse(
        lineNumber,
        `a setting has no name before its \`${stripped[delimiter]}\``,
        'Fix the line',
      );
    }
    const key = `${current.name}\u0000${name}`;
    const first = seenOptions.get(key);
    if (first !== undefined) {
      refuse(
        lineNumber,
        `${quote(name)} is set a second time in ${quote(`[${current.name}]`)} (first on line ${first}; setting names ignore case)`,
        'Keep one of the two',
      );
    }
    seenOptions.set(key, lineNumber);
    current.options.set(name, {
      pieces: [pythonStrip(stripped.slice(delimiter + 1))],
      lines: [lineNumber],
    });
    optionName = name;
  }

  const finished = [...sections.values()].map((section) =>
    finishSection(section, defaults.options),
  );
  const defaultNames = new Map(
    [...defaults.options].map(([name, pending]) => [name, pending.lines[0]!]),
  );
  return { ok: true, sections: finished, defaultsLine, defaults: defaultNames };
}

/** Headers the AWS CLI reads differently from how they look. */
function checkHeader(
  line: number,
  stripped: string,
  name: string,
  closing: number,
  ambiguous: (line: number, problem: string, fix: string) => void,
): void {
  if (name.includes(']')) {
    ambiguous(
      line,
      `${quote(beforeEquals(stripped))} has a \`]\` inside its name, so the AWS CLI reads the section name as ${quote(beforeEquals(name))}`,
      'Remove the extra `]` (a comment goes on a line of its own)',
    );
  }
  const after = pythonStrip(stripped.slice(closing + 1));
  if (after !== '' && !after.startsWith('#') && !after.startsWith(';')) {
    ambiguous(
      line,
      `${quote(`[${name}]`)} has text after its closing \`]\`, which the AWS CLI ignores`,
      'Move that text to a line of its own',
    );
  }
}

/** Joins continuation lines as configparser does, then reads sub-settings as botocore does. */
function finishSection(section: SectionDraft, defaults: ReadonlyMap<string, Pending>): IniSection {
  const options = new Map<string, IniOption>();
  // configparser lists the section's own settings, then the inherited ones it lacks.
  const names = [...section.options.keys(), ...defaults.keys()];
  for (const name of names) {
    if (options.has(name)) continue;
    const pending = section.options.get(name) ?? defaults.get(name)!;
    options.set(name, { value: finishValue(pending), line: pending.lines[0]! });
  }
  return { name: section.name, line: section.line, options };
}

function finishValue(pending: Pending): IniValue {
  const text = pythonRstrip(pending.pieces.join('\n'));
  if (!text.startsWith('\n')) return text;
  // botocore: a value whose first line is empty is a block of `name = value` lines.
  const nested = new Map<string, string>();
  pending.pieces.forEach((piece, index) => {
    for (const subline of pythonSplitlines(piece)) {
      const setting = pythonStrip(subline);
      if (setting === '') continue;
      const equals = setting.indexOf('=');
      if (equals === -1) {
        refuse(
          pending.lines[index]!,
          'an indented line under a setting with an empty value is not a `name = value` sub-setting',
          'Write it as `name = value`, or put the value on the line of the setting itself',
        );
      }
      nested.set(pythonStrip(setting.slice(0, equals)), pythonStrip(setting.slice(equals + 1)));
    }
  });
  return nested;
}

/** Where configparser's option pattern splits name from value: the first `=` or `:`. */
function firstDelimiter(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '=' || text[index] === ':') return index;
  }
  return -1;
}

/** What a refusal may quote of a line: never past an `=`, where a secret value could start. */
function beforeEquals(text: string): string {
  const equals = text.indexOf('=');
  return pythonRstrip(equals === -1 ? text : text.slice(0, equals));
}

/** A piece of a line as code, short, with control characters made visible. */
export function quote(text: string): string {
  const short = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  // JSON.stringify leaves DEL, the C1 controls and U+2028/U+2029 as they are, so those are
  // written as \uXXXX here.
  // eslint-disable-next-line no-control-regex
  const visible = short.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => {
    const escaped = JSON.stringify(char).slice(1, -1);
    return escaped.startsWith('\\')
      ? escaped
      : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `\`${visible}\``;
}
