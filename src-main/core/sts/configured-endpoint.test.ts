import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stsDestination } from '../../../test/helpers/sts-destination';
import { withEnv } from '../../../test/helpers/with-env';
import { createWorkspace, type Workspace } from '../../../test/helpers/workspace';
import { configuredStsEndpoint } from './configured-endpoint';

/**
 * configuredStsEndpoint against the AWS SDK's own lookup, where the SDK can answer: for the
 * profile AWS_PROFILE names (the only one it reads). Each case must give the same endpoint —
 * or the same refusal — both ways.
 */

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
});
afterAll(async () => {
  await ws.dispose();
});

const CONFIG = [
  '[default]',
  'endpoint_url = http://127.0.0.1:1/default',
  '[profile plain]',
  'region = eu-west-1',
  '[profile own]',
  'endpoint_url = http://127.0.0.1:2/own',
  '[profile services]',
  'services = local',
  'endpoint_url = http://127.0.0.1:3/services-fallback',
  '[profile services-without-sts]',
  'services = other',
  'endpoint_url = http://127.0.0.1:4/profile',
  '[profile services-missing]',
  'services = nowhere',
  '[profile ignoring]',
  'ignore_configured_endpoint_urls = true',
  'endpoint_url = http://127.0.0.1:5/ignored',
  '[services local]',
  'sts =',
  '  endpoint_url = http://127.0.0.1:6/local-sts',
  's3 =',
  '  endpoint_url = http://127.0.0.1:7/local-s3',
  '[services other]',
  's3 =',
  '  endpoint_url = http://127.0.0.1:8/other-s3',
  '',
].join('\n');

const REGIONAL = 'https://sts.us-east-1.amazonaws.com';

/** The endpoint the SDK's own client picks, or the message it refuses with. */
async function sdkChoice(): Promise<string> {
  const client = new STSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  try {
    return (await stsDestination(client)).url.replace(/\/$/, '');
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

function ourChoice(): string {
  try {
    return (configuredStsEndpoint(undefined) ?? REGIONAL).replace(/\/$/, '');
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

const cases: [string, Record<string, string>][] = [
  ['the default profile', {}],
  ['a profile with none', { AWS_PROFILE: 'plain' }],
  ['a profile’s own endpoint_url', { AWS_PROFILE: 'own' }],
  ['a services section’s sts endpoint', { AWS_PROFILE: 'services' }],
  ['a services section without sts', { AWS_PROFILE: 'services-without-sts' }],
  [
    'AWS_ENDPOINT_URL_STS over the files',
    { AWS_PROFILE: 'own', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/env-sts' },
  ],
  [
    'AWS_ENDPOINT_URL over the files',
    { AWS_PROFILE: 'own', AWS_ENDPOINT_URL: 'http://127.0.0.1:9/env' },
  ],
  [
    'AWS_ENDPOINT_URL_STS over AWS_ENDPOINT_URL',
    {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9/env',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/env-sts',
    },
  ],
  ['the profile ignoring configured endpoints', { AWS_PROFILE: 'ignoring' }],
  [
    'the profile ignoring them, environment included',
    { AWS_PROFILE: 'ignoring', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/env-sts' },
  ],
  [
    'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false over the profile',
    { AWS_PROFILE: 'ignoring', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' },
  ],
  [
    'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true over everything',
    {
      AWS_PROFILE: 'own',
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/env-sts',
    },
  ],
];

describe('the same endpoint as the AWS SDK chooses', () => {
  it.each(cases)('%s', async (_name, vars) => {
    await ws.writeConfig(CONFIG);
    const env = {
      AWS_CONFIG_FILE: ws.configFile,
      AWS_SHARED_CREDENTIALS_FILE: ws.credentialsFile,
      AWS_PROFILE: 'default',
      ...vars,
    };
    await withEnv(env, async () => {
      for (const name of [
        'AWS_ENDPOINT_URL_STS',
        'AWS_ENDPOINT_URL',
        'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
      ]) {
        if (!(name in vars)) delete process.env[name];
      }
      expect(ourChoice()).toBe(await sdkChoice());
    });
  });

  it('refuses a services line naming no section, where the SDK would quietly call AWS itself', async () => {
    await ws.writeConfig(CONFIG);
    await withEnv({ AWS_CONFIG_FILE: ws.configFile, AWS_PROFILE: 'services-missing' }, async () => {
      delete process.env.AWS_ENDPOINT_URL_STS;
      delete process.env.AWS_ENDPOINT_URL;
      // The SDK's selector throws, its config chain takes that for "not set": the real STS.
      expect(await sdkChoice()).toBe(REGIONAL);
      expect(ourChoice()).toBe(
        `refused: Profile services-missing names services nowhere, but ${ws.configFile} has no [services nowhere] section. Add the section or remove the services line.`,
      );
    });
  });
});
