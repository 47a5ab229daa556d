import type { Argument, Command, Option } from 'commander';
import { envFormats } from '../../../src-shared/env-formats';

/** The names `rolecall completion --names` lists, asked for at each Tab that needs them. */
export const nameLists = ['profiles', 'slots', 'loaded', 'sessions', 'questions'] as const;
export type NameList = (typeof nameLists)[number];

/** What may be typed where an option's value or an argument goes. */
export type Values =
  | { kind: 'none' }
  | { kind: 'text' }
  | { kind: 'names'; list: NameList }
  | { kind: 'choices'; choices: readonly string[] }
  | { kind: 'files' }
  /** A command to run and its arguments (`rolecall exec`). */
  | { kind: 'command' };

export interface OptionSpec {
  /** `-s`, `--slot`: every spelling. */
  flags: string[];
  description: string;
  values: Values;
}

export interface ArgumentSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  values: Values;
}

export interface CommandSpec {
  /** `keys import` for a subcommand; empty for `rolecall` itself. */
  path: string;
  name: string;
  description: string;
  options: OptionSpec[];
  arguments: ArgumentSpec[];
  subcommands: CommandSpec[];
}

/**
 * Values no commander setting tells: options whose parser takes more than a list of choices
 * (`--format bash` is taken as sh), so commander's `choices` cannot hold them.
 */
const VALUES_OF: Readonly<Record<string, Values>> = {
  'env --format': { kind: 'choices', choices: envFormats },
  // Only the profiles that have a slot of their own: `env --profile` refuses any other.
  'env --profile': { kind: 'names', list: 'slots' },
  // Only what is loaded can be unloaded.
  'unload <profile>': { kind: 'names', list: 'loaded' },
};

/**
 * What a value is, by the name the command gives it: `<profile>` anywhere is a profile name, so
 * a command added later completes profiles with nothing to add here.
 */
function valuesNamed(name: string): Values {
  switch (name) {
    case 'profile':
      return { kind: 'names', list: 'profiles' };
    case 'session':
      return { kind: 'names', list: 'sessions' };
    case 'question':
      return { kind: 'names', list: 'questions' };
    case 'file':
      return { kind: 'files' };
    case 'command':
      return { kind: 'command' };
    default:
      return { kind: 'text' };
  }
}

/**
 * The program as the completion scripts need it — every command and subcommand, its options
 * (with what their values are) and its arguments — read from commander's own declarations, so a
 * command or option added to `rolecall` completes without a change here.
 */
export function completionSpec(program: Command): CommandSpec {
  return commandSpec(program, '');
}

function commandSpec(command: Command, path: string): CommandSpec {
  const help: OptionSpec = {
    flags: ['-h', '--help'],
    description: 'display help for command',
    values: { kind: 'none' },
  };
  return {
    path,
    name: command.name(),
    description: command.description(),
    options: [...command.options.map((option) => optionSpec(option, path)), help],
    arguments: command.registeredArguments.map((argument) => argumentSpec(argument, path)),
    subcommands: command.commands.map((sub) =>
      commandSpec(sub, path ? `${path} ${sub.name()}` : sub.name()),
    ),
  };
}

function optionSpec(option: Option, path: string): OptionSpec {
  const flags = [option.short, option.long].filter((flag): flag is string => Boolean(flag));
  const takesValue = option.required || option.optional;
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
  const values: Values = !takesValue
    ? { kind: 'none' }
    : (VALUES_OF[`${path} ${option.long}`] ??
      (option.argChoices
        ? { kind: 'choices', choices: option.argChoices }
        : valuesNamed(placeholder)));
  return { flags, description: option.description, values };
}

function argumentSpec(argument: Argument, path: string): ArgumentSpec {
  const name = argument.name();
  const values: Values =
    VALUES_OF[`${path} <${name}>`] ??
    (argument.argChoices ? { kind: 'choices', choices: argument.argChoices } : valuesNamed(name));
  return { name, required: argument.required, variadic: argument.variadic, values };
}

/** Every command of the spec, depth first: `rolecall` itself, `load`, `keys`, `keys import`… */
export function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(allCommands)];
}
