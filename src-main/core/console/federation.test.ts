import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeFederation } from '../../../test/fixtures/fake-federation';
import { loginUrl, requestSigninToken, SignInRefused } from './federation';

const credentials = {
  accessKeyId: 'ASIAROLE000000000001',
  secretAccessKey: 'role/secret+with=symbols',
  sessionToken: 'token+/=&?#"quoted"',
};

let fake: FakeFederation;
beforeEach(async () => {
  fake = await FakeFederation.start();
  fake.know(credentials, 'role');
});
afterEach(() => fake.close());

/** A server that answers every request with `respond`, for what the fake endpoint never does. */
async function oddServer(
  respond: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server }> {
  const server = createServer(respond);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/federation`, server };
}

describe('requestSigninToken', () => {
  it('sends the credentials as the Session JSON, and a SessionDuration when given', async () => {
    const token = await requestSigninToken({
      signInUrl: fake.url,
      credentials,
      sessionDurationSeconds: 7200,
    });
    expect(fake.token(token)).toMatchObject({
      accessKeyId: credentials.accessKeyId,
      sessionDuration: 7200,
    });
    const [request] = fake.requests;
    expect(request!.params).toEqual([
      ['Action', 'getSigninToken'],
      ['SessionDuration', '7200'],
    ]);
    expect(request!.session).toEqual({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    });
  });

  it('sends no SessionDuration when none is given', async () => {
    await requestSigninToken({ signInUrl: fake.url, credentials });
    expect(fake.requests[0]!.params).toEqual([['Action', 'getSigninToken']]);
    expect(fake.requests[0]!.sessionDuration).toBeUndefined();
  });

  it('hands a refusal back with its status, naming the endpoint by host and path only', async () => {
    const refusal = await requestSigninToken({
      signInUrl: fake.url,
      credentials: { ...credentials, sessionToken: 'wrong' },
    }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SignInRefused);
    expect(refusal).toMatchObject({ httpStatus: 400 });
    expect((refusal as Error).message).toBe(
      `the AWS sign-in endpoint (${new URL(fake.url).host}/federation) answered HTTP 400.`,
    );
  });

  it('says so when nothing answers, without the query that carries the credentials', async () => {
    const { url, server } = await oddServer(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    const error = (await requestSigninToken({ signInUrl: url, credentials }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(
      /^Could not reach the AWS sign-in endpoint \(127\.0\.0\.1:\d+\/federation\): .*ECONNREFUSED.*\. Check the network and try again\.$/,
    );
    expect(error.message).not.toContain(credentials.secretAccessKey);
  });

  it('gives up on an endpoint that never answers, in words', async () => {
    const { url, server } = await oddServer(() => undefined);
    try {
      const error = (await requestSigninToken({
        signInUrl: url,
        credentials,
        timeoutMs: 200,
      }).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(
        /did not answer within 200 ms; check the network and try again\.$/,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops when its caller goes away', async () => {
    const { url, server } = await oddServer(() => undefined);
    try {
      const caller = new AbortController();
      const pending = requestSigninToken({ signInUrl: url, credentials, signal: caller.signal });
      caller.abort();
      await expect(pending).rejects.toThrow('Opening the console was cancelled.');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not follow a redirect with the credentials', async () => {
    let followed = false;
    const { url, server } = await oddServer((request, response) => {
      if (request.url?.startsWith('/elsewhere')) followed = true;
      response.writeHead(302, { location: '/elsewhere' }).end();
    });
    try {
      await expect(requestSigninToken({ signInUrl: url, credentials })).rejects.toMatchObject({
        httpStatus: 302,
      });
      expect(followed).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says a 200 without a token is not the endpoint’s answer', async () => {
    const { url, server } = await oddServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>'),
    );
    try {
      await expect(requestSigninToken({ signInUrl: url, credentials })).rejects.toThrow(
        /answered without a sign-in token \(HTTP 200 with text\/html\); a proxy or captive portal may be in the way\.$/,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('loginUrl', () => {
  it('is the endpoint with Action, Issuer, Destination and SigninToken, each encoded', () => {
    const url = new URL(
      loginUrl({
        signInUrl: 'https://signin.aws.amazon.com/federation',
        issuer: 'rolecall',
        destination: 'https://console.aws.amazon.com/s3/home?region=eu-west-1',
        signinToken: 'tok+en/=',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://signin.aws.amazon.com/federation');
    expect([...url.searchParams]).toEqual([
      ['Action', 'login'],
      ['Issuer', 'rolecall'],
      ['Destination', 'https://console.aws.amazon.com/s3/home?region=eu-west-1'],
      ['SigninToken', 'tok+en/='],
    ]);
  });
});
