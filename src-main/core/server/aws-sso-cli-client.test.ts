import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  awsSsoCliClient,
  goPathEscape,
  type GoRoleCredentials,
} from '../../../test/helpers/aws-sso-cli-client';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { sendRaw, type RawAnswer } from '../../../test/helpers/raw-http';
import { createCore, type Core } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { buildServer } from './app';
import { slotPath } from '../../../src-shared/slot-url';

/**
 * aws-sso-cli's own ECS client against Rolecall: each of its commands' requests replayed byte
 * for byte over a real socket (its bytes, not an HTTP client's idea of them), and each answer
 * checked as that client reads it — a 200, and JSON it can unmarshal.
 */
const TOKEN = 'aws-sso-cli-contract-token-0123456789abcdef';
const HOUR = 3_600_000;

let app: FastifyInstance;
let core: Core;
let clock: ManualClock;
let port: number;
let client: ReturnType<typeof awsSsoCliClient>;

beforeAll(async () => {
  clock = new ManualClock();
  core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: async (profile) => {
      throw new Error(`no source for ${profile}`);
    },
  });
  app = buildServer({ broker: core.broker, api: core.api, token: () => TOKEN, clock });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  // What `--server` / AWS_SSO_ECS_SERVER holds: aws-sso-cli's default with our port.
  client = awsSsoCliClient(`localhost:${port}`, TOKEN);
});

afterAll(async () => {
  core.broker.stop();
  await app.close();
});

beforeEach(() => core.broker.unloadAll());

let issued = 0;
/** Role credentials as IAM Identity Center hands them to aws-sso-cli. */
function roleCredentials(overrides: Partial<GoRoleCredentials> = {}): GoRoleCredentials {
  issued += 1;
  return {
    roleName: 'AdministratorAccess',
    accountId: 123456789012,
    accessKeyId: `ASIASSOCLI${String(issued).padStart(6, '0')}`,
    secretAccessKey: `secret-${issued}`,
    sessionToken: `session-${issued}`,
    expiration: clock.now() + HOUR,
    ...overrides,
  };
}

const send = (request: Buffer) => sendRaw(port, request);

/** What checkDoResponse accepts: exactly 200. */
function expectAccepted(answer: RawAnswer) {
  expect(answer.status, answer.body).toBe(200);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
}

/** GET of a slot, as an AWS SDK asks for it. */
async function served(path: string) {
  const answer = await send(
    Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    ),
  );
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
}

/** Profile names aws-sso-cli may load with --slotted: its ProfileFormat makes names like these. */
const SLOTTED_NAMES = [
  'dev',
  'Team Account:AdministratorAccess',
  'Production/ReadOnly',
  'café & crème <ops>',
  '100%',
  'what?#now',
  'a+b=c;d,e',
  '..',
  '.',
];

