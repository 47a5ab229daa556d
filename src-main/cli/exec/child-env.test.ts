import { describe, expect, it } from 'vitest';
import { childEnvironment, CREDENTIAL_VARIABLES } from './child-env';

const endpoint = {
  kind: 'endpoint' as const,
  url: 'http://127.0.0.1:4144/slot/prod',
  authorization: 'Bearer token',
};

/** A shell with every variable that could decide the credentials set, and some that cannot. */
const shell: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  HOME: '/home/me',
  AWS_CONFIG_FILE: '/home/me/.aws/config',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  ...Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, `from-shell-${name}`])),
};

describe('childEnvironment', () => {
  it('takes out every variable an SDK reads before the endpoint, and points at the slot', () => {
    const env = childEnvironment(shell, endpoint);
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/me',
      AWS_CONFIG_FILE: '/home/me/.aws/config',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:4144/slot/prod',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer token',
    });
  });

  it.each([
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ])('removes %s', (name) => {
    expect(childEnvironment({ [name]: 'x' }, endpoint)).not.toHaveProperty(name);
  });

  it("puts the profile's region in both variables SDKs read it from", () => {
    const env = childEnvironment(shell, endpoint, 'eu-west-1');
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(env.AWS_DEFAULT_REGION).toBe('eu-west-1');
  });

  it('names the CA file for Node over TLS, and nothing else about trust', () => {
    const env = childEnvironment({}, { ...endpoint, caFile: '/h/trust.pem' });
    expect(env.NODE_EXTRA_CA_CERTS).toBe('/h/trust.pem');
    expect(env).not.toHaveProperty('AWS_CA_BUNDLE');
  });

  it('leaves the parent untouched', () => {
    const parent = { ...shell };
    childEnvironment(parent, endpoint, 'eu-west-1');
    expect(parent).toEqual(shell);
  });

  it('gives the keys themselves with --env-keys, and no endpoint', () => {
    const env = childEnvironment(shell, {
      kind: 'keys',
      body: {
        AccessKeyId: 'ASIAKEYS',
        SecretAccessKey: 'secret',
        Token: 'session',
        Expiration: '2030-01-01T00:00:00Z',
      },
    });
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: 'ASIAKEYS',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
    });
    expect(env).not.toHaveProperty('AWS_CONTAINER_CREDENTIALS_FULL_URI');
    expect(env).not.toHaveProperty('AWS_CONTAINER_AUTHORIZATION_TOKEN');
    expect(env).not.toHaveProperty('AWS_SECURITY_TOKEN');
  });
});
