/**
 * Profile names come from AWS config section headers, where the AWS CLI accepts nearly anything.
 * Rolecall serves a profile under its name (in slot URLs, logs, the keychain and every UI), so it
 * accepts every name except these, and says so the same way wherever such a name turns up.
 */

/** Long enough for any real name; short enough to keep bad input cheap. */
export const MAX_PROFILE_NAME_LENGTH = 512;

/** What is wrong with a name, read after "its name " or "profile name ", or null. */
export function profileNameProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (name.length > MAX_PROFILE_NAME_LENGTH) {
    return `is longer than ${MAX_PROFILE_NAME_LENGTH} characters`;
  }
  if (hasControlCharacter(name)) return 'contains control characters (such as a tab)';
  // A lone surrogate has no UTF-8 form, so no URL, log line or keychain item could carry it.
  if (/\p{Surrogate}/u.test(name)) return 'is not valid Unicode';
  return null;
}

/** Follows a name problem wherever it is reported. */
export const UNSERVABLE_NAME =
  'Rolecall serves no profile under such a name (rename it in your AWS config)';

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
