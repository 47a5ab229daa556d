import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testFetchContext } from '../../../test/helpers/fetch-context';
import {
  defaultAnswer,
  fakeStsClients,
  stsError,
  wrongMfaCode,
} from '../../../test/helpers/fake-sts-client';
import type { AwsCredentials } from '../credentials';
import { createAssumeRoleSource, type AssumeRoleSourceOptions } from './assume-role';
import { SourceError } from './source';

const ROLE = 'arn:aws:iam::222222222222:role/team/Admin';
const SERIAL = 'arn:aws:iam::111111111111:mfa/alice';
const NOW = Date.parse('2026-12-01T10:00:00Z');
const PARENT: AwsCredentials = {
  accessKeyId: 'ASIAPARENT000001',
  secretAccessKey: 'parent-secret',
  sessionToken: 'parent-token',
  expiresAt: NOW + 3600_000,
};

function role(overrides: Partial<AssumeRoleSourceOptions> = {}) {
  const sts = fakeStsClients();
  const source = createAssumeRoleSource({
    profile: 'admin',
    roleArn: ROLE,
    signer: { kind: 'parent', profile: 'base' },
    createStsClient: sts.createStsClient,
    now: () => NOW,
    ...overrides,
  });
  return { source, calls: sts.calls };
}

const withParent = (parents: string[] = []) =>
  testFetchContext({
    parent: async (profile) => {
      parents.push(profile);
      return { ...PARENT };
    },
  });

