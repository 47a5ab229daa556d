import pino, { type Logger } from 'pino';

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
