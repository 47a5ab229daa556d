import pino, { type Logger } from 'pino';
import { formatLogLine } from './log-format';

/** Property names that hold a secret in any object Rolecall handles. */
const secretFields = [
  // AWS credentials: ours, the SDK's, credential_process and ECS JSON
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'AccessKeyId',
  'SecretAccessKey',
  'SessionToken',
  'Token',
  'Creds',
  'credentials',
  'roleCredentials',
  // IAM Identity Center
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  // HTTP and TLS
  'authorization',
  'keyPem',
  'key',
];

/**
 * Every path a secret could travel through a log line: each secret field at the top level and
 * up to four levels down (`{event: {req: {headers: {authorization}}}}`). pino
 * removes them before serialising, so a secret can't reach a log even when someone logs a whole
 * object by mistake.
 */
export const redactedPaths = secretFields.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
  `*.*.*.${field}`,
  `*.*.*.*.${field}`,
]);

/** JSON lines for log collectors, or one readable line per entry for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

export function createLogger(
  options: {
    level?: string;
    format?: LogFormat;
    /** Colour the pretty format's levels. */
    color?: boolean;
    destination?: pino.DestinationStream;
  } = {},
): Logger {
  const destination = options.destination ?? pino.destination(2);
  const color = options.color ?? false;
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: undefined,
    },
    options.format === 'pretty'
      ? // Formats the line pino made, after redaction: both formats hide the same secrets.
        { write: (line: string) => destination.write(formatLogLine(line, { color })) }
      : destination,
  );
}

export type { Logger };
