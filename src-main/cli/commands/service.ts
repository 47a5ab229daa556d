import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { ExitStatus } from '../exit-status';
import { servicePlan, type ServiceAction, type ServiceHostFacts } from '../service/service-plan';
import { carryOut, runCommand } from '../service/service-run';
import { UsageError } from '../usage-error';

export function registerService(program: Command, context: () => CliContext): void {
  const service = program
    .command('service')
    .description(
      'Run `rolecall serve` as a service of your session: a systemd user unit, a LaunchAgent, or a logon task.',
    )
    .addHelpText(
      'after',
      '\nOptions for `rolecall serve` follow `--`:\n' +
        '  rolecall service install -- --socket "$XDG_RUNTIME_DIR/rolecall.sock"\n' +
        'The desktop app has its own "Start at login"; use one or the other.',
    );

  const serve = () => program.commands.find((command) => command.name() === 'serve');

  service
    .command('install')
    .description('Write the service file and start the service now and at every login.')
    .argument('[serve-options...]', 'options for `rolecall serve`, after `--`')
    .option('--dry-run', 'print the file it would write (to stdout) and the commands it would run')
    .action(async (serveArgs: string[], options: { dryRun?: boolean }) => {
      checkServeOptions(serveArgs, serve());
      await act('install', serveArgs, options, context());
    });

  service
    .command('uninstall')
    .description('Stop the service and remove its file.')
    .option('--dry-run', 'print what it would remove and the commands it would run')
    .action((options: { dryRun?: boolean }) => act('uninstall', [], options, context()));

  service
    .command('status')
    .description("Show the service manager's view of the service; exits with its status.")
    .option('--dry-run', 'print the command it would run')
    .action((options: { dryRun?: boolean }) => act('status', [], options, context()));
}

async function act(
  action: ServiceAction,
  serveArgs: string[],
  options: { dryRun?: boolean },
  ctx: CliContext,
): Promise<void> {
  const plan = servicePlan(action, hostFacts(ctx), serveArgs);
  if (!plan) {
    throw new RolecallError(
      'service-unsupported',
      `Rolecall knows no service manager on ${process.platform}; run \`rolecall serve\` from your own start-up script.`,
      400,
    );
  }
  const status = await carryOut(plan, {
    dryRun: options.dryRun ?? false,
    run: runCommand,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
  });
  if (status !== 0) throw new ExitStatus(status);
}

function hostFacts(ctx: CliContext): ServiceHostFacts {
  const user = userInfo();
  return {
    platform: process.platform,
    homedir: homedir(),
    uid: user.uid,
    windowsUser: ctx.env.USERDOMAIN ? `${ctx.env.USERDOMAIN}\\${user.username}` : user.username,
    env: ctx.env,
    node: process.execPath,
    // The command as it was started (an installed `rolecall` link, or out/main/cli.js).
    cli: resolve(process.argv[1] ?? 'rolecall'),
  };
}

/** Every option after `--` must be one `rolecall serve` has: a typo fails here, not at login. */
function checkServeOptions(args: readonly string[], serve: Command | undefined): void {
  for (const arg of args) {
    if (!arg.startsWith('-')) continue;
    const flag = arg.split('=')[0]!;
    const known = serve?.options.some((option) => option.long === flag || option.short === flag);
    if (!known) {
      throw new UsageError(
        `${flag} is not an option of \`rolecall serve\`, whose options \`rolecall serve --help\` lists.`,
      );
    }
  }
}
