import type { Command } from 'commander';
import { DEFAULT_HOST, startHost } from '../../core/host';
import { createLogger } from '../../core/logger';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { explicitPort, parsePort } from '../options';

export function registerServe(program: Command, context: () => CliContext): void {
  program
    .command('serve')
    .description(
      'Run Rolecall headless in the foreground: the credentials server and the core (systemd and Docker friendly).',
    )
    .option(
      '-p, --port <port>',
      'port to listen on (default: ROLECALL_PORT, the server.port setting, or 4144)',
      parsePort,
    )
    .option('--host <host>', 'loopback address to bind: 127.0.0.1, ::1 or localhost', DEFAULT_HOST)
    .option('--tls', 'serve HTTPS with a local CA (default: the server.tls setting)')
    .option('--no-tls', 'serve plain HTTP even if the server.tls setting is on')
    .option('--ui', 'also serve the web UI, and print a one-time link to it')
    .option('-v, --verbose', 'log every request (secrets are redacted)')
    .addHelpText(
      'after',
      '\nStops cleanly on Ctrl-C or SIGTERM. The bearer token is created on first start and kept in the OS keychain.',
    )
    .action(
      async (options: {
        port?: number;
        host: string;
        verbose?: boolean;
        tls?: boolean;
        ui?: boolean;
      }) => {
        const ctx = context();
        const logger = createLogger({ level: options.verbose ? 'info' : 'warn' });
        const port = explicitPort(options.port, ctx.env);
        const running = await startHost({
          home: ctx.home,
          secrets: ctx.secrets,
          host: options.host,
          ...(port === undefined ? {} : { port }),
          logger,
          ...(options.tls === undefined ? {} : { tls: options.tls }),
          ...(options.ui ? { uiRoot: await rendererDirectory() } : {}),
        });
        ctx.stderr(
          `Rolecall ${running.info.version} is serving credentials at ${running.info.url} (pid ${running.info.pid}).\n` +
            (running.info.caFile
              ? `Clients verify it with the CA in ${running.info.caFile}.\n`
              : '') +
            'Load a profile with `rolecall load <profile>`, then run `eval "$(rolecall env)"` in your shell.\n',
        );
        if (options.ui) {
          // One use, 15 minutes: the link is safe to leave in a terminal's scrollback or a log.
          const { url } = await running.core.api.createUiLink(undefined);
          ctx.stderr(
            `Open the web UI (this link works once, for 15 minutes; \`rolecall ui\` makes another):\n  ${url}\n`,
          );
        }
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            ctx.stderr(`Received ${signal}; stopping.\n`);
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await running.close();
      },
    );
}

/** The built renderer beside the built CLI (out/main/cli.js → out/renderer). */
async function rendererDirectory(): Promise<string> {
  const directory = join(__dirname, '..', 'renderer');
  try {
    await access(join(directory, 'index.html'));
  } catch {
    throw new RolecallError(
      'ui-missing',
      `The web UI is not built (${directory} is missing). Run \`npm run build\` first.`,
      500,
    );
  }
  return directory;
}
