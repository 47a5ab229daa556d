import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSts, type FakeUser } from '../../../test/fixtures/fake-sts';
import { stsDestination as destination } from '../../../test/helpers/sts-destination';
import { withEnv } from '../../../test/helpers/with-env';
import { createWorkspace, type Workspace } from '../../../test/helpers/workspace';
import { awsClientTimeouts } from '../aws-client-config';
import { RolecallError } from '../errors';
import { createStsClient, stsClientFactory } from './sts-client';

let fake: FakeSts;
let ws: Workspace;
let alice: FakeUser;
const UNREACHABLE = 'http://127.0.0.1:9/not-this-one';

beforeAll(async () => {
  fake = await FakeSts.start();
  alice = fake.createUser({ userName: 'alice' });
  ws = await createWorkspace();
});
afterAll(async () => {
  await fake.close();
  await ws.dispose();
});
beforeEach(async () => {
  await ws.writeConfig('');
});

/** The files of the workspace, and no endpoint or region from the machine running the tests. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_CONFIG_FILE: ws.configFile,
    AWS_SHARED_CREDENTIALS_FILE: ws.credentialsFile,
    AWS_ENDPOINT_URL_STS: '',
    AWS_ENDPOINT_URL: '',
    AWS_STS_REGIONAL_ENDPOINTS: '',
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: '',
    AWS_PROFILE: '',
    ...extra,
  };
}

const keys = () => ({ accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey });

describe('where calls go', () => {
  it('sends calls to AWS_ENDPOINT_URL_STS, signed for the region, or us-east-1 without one', async () => {
    await withEnv(
      env({ AWS_ENDPOINT_URL_STS: fake.url, AWS_ENDPOINT_URL: UNREACHABLE }),
      async () => {
        const before = fake.callCount();
        const regional = createStsClient({ credentials: keys(), region: 'eu-west-1' });
        expect((await regional.send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
        const global = createStsClient({ credentials: keys() });
        expect((await global.send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
        expect(fake.calls.slice(before).map((call) => call.signingRegion)).toEqual([
          'eu-west-1',
          'us-east-1',
        ]);
      },
    );
    await withEnv(env({ AWS_ENDPOINT_URL: fake.url }), async () => {
      const client = createStsClient({ credentials: keys(), region: 'ap-south-1' });
      expect((await destination(client)).url).toBe(`${fake.url}/`);
    });
  });

  it.each([
    [
      'no region: the global endpoint, signed for us-east-1',
      undefined,
      undefined,
      'https://sts.amazonaws.com/',
      'us-east-1',
    ],
    [
      'a region: its regional endpoint',
      'eu-west-1',
      undefined,
      'https://sts.eu-west-1.amazonaws.com/',
      'eu-west-1',
    ],
    [
      'regional, said outright',
      'us-east-1',
      'regional',
      'https://sts.us-east-1.amazonaws.com/',
      'us-east-1',
    ],
    [
      'legacy in a legacy region: the global endpoint',
      'eu-west-1',
      'legacy',
      'https://sts.amazonaws.com/',
      'us-east-1',
    ],
    [
      'legacy in a newer region: still regional',
      'af-south-1',
      'legacy',
      'https://sts.af-south-1.amazonaws.com/',
      'af-south-1',
    ],
    [
      'another partition',
      'cn-north-1',
      undefined,
      'https://sts.cn-north-1.amazonaws.com.cn/',
      'cn-north-1',
    ],
  ] as const)('%s', async (_name, region, regionalEndpoints, url, signingRegion) => {
    await withEnv(env(), async () => {
      const client = createStsClient({
        credentials: keys(),
        ...(region ? { region } : {}),
        ...(regionalEndpoints ? { regionalEndpoints } : {}),
      });
      expect(await destination(client)).toEqual({ url, signingRegion });
    });
  });

  it('lets AWS_STS_REGIONAL_ENDPOINTS win over the profile, as botocore does, and refuses a bad value', async () => {
    await withEnv(env({ AWS_STS_REGIONAL_ENDPOINTS: 'legacy' }), async () => {
      const client = createStsClient({
        credentials: keys(),
        region: 'us-west-2',
        regionalEndpoints: 'regional',
      });
      expect((await destination(client)).url).toBe('https://sts.amazonaws.com/');
    });
    await withEnv(env({ AWS_STS_REGIONAL_ENDPOINTS: 'global' }), async () => {
      expect(() => createStsClient({ credentials: keys(), region: 'us-west-2' })).toThrow(
        'The environment variable AWS_STS_REGIONAL_ENDPOINTS is "global"; set it to regional or legacy, or unset it.',
      );
    });
  });

  it('uses the endpoint settings of the profile the call is for, never another profile’s', async () => {
    await ws.writeConfig(
      [
        '[default]',
        `endpoint_url = ${UNREACHABLE}`,
        '[profile lab]',
        `endpoint_url = ${fake.url}`,
        '[profile shared]',
        'services = local',
        `endpoint_url = ${UNREACHABLE}`,
        '[services local]',
        'sts =',
        `  endpoint_url = ${fake.url}/svc`,
        '[profile plain]',
        'region = eu-west-1',
        '[profile opted-out]',
        'ignore_configured_endpoint_urls = true',
        `endpoint_url = ${fake.url}`,
        '',
      ].join('\n'),
    );
    await withEnv(env(), async () => {
      const to = async (profile: string | undefined, region?: string) =>
        (
          await destination(
            createStsClient({
              credentials: keys(),
              ...(profile ? { profile } : {}),
              ...(region ? { region } : {}),
            }),
          )
        ).url;
      expect(await to('lab', 'eu-west-1')).toBe(`${fake.url}/`);
      expect(await to('shared', 'eu-west-1')).toBe(`${fake.url}/svc/`);
      // The SDK on its own would send these to [default]'s endpoint_url.
      expect(await to('plain', 'eu-west-1')).toBe('https://sts.eu-west-1.amazonaws.com/');
      expect(await to('opted-out', 'eu-west-1')).toBe('https://sts.eu-west-1.amazonaws.com/');
      expect(await to(undefined, 'eu-west-1')).toBe(`${UNREACHABLE}/`);
      const lab = createStsClient({ credentials: keys(), profile: 'lab', region: 'eu-west-1' });
      expect((await lab.send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
    });
  });
});

describe('what it refuses', () => {
  it('makes no client while an AWS file is one Rolecall refuses', async () => {
    await ws.writeConfig(
      `[profile lab]\nendpoint_url = ${fake.url}\n[profile lab]\nregion = eu-west-1\n`,
    );
    await withEnv(env({ AWS_ENDPOINT_URL_STS: fake.url }), async () => {
      const before = fake.callCount();
      let refused: unknown;
      try {
        createStsClient({ credentials: keys(), profile: 'lab' });
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(RolecallError);
      expect((refused as RolecallError).code).toBe('aws-file-refused');
      expect((refused as RolecallError).message).toContain(ws.configFile);
      expect(fake.callCount()).toBe(before);
    });
  });

  it('never falls back to the SDK’s own credential chain when given no credentials', async () => {
    const role = fake.createRole({ roleName: 'ci' });
    fake.registerWebIdentityToken('token-1');
    // Keys in the environment, which the SDK's default chain would pick up.
    await withEnv(
      env({
        AWS_ENDPOINT_URL_STS: fake.url,
        AWS_ACCESS_KEY_ID: alice.accessKeyId,
        AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
      }),
      async () => {
        const client = createStsClient({ region: 'eu-west-1' });
        const before = fake.callCount();
        await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toThrow(
          'This STS call must be signed, but Rolecall was given no credentials to sign it with.',
        );
        expect(fake.callCount()).toBe(before);
        const answer = await client.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: role.arn,
            RoleSessionName: 'ci',
            WebIdentityToken: 'token-1',
          }),
        );
        expect(answer.AssumedRoleUser?.Arn).toContain('assumed-role/ci/ci');
        expect(fake.calls.at(-1)?.signedBy).toBeNull();
      },
    );
  });
});

describe('time limits', () => {
  it('has the time limits of every AWS client Rolecall makes', async () => {
    await withEnv(env(), async () => {
      const client = createStsClient({ credentials: keys(), region: 'eu-west-1' });
      // What the SDK's HTTP handler was configured with, once it has read its configuration.
      const handler = client.config.requestHandler as unknown as {
        configProvider: Promise<unknown>;
      };
      expect(await handler.configProvider).toMatchObject(awsClientTimeouts.requestHandler);
    });
  });

  it('gives up on an STS that never answers, after its retries', async () => {
    const shortly = stsClientFactory({
      timeouts: { requestHandler: { ...awsClientTimeouts.requestHandler, requestTimeout: 200 } },
    });
    await withEnv(env({ AWS_ENDPOINT_URL_STS: fake.url }), async () => {
      fake.fail('hang', { action: 'GetCallerIdentity' });
      try {
        const before = fake.callCount('GetCallerIdentity');
        const error = await shortly({ credentials: keys(), region: 'eu-west-1' })
          .send(new GetCallerIdentityCommand({}))
          .then(
            () => null,
            (failure: Error) => failure,
          );
        expect(error?.name).toBe('TimeoutError');
        expect(fake.callCount('GetCallerIdentity') - before).toBe(3);
      } finally {
        fake.clearFaults();
      }
    });
  }, 15_000);
});