describe('an assumed role', () => {
  it("declares its source_profile as its parent and signs with the parent's credentials", async () => {
    const { source, calls } = role({ region: 'eu-central-1', stsRegionalEndpoints: 'regional' });
    expect(source.parents).toEqual(['base']);
    const asked: string[] = [];
    const credentials = await source.fetch(withParent(asked));
    expect(asked).toEqual(['base']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      action: 'AssumeRole',
      client: {
        credentials: PARENT,
        region: 'eu-central-1',
        regionalEndpoints: 'regional',
        profile: 'admin',
      },
    });
    // The AWS CLI's default name, Rolecall's prefix: the time in seconds.
    expect(calls[0]!.input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: `rolecall-session-${NOW / 1000}`,
    });
    expect(credentials).toMatchObject({
      accountId: '222222222222',
      roleArn: ROLE,
      sessionToken: expect.stringMatching(/^sts-token-/),
    });
    expect(credentials.accessKeyId).not.toBe(PARENT.accessKeyId);
  });

  it('sends role_session_name, external_id and duration_seconds as the AWS CLI does', async () => {
    const { source, calls } = role({
      roleSessionName: 'alice@example.com',
      externalId: 'partner-42',
      durationSeconds: 7200,
    });
    await source.fetch(withParent());
    expect(calls[0]!.input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'alice@example.com',
      ExternalId: 'partner-42',
      DurationSeconds: 7200,
    });
  });

  it('sends an MFA code with every AssumeRole when the role names a device', async () => {
    const codes = ['111111', '222222', '333333'];
    const sts = fakeStsClients((call) => {
      if (call.input.TokenCode === '222222') throw wrongMfaCode();
      return defaultAnswer(call);
    });
    const { source } = role({
      mfa: { serial: SERIAL, from: 'admin' },
      createStsClient: sts.createStsClient,
    });
    const context = testFetchContext({
      parent: async () => ({ ...PARENT }),
      ask: async () => codes.shift()!,
    });
    await source.fetch(context);
    await source.fetch(context);
    expect(sts.calls.map(({ input }) => [input.SerialNumber, input.TokenCode])).toEqual([
      [SERIAL, '111111'],
      [SERIAL, '222222'],
      [SERIAL, '333333'],
    ]);
  });

  it("fails with the parent's failure, without calling STS", async () => {
    const { source, calls } = role();
    const failure = new SourceError('base', 'sign-in-required', 'Profile base: sign in again.');
    await expect(
      source.fetch(testFetchContext({ parent: () => Promise.reject(failure) })),
    ).rejects.toBe(failure);
    expect(calls).toEqual([]);
  });

  it('stops its call when nobody waits for it', async () => {
    const { source, calls } = role();
    const controller = new AbortController();
    await source.fetch({ ...withParent(), signal: controller.signal });
    expect(calls[0]!.signal).toBe(controller.signal);
  });

  it('names the profile that signed when STS refuses', async () => {
    const sts = fakeStsClients(() => {
      throw stsError(
        'AccessDenied',
        `User: arn:aws:sts::1:assumed-role/B/x is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      );
    });
    const { source } = role({ createStsClient: sts.createStsClient });
    await expect(source.fetch(withParent())).rejects.toMatchObject({
      failure: 'denied',
      message: expect.stringMatching(/^Profile admin: .*profile base.*not authorized/),
    });
  });

  it('signs with long-lived keys where its keys sign it directly, and declares no parent', async () => {
    const keys = { accessKeyId: 'AKIASELF00000001', secretAccessKey: 'self-secret' };
    const { source, calls } = role({
      signer: {
        kind: 'keys',
        profile: 'admin',
        read: async () => ({ credentials: keys, from: 'keychain', isSession: false }),
      },
    });
    expect(source.parents).toBeUndefined();
    await source.fetch(testFetchContext());
    expect(calls[0]!.client.credentials).toEqual(keys);
  });
});

describe('credential_source', () => {
  it("Environment: signs with Rolecall's own environment, read at each fetch", async () => {
    const env: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: 'AKIAENV1', AWS_SECRET_ACCESS_KEY: 'e1' };
    const { source, calls } = role({
      signer: { kind: 'credential-source', name: 'Environment', env: () => env },
    });
    expect(source.parents).toBeUndefined();
    await source.fetch(testFetchContext());
    env.AWS_ACCESS_KEY_ID = 'AKIAENV2';
    env.AWS_SESSION_TOKEN = 'env-token';
    await source.fetch(testFetchContext());
    expect(calls.map((call) => call.client.credentials)).toEqual([
      { accessKeyId: 'AKIAENV1', secretAccessKey: 'e1' },
      { accessKeyId: 'AKIAENV2', secretAccessKey: 'e1', sessionToken: 'env-token' },
    ]);
    delete env.AWS_ACCESS_KEY_ID;
    await expect(source.fetch(testFetchContext())).rejects.toMatchObject({
      failure: 'not-loadable',
      message:
        'Profile admin: its credential_source is Environment, but Rolecall was started without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in its environment. Start Rolecall with them set (they assume the role), or give the profile a source_profile instead.',
    });
  });

  describe('Ec2InstanceMetadata, through the AWS SDK', () => {
    let server: Server | undefined;
    afterEach(async () => {
      vi.unstubAllEnvs();
      await new Promise((done) => (server ? server.close(done) : done(undefined)));
      server = undefined;
    });

    it('signs with the instance role the metadata service gives (IMDSv2)', async () => {
      const seen: string[] = [];
      server = createServer((request, response) => {
        seen.push(
          `${request.method} ${request.url} ${request.headers['x-aws-ec2-metadata-token'] ?? ''}`,
        );
        if (request.method === 'PUT' && request.url === '/latest/api/token') {
          response.end('imds-token');
        } else if (request.url === '/latest/meta-data/iam/security-credentials/') {
          response.end('InstanceRole');
        } else if (request.url === '/latest/meta-data/iam/security-credentials/InstanceRole') {
          response.end(
            JSON.stringify({
              Code: 'Success',
              Type: 'AWS-HMAC',
              AccessKeyId: 'ASIAINSTANCE0001',
              SecretAccessKey: 'instance-secret',
              Token: 'instance-token',
              Expiration: new Date(Date.now() + 3600_000).toISOString(),
            }),
          );
        } else {
          response.statusCode = 404;
          response.end();
        }
      });
      await new Promise<void>((listening) => server!.listen(0, '127.0.0.1', listening));
      const { port } = server.address() as AddressInfo;
      vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', `http://127.0.0.1:${port}`);
      const { source, calls } = role({
        signer: { kind: 'credential-source', name: 'Ec2InstanceMetadata' },
      });
      await source.fetch(testFetchContext());
      expect(calls[0]!.client.credentials).toMatchObject({
        accessKeyId: 'ASIAINSTANCE0001',
        secretAccessKey: 'instance-secret',
        sessionToken: 'instance-token',
      });
      expect(seen).toContain(
        'GET /latest/meta-data/iam/security-credentials/InstanceRole imds-token',
      );
    });

    it('says it works only on EC2 when no metadata service answers', async () => {
      server = createServer((request) => request.socket.destroy());
      await new Promise<void>((listening) => server!.listen(0, '127.0.0.1', listening));
      const { port } = server.address() as AddressInfo;
      vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', `http://127.0.0.1:${port}`);
      const { source, calls } = role({
        signer: { kind: 'credential-source', name: 'Ec2InstanceMetadata' },
      });
      await expect(source.fetch(testFetchContext())).rejects.toMatchObject({
        failure: 'unreachable',
        message: expect.stringMatching(
          /^Profile admin: its credential_source is Ec2InstanceMetadata, and the EC2 instance metadata service gave no credentials \(.+\)\. This works only on an EC2 instance with an instance profile; elsewhere give the profile a source_profile instead\.$/,
        ),
      });
      expect(calls).toEqual([]);
    });
  });
});
