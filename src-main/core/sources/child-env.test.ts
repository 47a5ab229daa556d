import { describe, expect, it } from 'vitest';
import { credentialProcessEnv } from './child-env';

describe('credentialProcessEnv', () => {
  it("removes Rolecall's secrets and the container-credentials variables, and keeps the rest", () => {
    const base = {
      PATH: '/usr/bin',
      HOME: '/home/me',
      AWS_PROFILE: 'dev',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer secret',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/run/token',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'https://127.0.0.1:9/',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials',
      ROLECALL_TOKEN: 'a',
      ROLECALL_BEARER_TOKEN: 'b',
      ROLECALL_TOKEN_FILE: 'c',
      ROLECALL_HOME: '/tmp/rc',
      ROLECALL_SOURCE_PROFILE: 'dev',
      NOT_ROLECALL_TOKEN: 'kept: not ours',
      UNSET: undefined,
    };
    expect(credentialProcessEnv(base)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/me',
      AWS_PROFILE: 'dev',
      ROLECALL_HOME: '/tmp/rc',
      ROLECALL_SOURCE_PROFILE: 'dev',
      NOT_ROLECALL_TOKEN: 'kept: not ours',
    });
  });

  it('matches names case-insensitively, as Windows does', () => {
    expect(
      credentialProcessEnv({
        aws_container_authorization_token: 'x',
        Rolecall_Api_Token: 'y',
        Path: 'p',
      }),
    ).toEqual({ Path: 'p' });
  });

  it('copies rather than changing what it was given', () => {
    const base = { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x', A: 'a' };
    const env = credentialProcessEnv(base);
    env.B = 'b';
    expect(base).toEqual({ AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x', A: 'a' });
  });
});
