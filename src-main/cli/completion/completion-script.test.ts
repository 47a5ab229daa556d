import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashScript } from './bash-script';
import { completionSpec } from './completion-spec';
import { fishScript } from './fish-script';
import { zshScript } from './zsh-script';

/** A command whose words need quoting in every shell; the scripts run for real in test/shell.int.test.ts. */
const program = new Command('rolecall');
program
  .command('odd')
  .description("it's [odd]: really")
  .argument('<profile>')
  .addOption(new Option('--mode <mode>', "one's [mode]: a\\b").choices(["it's", 'b']));
const spec = completionSpec(program);

describe('the completion scripts', () => {
  it('quote descriptions and choices for zsh', () => {
    const script = zshScript(spec);
    expect(script).toContain(`'odd:it'\\''s [odd]: really'`);
    expect(script).toContain(`'--mode=[one'\\''s \\[mode\\]: a\\\\b]:mode:(it'\\''s b)'`);
    expect(script).toContain(`'1:profile:_rolecall_names profiles'`);
  });

  it('quote descriptions and choices for fish', () => {
    const script = fishScript(spec);
    expect(script).toContain(`-a 'odd' -d 'it\\'s [odd]: really'`);
    expect(script).toContain(`-l mode -x -a 'it\\'s b' -d 'one\\'s [mode]: a\\\\b'`);
  });

  it('quote words for bash', () => {
    const script = bashScript(spec);
    expect(script).toContain(`    'odd --mode') kind='choices:it'\\''s,b' ;;`);
    expect(script).toContain(`      args='names:profiles'`);
  });
});
