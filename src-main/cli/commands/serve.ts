import { Option, type Command } from 'commander';
import { DEFAULT_HOST, startHost } from '../../core/host';
import { createLogger, LOG_FORMATS, type LogFormat, type Logger } from '../../core/logger';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { explicitPort, parsePort } from '../options';
import { ReportedError } from '../reported-error';
import { socketModeOption, socketOptions } from '../socket-options';

/**
 * Closing the terminal sends SIGHUP; a service manager sends SIGTERM; Ctrl-C sends SIGINT. Each
 * stops the server cleanly: the runtime file and the instance lock go with it.
 */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

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
    .option(
      '--socket <path>',
      'also serve the endpoint on this Unix socket (plain HTTP, the same bearer token)',
    )
    .option(
      '--socket-mode <mode>',
      'permissions of the socket file, in octal (default: 0600, its owner only)',
      socketModeOption,
    )
    .option('--socket-group <group>', 'group of the socket file (name or number)')
    .option('-v, --verbose', 'log every request and renewal (secrets are redacted)')
    .addOption(
      new Option(
        '--log-format <format>',
        'pretty: one readable line per entry; json: every line on stderr a JSON object, for log collectors',
      )
        .choices(LOG_FORMATS)
        .default('pretty'),
    )
    .addHelpText(
      'after',
      '\nStops cleanly on Ctrl-C, SIGTERM or SIGHUP (closing its terminal). The bearer token is created on first start and kept in the OS keychain.',
    )
    .action(
      async (options: {
        port?: number;
        host: string;
        verbose?: boolean;
        tls?: boolean;
        ui?: boolean;
        socket?: string;
        socketMode?: number;
        socketGroup?: string;
        logFormat: LogFormat;
      }) => {
        const ctx = context();
        const socket = await socketOptions(options);
        // A closed terminal or a log reader that went away must not stop the server, nor its
        // clean shutdown: what it would have said is lost either way.
        process.stderr.on('error', () => {});
        const logger = createLogger({
          level: options.verbose ? 'info' : 'warn',
          format: options.logFormat,
          color: Boolean(process.stderr.isTTY) && !ctx.env.NO_COLOR,
          destination: { write: (line: string) => ctx.stderr(line) },
        });
        const say = announcer(ctx, logger, options.logFormat);
        const port = explicitPort(options.port, ctx.env);
        const running = await reportedIn(options.logFormat, logger, async () =>
          startHost({
            home: ctx.home,
            secrets: ctx.secrets,
            host: options.host,
            ...(port === undefined ? {} : { port }),
            logger,
            ...(options.tls === undefined ? {} : { tls: options.tls }),
            ...(options.ui ? { uiRoot: await rendererDirectory() } : {}),
            ...(socket ? { socket } : {}),
          }),
        );
        const { info } = running;
        say(`Rolecall ${info.version} is serving credentials at ${info.url} (pid ${info.pid}).`, {
          url: info.url,
          pid: info.pid,
          version: info.version,
          tls: info.tls,
        });
        if (info.socket) {
          say(`It answers on the Unix socket ${info.socket} too.`, { socket: info.socket });
        }
        if (info.caFile) {
          say(`Clients verify it with the CA in ${info.caFile}.`, { caFile: info.caFile });
        }
        if (options.logFormat === 'pretty') {
          ctx.stderr(
            'Load a profile with `rolecall load <profile>`, then run `eval "$(rolecall env)"` in your shell.\n',
          );
        }
        if (options.ui) {
          // One use, 15 minutes: the link is safe to leave in a terminal's scrollback or a log.
          const { url } = await running.core.api.createUiLink(undefined);
          say(
            `Open the web UI (this link works once, for 15 minutes; \`rolecall ui\` makes another):\n  ${url}`,
            { uiLink: url },
            'Open the web UI with this link (it works once, for 15 minutes; `rolecall ui` makes another).',
          );
        }
        const signal = await firstStopSignal();
        say(`Received ${signal}; stopping.`, { signal });
        await running.close();
      },
    );
}

/** Waits for a stop signal; a second one while stopping ends the process at once, as usual. */
function firstStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const name of STOP_SIGNALS) process.off(name, stop);
      resolve(signal);
    };
    for (const name of STOP_SIGNALS) process.on(name, stop);
  });
}

/** Runs the start; in JSON, a failure is the stream's last JSON line rather than plain text. */
async function reportedIn<T>(
  format: LogFormat,
  logger: Logger,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (format !== 'json') throw error;
    logger.fatal(error instanceof RolecallError ? { code: error.code } : {}, errorMessage(error));
    throw new ReportedError(errorMessage(error));
  }
}

/**
 * What `serve` itself says (where it listens, the web UI link, that it stops): plain sentences
 * for a person, or log entries among the others when the log is JSON.
 */
function announcer(ctx: CliContext, logger: Logger, format: LogFormat) {
  // Shown whatever the log level: without them nobody knows where the server is.
  const notices = logger.child({}, { level: 'info' });
  return (text: string, fields: Record<string, unknown>, jsonText = text) => {
    if (format === 'json') notices.info(fields, jsonText);
    else ctx.stderr(`${text}\n`);
  };
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
