import type { CommanderError } from 'commander';
import { closestName } from './closest-name';

/**
 * A usage mistake commander found ("error: too many arguments for 'status'. Expected 0
 * arguments but got 1."), as one sentence in the words the rest of Rolecall uses.
 */
export function commanderUsageSentence(
  error: CommanderError,
  commandNames: readonly string[],
): string {
  const [text = '', hint = ''] = error.message.replace(/^error: /, '').split('\n');
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownCommand': {
      const meant = closestName(quoted, commandNames);
      return meant
        ? `There is no command ${quoted}; did you mean \`rolecall ${meant}\`?`
        : `There is no command ${quoted}.`;
    }
    case 'commander.unknownOption': {
      // Commander knows every option in reach, including the parent's, so its guess is kept.
      const meant = /Did you mean (\S+)\?/.exec(hint)?.[1];
      return meant
        ? `There is no option ${quoted}; did you mean ${meant}?`
        : `There is no option ${quoted}.`;
    }
    case 'commander.missingArgument':
      return `The <${quoted}> argument is missing.`;
    case 'commander.excessArguments': {
      const [, expected = '0', got = ''] =
        /Expected (\d+) arguments? but got (\d+)/.exec(text) ?? [];
      return expected === '0'
        ? `This command takes no arguments, but got ${got}.`
        : `This command takes at most ${expected} argument${expected === '1' ? '' : 's'}, but got ${got}.`;
    }
    case 'commander.optionMissingArgument':
      return `${longFlag(quoted)} needs a value (${placeholder(quoted)}).`;
    case 'commander.missingMandatoryOptionValue':
      return `${longFlag(quoted)} ${placeholder(quoted)} is required.`;
    case 'commander.invalidArgument': {
      // "option '--every <duration>' argument '5x' is invalid. <the parser's own sentence>"
      const option = /^option '([^']*)' argument '.*' is invalid\. (.*)$/.exec(text);
      if (option) {
        const flag = longFlag(option[1]!);
        // A parser that words its own sentence around the option ("--every must be …") is
        // not prefixed with it again.
        return option[2]!.startsWith(flag) ? option[2]! : `${flag}: ${option[2]}`;
      }
      const argument =
        /^command-argument value '.*' is invalid for argument '([^']*)'\. (.*)$/.exec(text);
      if (argument) return `<${argument[1]}>: ${argument[2]}`;
      return sentence(text);
    }
    default:
      return sentence(text);
  }
}

/** `-p, --port <port>` → `--port` */
function longFlag(flags: string): string {
  return flags.split(/[ ,|]+/).find((part) => part.startsWith('--')) ?? flags.split(' ')[0] ?? '';
}

/** `--port <port>` → `<port>` */
function placeholder(flags: string): string {
  return /[<[][^>\]]*[>\]]/.exec(flags)?.[0] ?? 'a value';
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.?!]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
