/** What the window's "Move in" dialog shows: the other tool's things and what becomes of each. */
export const importOrigins = ['leapp', 'aws-vault'] as const;
export type ImportOrigin = (typeof importOrigins)[number];

export interface ImportRowView {
  /** What it is, in the other tool's words ("IAM user session"). */
  kind: string;
  /** Its name in the other tool. */
  from: string;
  /** Its name in Rolecall; empty for what stays out. */
  name: string;
  outcome: 'new' | 'already' | 'left-out';
  /** What comes in, or why it stays out. */
  detail: string;
}

/** A dry run: nothing was changed. */
export interface ImportPreviewView {
  from: ImportOrigin;
  rows: ImportRowView[];
  /** How many config sections and keys a real run would add; 0 when it would change nothing. */
  changes: number;
}

/** A real run: the same rows, what was written, and what to do next. */
export interface ImportResultView extends ImportPreviewView {
  /** One sentence: what was written where, or that nothing changed. */
  summary: string;
  /** IAM Identity Center sessions that came in: each wants one sign-in. */
  sessions: string[];
  /** Profiles that came in or were there already, to load. */
  profiles: string[];
  /** How to remove the other tool's data once the person is happy. */
  cleanUp: string;
}