describe("aws-sso-cli's ECS client", () => {
  it('ecs load: PUT / stores the credentials in the default slot, account ID and all', async () => {
    const creds = roleCredentials({ accountId: 12345678901 });
    expectAccepted(await send(client.load('Prod:Admin', creds, false)));
    const answer = await served('/');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      Expiration: new Date(creds.expiration).toISOString(),
      // An int64 loses the leading zero; the account ID has it back.
      AccountId: '012345678901',
    });
    // Its role name is kept for `/profile`, but no ARN is made up from it.
    expect(answer.body).not.toHaveProperty('RoleArn');
  });

  it.each(SLOTTED_NAMES)(
    'ecs load --slotted: %j lands in its own slot, reachable at the URL Rolecall prints',
    async (name) => {
      const creds = roleCredentials();
      expectAccepted(await send(client.load(name, creds, true)));
      expect(core.broker.snapshot().slots).toEqual([name]);
      const answer = await served(slotPath(name));
      expect(answer.status).toBe(200);
      expect(answer.body.AccessKeyId).toBe(creds.accessKeyId);
    },
  );

  it('ecs list: GET /slot answers what it unmarshals into its table', async () => {
    const creds = roleCredentials({ accountId: 999 });
    expectAccepted(await send(client.load('Team:Ops', creds, true)));
    const answer = await send(client.list());
    expectAccepted(answer);
    expect(JSON.parse(answer.body)).toEqual([
      {
        ProfileName: 'Team:Ops',
        AccountId: '000000000999',
        RoleName: 'AdministratorAccess',
        Expiration: Math.floor(creds.expiration / 1000),
        Expires: '1h 00m',
      },
    ]);
  });

  it('ecs profile: GET /profile names the default slot, and 404 when it is empty', async () => {
    expect((await send(client.profile())).status).toBe(404);
    expectAccepted(await send(client.load('Prod:Admin', roleCredentials(), false)));
    const answer = await send(client.profile());
    expectAccepted(answer);
    expect(JSON.parse(answer.body)).toMatchObject({
      ProfileName: 'Prod:Admin',
      AccountId: '123456789012',
      RoleName: 'AdministratorAccess',
    });
  });

  it('ecs unload: DELETE / with a JSON content type and an empty body empties the default slot', async () => {
    expectAccepted(await send(client.load('Prod:Admin', roleCredentials(), false)));
    const answer = await send(client.unload());
    expectAccepted(answer);
    expect(JSON.parse(answer.body)).toEqual({
      code: '200',
      message: 'Unloaded Prod:Admin from the default slot.',
    });
    expect(core.broker.snapshot().defaultProfile).toBeNull();
    expect((await served('/')).status).toBe(404);
  });

  it.each(SLOTTED_NAMES)('ecs unload --profile %j empties exactly that slot', async (name) => {
    expectAccepted(await send(client.load(name, roleCredentials(), true)));
    expectAccepted(await send(client.load('keep', roleCredentials(), true)));
    expectAccepted(await send(client.unload(name)));
    expect(core.broker.snapshot().slots).toEqual(['keep']);
  });
});

describe('requests that need no body', () => {
  /** `framing` is the framing header and the body after the head, e.g. `Content-Length: 0`. */
  const head = (method: string, path: string, contentType: string, framing: string) => {
    const [header, body] = framing.split('\n\n') as [string, string | undefined];
    return Buffer.from(
      `${method} ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: ${contentType}\r\n${header}\r\n\r\n${body ?? ''}`,
    );
  };
  const CONTENT_TYPES = [
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'APPLICATION/JSON; CHARSET=UTF-8',
    'Application/Json',
  ];
  const FRAMINGS = ['Content-Length: 0', 'Transfer-Encoding: chunked\n\n0\r\n\r\n'];

  it.each(CONTENT_TYPES.flatMap((type) => FRAMINGS.map((framing) => [type, framing])))(
    'accept an empty body labelled %j (%j) on every DELETE and GET',
    async (contentType, framing) => {
      const put = (name: string, slotted: boolean) =>
        send(client.load(name, roleCredentials(), slotted));
      expectAccepted(await put('default-one', false));
      expectAccepted(await put('a', true));
      expectAccepted(await put('b', true));
      expectAccepted(await put('c', true));
      for (const path of ['/', '/creds', '/profile', '/slot', '/slot/a', slotPath('a')]) {
        expectAccepted(await send(head('GET', path, contentType, framing)));
      }
      expectAccepted(
        await send(head('DELETE', `/slot/${goPathEscape('a')}`, contentType, framing)),
      );
      expectAccepted(await send(head('DELETE', slotPath('b'), contentType, framing)));
      expectAccepted(await send(head('DELETE', '/slot', contentType, framing)));
      expectAccepted(await send(head('DELETE', '/', contentType, framing)));
      expect(core.broker.snapshot()).toMatchObject({ defaultProfile: null, slots: [] });
    },
  );

  it.each([
    ['an empty body', '', 'Request body is empty; send a JSON object.'],
    ['malformed JSON', '{"ProfileName": ', 'Request body is not valid JSON.'],
    ['JSON that is not a PUT body', '{}', 'Creds: '],
  ])('still refuse a PUT with %s, and store nothing', async (_case, body, message) => {
    for (const path of ['/', '/slot/x']) {
      const answer = await send(
        Buffer.from(
          `PUT ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
            `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        ),
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ code: '400', message: expect.any(String) });
      expect(JSON.parse(answer.body).message).toContain(message);
    }
    expect(core.broker.snapshot()).toMatchObject({ defaultProfile: null, slots: [] });
  });

  it('still refuse a malformed body on a DELETE', async () => {
    const answer = await send(head('DELETE', '/', 'application/json', 'Content-Length: 1\n\n{'));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).message).toBe('Request body is not valid JSON.');
  });
});
