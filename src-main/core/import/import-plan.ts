import { RolecallError } from '../errors';
import type { KeyStore, LongLivedKeys } from '../keys/key-store';

/** A section Rolecall would add to the AWS config file, e.g. `[profile dev]` and its settings. */
export interface SectionDraft {
  /** The text between the brackets: `profile dev`, `sso-session acme` or `default`. */
  header: string;
  settings: ReadonlyArray<readonly [name: string, value: string]>;
}

/** Something the other tool has that can come in: a section, keys for a profile, or both. */
export interface Candidate {
  /** What it is, in the other tool's words ("IAM user session"). */
  kind: string;
  /** Its name in the other tool. */
  from: string;
  /** Its name in Rolecall: the profile or sso-session. */
  name: string;
  section?: SectionDraft;
  keys?: LongLivedKeys;
  /** Candidates (by `name`) it is made from: it comes in only if they do. */
  needs?: string[];
}

/** Something the other tool has that does not come in, and why (a sentence without its period). */
export interface LeftOut {
  kind: string;
  from: string;
  reason: string;
}

export type RowOutcome = 'new' | 'already' | 'left-out';

export interface PlanRow {
  kind: string;
  from: string;
  /** The Rolecall name; empty for what is left out. */
  name: string;
  outcome: RowOutcome;
  /** Why it is left out, or what comes in. */
  detail: string;
}

export interface ImportPlan {
  rows: PlanRow[];
  /** The sections to append, in order. */
  sections: SectionDraft[];
  /** The keys to store, by profile. Secrets: never printed or written to a file. */
  keys: Array<{ profile: string; keys: LongLivedKeys }>;
}

/** The AWS config file's sections as they are: header → setting → value. */
export type ExistingSections = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** `[default]` and `[profile default]` are the same profile to the AWS CLI. */
export function profileHeader(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

function existingSection(
  existing: ExistingSections,
  header: string,
): ReadonlyMap<string, string> | undefined {
  return (
    existing.get(header) ?? (header === 'default' ? existing.get('profile default') : undefined)
  );
}

/**
 * Decides, for each candidate, whether it comes in, is there already (a run before this one, or
 * the user's own identical section), or must stay out because something else already has its
 * name. Nothing is changed: the result is what a dry run shows and what a real run applies, so
 * the two can never disagree.
 */
export async function resolvePlan(
  candidates: Candidate[],
  leftOut: LeftOut[],
  existing: ExistingSections,
  store: Pick<KeyStore, 'get'>,
): Promise<ImportPlan> {
  const rows: PlanRow[] = [];
  const sections: SectionDraft[] = [];
  const keys: ImportPlan['keys'] = [];
  const stayedOut = new Set<string>();

  for (const candidate of candidates) {
    const row = { kind: candidate.kind, from: candidate.from, name: candidate.name };
    const missingParent = (candidate.needs ?? []).find((name) => stayedOut.has(name));
    if (missingParent !== undefined) {
      stayedOut.add(candidate.name);
      rows.push({
        ...row,
        outcome: 'left-out',
        detail: `it is made from ${missingParent}, which does not come in`,
      });
      continue;
    }
    const parts: string[] = [];
    let sectionNew = false;
    let conflict: string | null = null;
    if (candidate.section) {
      const { header, settings } = candidate.section;
      const held = existingSection(existing, header);
      if (held === undefined) {
        sectionNew = true;
        parts.push(`[${header}]`);
      } else if (!settings.every(([name, value]) => held.get(name) === value)) {
        conflict = `the AWS config file already has a different [${header}]; rename or remove it and run this again`;
      }
    }
    let keysNew = false;
    if (conflict === null && candidate.keys) {
      let held: LongLivedKeys | null;
      try {
        held = await store.get(candidate.name);
      } catch (error) {
        if (!(error instanceof RolecallError)) throw error;
        held = { accessKeyId: '', secretAccessKey: '' };
      }
      if (held === null) {
        keysNew = true;
        parts.push('access keys into the keychain');
      } else if (
        held.accessKeyId !== candidate.keys.accessKeyId ||
        held.secretAccessKey !== candidate.keys.secretAccessKey
      ) {
        conflict = `the keychain already holds other keys for profile ${candidate.name}; \`rolecall keys remove ${candidate.name}\` first if these are to replace them`;
      }
    }
    if (conflict !== null) {
      stayedOut.add(candidate.name);
      rows.push({ ...row, outcome: 'left-out', detail: conflict });
      continue;
    }
    if (sectionNew) sections.push(candidate.section!);
    if (keysNew) keys.push({ profile: candidate.name, keys: candidate.keys! });
    rows.push(
      sectionNew || keysNew
        ? { ...row, outcome: 'new', detail: parts.join(' + ') }
        : { ...row, outcome: 'already', detail: 'already there' },
    );
  }
  for (const each of leftOut) {
    rows.push({
      kind: each.kind,
      from: each.from,
      name: '',
      outcome: 'left-out',
      detail: each.reason,
    });
  }
  return { rows, sections, keys };
}

/** A name for Rolecall made from a name in another tool: kept when it is already a good one. */
export function slugName(text: string): string {
  const slug = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'imported' : slug;
}

/** `base`, or `base-2`, `base-3`… : the first that `taken` does not hold; then it holds it. */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
  taken.add(name);
  return name;
}
