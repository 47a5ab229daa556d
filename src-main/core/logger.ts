import pino, { type Logger } from 'pino';

/**
 * Every path a secret could travel through a log line. pino removes them before serialising, so
 * a secret can't reach a log even when someone logs a whole object by mistake.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'headers.authorization',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.accessKeyId',
  '*.SecretAccessKey',
  '*.SessionToken',
  '*.Token',
  '*.token',
  '*.Creds',
  'credentials',
  '*.credentials',
];

export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: undefined,
    },
    options.destination ?? pino.destination(2),
  );
}

export type { Logger };
