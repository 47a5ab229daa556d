import { describe, expect, it } from 'vitest';
import { createLogger, LOG_FORMATS, type LogFormat } from './logger';

function capture(format: LogFormat = 'json') {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    format,
    destination: { write: (line) => lines.push(line) },
  });
  return { logger, text: () => lines.join('') };
}

const awsCredentials = {
  accessKeyId: 'ASIALEAKKEYID0000001',
  secretAccessKey: 'leak-secret-access-key',
  sessionToken: 'leak-session-token',
  expiresAt: 1,
};
const processOutput = {
  Version: 1,
  AccessKeyId: 'ASIALEAKKEYID0000002',
  SecretAccessKey: 'leak-process-secret',
  SessionToken: 'leak-process-session',
};
const ecsBody = { ...processOutput, Token: 'leak-ecs-token', Expiration: 'x' };
const putBody = { ProfileName: 'dev', Creds: { ...awsCredentials } };
const ssoToken = {
  accessToken: 'leak-sso-access',
  refreshToken: 'leak-sso-refresh',
  clientSecret: 'leak-client-secret',
};
const portalAnswer = { roleCredentials: { secretAccessKey: 'leak-portal-secret' } };
const request = { method: 'GET', url: '/', headers: { authorization: 'Bearer leak-bearer' } };
const tls = { keyPem: '-----BEGIN PRIVATE KEY-----leak-pem', key: 'leak-key' };

const shapes = {
  awsCredentials,
  processOutput,
  ecsBody,
  putBody,
  ssoToken,
  portalAnswer,
  request,
  tls,
};
const leaks = JSON.stringify(shapes).match(/leak-[a-z-]+|ASIALEAK\w+/g)!;

describe.each(LOG_FORMATS)('log redaction, %s', (format) => {
  it.each(Object.entries(shapes))(
    'removes the secrets of %s whether logged as it is or nested three levels down',
    (_name, shape) => {
      const { logger, text } = capture(format);
      logger.info(shape, 'as the object');
      logger.info({ value: shape }, 'one level down');
      logger.info({ entry: { value: shape } }, 'two levels down');
      logger.warn({ event: { entry: { value: shape } } }, 'three levels down');
      expect(text().split('\n').filter(Boolean)).toHaveLength(4);
      expect(leaks.filter((secret) => text().includes(secret))).toEqual([]);
      expect(text()).toContain('[redacted]');
    },
  );

  it('keeps what is not secret, so logs stay useful', () => {
    const { logger, text } = capture(format);
    logger.info({ profile: 'dev', credentials: awsCredentials, state: 'fresh' }, 'Renewed dev');
    if (format === 'json') {
      const line = JSON.parse(text()) as Record<string, unknown>;
      expect(line).toMatchObject({ profile: 'dev', state: 'fresh', msg: 'Renewed dev' });
      expect(line.credentials).toBe('[redacted]');
    } else {
      expect(text()).toMatch(
        /^\d\d:\d\d:\d\d INFO {2}Renewed dev profile=dev credentials=\[redacted\] state=fresh\n$/,
      );
    }
  });
});
