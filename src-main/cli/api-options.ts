import { InvalidArgumentError } from 'commander';
import { apiDeclaration } from '../../src-shared/api';
import { parseOrSentence, type FieldNames } from '../../src-shared/validation-sentence';
import { formatDurationSeconds, parseDurationSeconds } from './options';

// Options checked against the API's own schemas. Apart from ./options, so the commands that
// take none of them do not load the schemas.

/** RolecallApi's argument fields as `rolecall` users know them: the option or argument that fills each. */
export const cliFieldNames: FieldNames = {
  profile: '<profile>',
  slot: '--slot',
  refreshEverySeconds: { name: '--every', value: formatDurationSeconds },
  session: '<session>',
  mfaCode: '--mfa-code',
};

/** `--every` of `rolecall load`: a duration, held to the bounds the core accepts. */
export function parseEvery(value: string): number {
  const seconds = parseDurationSeconds(value);
  const checked = parseOrSentence(
    apiDeclaration.loadProfile.args.shape.refreshEverySeconds,
    seconds,
    { '': cliFieldNames.refreshEverySeconds! },
  );
  if (!checked.success) throw new InvalidArgumentError(checked.message);
  return seconds;
}

/** `--mfa-code` of `rolecall load`: held to the same schema the core checks it with. */
export function parseMfaCode(value: string): string {
  const checked = parseOrSentence(apiDeclaration.loadProfile.args.shape.mfaCode, value, {
    '': cliFieldNames.mfaCode!,
  });
  if (!checked.success) throw new InvalidArgumentError(checked.message);
  return value;
}
