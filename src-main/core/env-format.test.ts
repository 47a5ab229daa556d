import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { containerEnv, formatEnv, shQuote } from './env-format';

const variables = {
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:4144/slot/a%2Fb',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer abc',
};

describe('formatEnv', () => {
  it('prints sh exports that a real shell evaluates back to the same values', () => {
    const tricky = { A: 'it\'s $HOME `x` \\ "q"', B: 'Bearer abc' };
    const script = `${formatEnv(tricky, 'sh')}printf '%s\\n%s' "$A" "$B"`;
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toBe(
      `${tricky.A}\n${tricky.B}`,
    );
  });

  it('prints fish, powershell and json forms', () => {
    expect(formatEnv(variables, 'fish')).toBe(
      "set -gx AWS_CONTAINER_CREDENTIALS_FULL_URI 'http://127.0.0.1:4144/slot/a%2Fb';\n" +
        "set -gx AWS_CONTAINER_AUTHORIZATION_TOKEN 'Bearer abc';\n",
    );
    expect(formatEnv({ A: "it's" }, 'fish')).toBe("set -gx A 'it\\'s';\n");
    expect(formatEnv({ A: "it's" }, 'powershell')).toBe("$Env:A = 'it''s'\n");
    expect(JSON.parse(formatEnv(variables, 'json'))).toEqual(variables);
  });

  it('quotes single quotes for sh', () => {
    expect(shQuote("a'b")).toBe(`'a'\\''b'`);
  });
});

describe('containerEnv', () => {
  it('points at the default slot, or at a profile slot with its name escaped, and adds the CA with TLS', () => {
    expect(containerEnv({ url: 'http://127.0.0.1:4144/', authorization: 'Bearer t' })).toEqual({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:4144/',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer t',
    });
    expect(
      containerEnv({
        url: 'https://127.0.0.1:4144/',
        authorization: 'Bearer t',
        caFile: '/h/tls/ca.pem',
        profile: 'Prod/Admin',
      }),
    ).toEqual({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'https://127.0.0.1:4144/slot/Prod%2FAdmin',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer t',
      NODE_EXTRA_CA_CERTS: '/h/tls/ca.pem',
    });
  });

  it('never sets AWS_CA_BUNDLE, which botocore would use for every AWS endpoint', () => {
    const env = containerEnv({
      url: 'https://127.0.0.1:4144/',
      authorization: 'Bearer t',
      caFile: '/h/tls/ca.pem',
    });
    expect(env).not.toHaveProperty('AWS_CA_BUNDLE');
  });
});
