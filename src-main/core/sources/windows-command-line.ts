export interface WindowsWord {
  text: string;
  /** The characters of the word that were outside double quotes, so callers can spot operators. */
  unquoted: string;
}

/**
 * Splits a command line by the Microsoft C runtime's rules, as botocore's _windows_shell_split
 * does: spaces and tabs separate words; double quotes group; backslashes are literal unless a run
 * of them ends at a double quote, where each pair becomes one backslash and an odd one out makes
 * the quote literal. https://learn.microsoft.com/en-us/cpp/cpp/main-function-command-line-args
 */
export function splitWindowsCommandLine(command: string): WindowsWord[] {
  const words: WindowsWord[] = [];
  let text = '';
  let inWord = false;
  let inQuotes = false;
  let unquoted = '';
  let backslashes = 0;
  const finishWord = () => {
    if (inWord) words.push({ text, unquoted });
    text = '';
    inWord = false;
    unquoted = '';
  };
  for (const character of command) {
    if (character === '\\') {
      backslashes += 1;
      inWord = true;
      continue;
    }
    if (character === '"') {
      text += '\\'.repeat(Math.floor(backslashes / 2));
      if (backslashes % 2 === 1) text += '"';
      else inQuotes = !inQuotes;
      backslashes = 0;
      inWord = true;
      continue;
    }
    text += '\\'.repeat(backslashes);
    backslashes = 0;
    if ((character === ' ' || character === '\t') && !inQuotes) {
      finishWord();
      continue;
    }
    text += character;
    if (!inQuotes) unquoted += character;
    inWord = true;
  }
  text += '\\'.repeat(backslashes);
  finishWord();
  return words;
}
