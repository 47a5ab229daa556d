import type {
  ImportOrigin,
  ImportPreviewView,
  ImportResultView,
  ImportRowView,
} from '../../src-shared/import';

/** The other tools a person can move in from, as the window names them. */
export const MOVE_IN_FROM: ReadonlyArray<{ from: ImportOrigin; tool: string }> = [
  { from: 'leapp', tool: 'Leapp' },
  { from: 'aws-vault', tool: 'aws-vault' },
];

export function toolName(from: ImportOrigin): string {
  return MOVE_IN_FROM.find((each) => each.from === from)?.tool ?? from;
}

/** A row's last column, as `rolecall import` words it before and after the run. */
export function rowResult(row: ImportRowView, done: boolean): string {
  switch (row.outcome) {
    case 'new':
      return `${done ? 'added' : 'would add'}: ${row.detail}`;
    case 'already':
      return 'already there';
    case 'left-out':
      return `not imported: ${row.detail}`;
  }
}

/** What the dialog says under the dry run's table, and whether its Import button does anything. */
export function previewVerdict(preview: ImportPreviewView): {
  text: string;
  canImport: boolean;
} {
  const tool = toolName(preview.from);
  if (preview.rows.length === 0)
    return { text: `Found nothing to import from ${tool}.`, canImport: false };
  if (preview.changes === 0)
    return {
      text: 'Nothing would change: everything that can come in is there already.',
      canImport: false,
    };
  return {
    text: `Nothing has changed yet. Import adds what is marked "would add"; ${tool}'s own data stays as it is.`,
    canImport: true,
  };
}

/** The next steps after a run, in the window's words: sign in first, then load. */
export function nextSteps(result: ImportResultView): string[] {
  const steps = result.sessions.map(
    (session) =>
      `Sign in to ${session} once (its Sign in button, or \`rolecall login ${session}\`).`,
  );
  const first = result.profiles[0];
  const load = steps.length > 0 ? 'Then load' : 'Load';
  if (first !== undefined)
    steps.push(
      result.profiles.length === 1
        ? `${load} ${first} from the profile list.`
        : `${load} one of them (${result.profiles.join(', ')}) from the profile list.`,
    );
  return steps;
}
