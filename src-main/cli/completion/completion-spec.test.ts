import { Argument, Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program';
import { allCommands, completionSpec, type CommandSpec } from './completion-spec';

const program = buildProgram(() => {
  throw new Error('listing commands needs no context');
});
const spec = completionSpec(program);
const at = (path: string): CommandSpec =>
  allCommands(spec).find((command) => command.path === path)!;
const option = (path: string, flag: string) =>
  at(path).options.find((each) => each.flags.includes(flag));

describe('completionSpec', () => {
  it('has every command and subcommand of rolecall', () => {
    expect(spec.subcommands.map((command) => command.name)).toEqual(
      program.commands.map((command) => command.name()),
    );
    expect(at('keys').subcommands.map((command) => command.path)).toEqual([
      'keys import',
      'keys add',
      'keys list',
      'keys remove',
    ]);
  });

  it('gives every command its options, help included, and what their values are', () => {
    expect(option('load', '--slot')).toMatchObject({
      flags: ['-s', '--slot'],
      values: { kind: 'none' },
    });
    expect(option('load', '--help')).toBeDefined();
    expect(option('', '--version')).toBeDefined();
    expect(option('serve', '--log-format')?.values).toEqual({
      kind: 'choices',
      choices: ['json', 'pretty'],
    });
    expect(option('env', '--format')?.values).toEqual({
      kind: 'choices',
      choices: ['sh', 'fish', 'powershell', 'json'],
    });
    expect(option('trust', '--ca-file')?.values).toEqual({ kind: 'files' });
    expect(option('load', '--every')?.values).toEqual({ kind: 'text' });
    expect(option('completion', '--names')?.values).toMatchObject({ kind: 'choices' });
  });

  it('offers the names each command can take', () => {
    const first = (path: string) => at(path).arguments[0]?.values;
    expect(first('load')).toEqual({ kind: 'names', list: 'profiles' });
    expect(first('exec')).toEqual({ kind: 'names', list: 'profiles' });
    expect(first('keys import')).toEqual({ kind: 'names', list: 'profiles' });
    expect(first('unload')).toEqual({ kind: 'names', list: 'loaded' });
    expect(first('login')).toEqual({ kind: 'names', list: 'sessions' });
    expect(first('answer')).toEqual({ kind: 'names', list: 'questions' });
    expect(option('env', '--profile')?.values).toEqual({ kind: 'names', list: 'slots' });
    expect(option('credential-process', '--profile')?.values).toEqual({
      kind: 'names',
      list: 'profiles',
    });
    expect(at('exec').arguments[1]).toMatchObject({ variadic: true, values: { kind: 'command' } });
    expect(first('completion')).toEqual({ kind: 'choices', choices: ['bash', 'zsh', 'fish'] });
  });

  it('completes a command added later by the names it declares, with nothing to add here', () => {
    const later = new Command('rolecall');
    later
      .command('console')
      .argument('<profile>')
      .addOption(new Option('--region <region>'))
      .addArgument(new Argument('[shell]').choices(['a', 'b']));
    const consoleSpec = completionSpec(later).subcommands[0]!;
    expect(consoleSpec.arguments.map((argument) => argument.values)).toEqual([
      { kind: 'names', list: 'profiles' },
      { kind: 'choices', choices: ['a', 'b'] },
    ]);
    expect(consoleSpec.options[0]).toMatchObject({ flags: ['--region'], values: { kind: 'text' } });
  });
});
