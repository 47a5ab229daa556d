/** A piece of a message: plain text, or a command to type. */
export interface MessagePart {
  text: string;
  code: boolean;
}

/**
 * Messages from the core mark commands with backticks, as the CLI prints them ("Run `rolecall ui`
 * for a new one"); the window shows those as code. A backtick without a partner is kept as written.
 */
export function splitCode(message: string): MessagePart[] {
  const pieces = message.split('`');
  if (pieces.length % 2 === 0) {
    const unpaired = pieces.pop()!;
    pieces[pieces.length - 1] += `\`${unpaired}`;
  }
  return pieces
    .map((text, index) => ({ text, code: index % 2 === 1 }))
    .filter((part) => part.text !== '');
}
