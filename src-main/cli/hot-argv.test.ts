import { describe, expect, it } from 'vitest';
import type { CliContext } from './context';
import { hotInvocation } from './hot-argv';
import { programFor } from './program-run';

/** Stops a parse before the action runs, once commander has read the arguments. */
class Parsed extends Error {
  constructor(
    readonly command: string,
    readonly args: unknown[],
    readonly options: Record<string, unknown>,
  ) {
    super('parsed');
  }
}

/** What commander hands the action of the command argv names. */
async function commanderReads(argv: string[]): Promise<Parsed> {
  const context = () => ({}) as CliContext;
  const program = await programFor(argv, context);
  program.hook('preAction', (_, action) => {
    throw new Parsed(action.name(), action.processedArgs, action.opts());
  });
  const parsed = await program.parseAsync(argv, { from: 'user' }).catch((error: unknown) => error);
  if (!(parsed instanceof Parsed)) throw new Error(`commander did not parse ${argv.join(' ')}`);
  return parsed;
}

describe('hotInvocation', () => {
  it.each([
    [['credential-process', '--profile', 'dev']],
    [['credential-process', '--profile=dev']],
    [['credential-process', '--profile', 'Production/ReadOnly']],
    [['credential-process', '--profile=a=b']],
  ])('reads %j as commander does', async (argv) => {
    const commander = await commanderReads(argv);
    expect(hotInvocation(argv)).toEqual({
      command: 'credential-process',
      profile: commander.options.profile,
    });
  });

  it('reads status --prompt as commander does', async () => {
    const commander = await commanderReads(['status', '--prompt']);
    expect(commander.options).toEqual({ prompt: true });
    expect(hotInvocation(['status', '--prompt'])).toEqual({ command: 'status', prompt: true });
  });

  it.each([
    [['exec', 'prod', '--', 'aws', 's3', 'ls', '--recursive']],
    [['exec', 'prod', '--slot', '--', 'true']],
    [['exec', '-s', 'prod', '--', 'true']],
    [['exec', 'prod', '--default-slot', '--env-keys', '--', 'env', '--', 'x']],
    [['exec', '--env-keys', 'prod', '--', '-weird']],
  ])('reads %j as commander does', async (argv) => {
    const commander = await commanderReads(argv);
    expect(hotInvocation(argv)).toEqual({
      command: 'exec',
      profile: commander.args[0],
      commandLine: commander.args[1],
      defaultSlot: commander.options.defaultSlot ?? false,
      envKeys: commander.options.envKeys ?? false,
    });
  });

  it.each([
    // Help, and every mistake, are the whole program's to print.
    [['credential-process', '--help']],
    [['credential-process', '-h']],
    [['credential-process']],
    [['credential-process', '--profile']],
    [['credential-process', '--profile=']],
    [['credential-process', '--profile', '']],
    [['credential-process', '--profile', '--help']],
    [['credential-process', '--profile', 'a', '--profile', 'b']],
    [['credential-process', '--profile', 'a', '--verbose']],
    [['credential-process', 'dev']],
    [['status']],
    [['status', '--json']],
    [['status', '--prompt', '--json']],
    [['status', '--prompt', '--help']],
    [['exec', 'prod']],
    [['exec', 'prod', 'true']],
    [['exec', 'prod', '--']],
    [['exec', '--', 'true']],
    [['exec', 'prod', 'extra', '--', 'true']],
    [['exec', 'prod', '--slot', '--default-slot', '--', 'true']],
    [['exec', 'prod', '--slot', '--slot', '--', 'true']],
    [['exec', 'prod', '--help', '--', 'true']],
    [['exec', 'prod', '--env', '--', 'true']],
    [['env']],
    [['load', 'dev']],
    [[]],
  ])('leaves %j to the whole program', (argv) => {
    expect(hotInvocation(argv)).toBeNull();
  });
});
