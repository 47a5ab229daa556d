import { readAwsProfiles } from '../config/aws-file';
import { readIni, type IniSection, type IniValue } from '../config/ini-reader';
import { RolecallError } from '../errors';
import { dropLines } from './drop-lines';
import type { KeysInFile } from './keys-in-files';

/**
 * The file's bytes without the two lines of the pair, every other byte as it was — and proof
 * that this is all that changed for the AWS CLI: read again, the file must have the same
 * sections, settings and values, less exactly those two settings of that one section. Where it
 * would not (nothing Rolecall knows of does that, but a file can always surprise), it refuses
 * rather than change what the AWS CLI reads.
 */
export function fileWithoutKeys(found: KeysInFile): Uint8Array {
  const after = dropLines(found.bytes, new Set([found.idLine, found.secretLine]));
  const before = readIni(found.bytes);
  const reread = readIni(after);
  const stillReadable =
    reread.ok &&
    readAwsProfiles(found.kind, found.path, { state: 'read', bytes: after }).state === 'read';
  if (
    !before.ok ||
    !reread.ok ||
    !stillReadable ||
    !onlyKeysGone(before.sections, reread.sections, found)
  ) {
    throw new RolecallError(
      'keys-not-removable',
      `Rolecall could not take the keys out of ${found.path} without changing how the AWS CLI reads the rest of it, so the file was left as it is; delete lines ${found.idLine} and ${found.secretLine} yourself.`,
      409,
    );
  }
  return after;
}

function onlyKeysGone(before: IniSection[], after: IniSection[], found: KeysInFile): boolean {
  if (before.length !== after.length) return false;
  return before.every((section, index) => {
    const other = after[index]!;
    if (section.name !== other.name) return false;
    const expected = new Map(section.options);
    if (section.line === found.sectionLine) {
      expected.delete('aws_access_key_id');
      expected.delete('aws_secret_access_key');
    }
    if (expected.size !== other.options.size) return false;
    return [...expected].every(([name, option]) => {
      const kept = other.options.get(name);
      return kept !== undefined && sameValue(option.value, kept.value);
    });
  });
}

function sameValue(a: IniValue, b: IniValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.size === b.size && [...a].every(([name, value]) => b.get(name) === value);
}
