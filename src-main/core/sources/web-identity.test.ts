import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testFetchContext } from '../../../test/helpers/fetch-context';
import { fakeStsClients, stsError } from '../../../test/helpers/fake-sts-client';
import { createWebIdentitySource } from './web-identity';

const ROLE = 'arn:aws:iam::333333333333:role/ci';
let dir: string;
let tokenFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-web-identity-'));
  tokenFile = join(dir, 'token');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function source(respond?: Parameters<typeof fakeStsClients>[0]) {
  const sts = fakeStsClients(respond);
  return {
    calls: sts.calls,
    source: createWebIdentitySource({
      profile: 'ci',
      roleArn: ROLE,
      tokenFile,
      roleSessionName: 'ci-run',
      region: 'us-west-2',
      createStsClient: sts.createStsClient,
    }),
  };
}

describe('web identity', () => {
  it('reads the token file again at every renewal, and sends it unsigned', async () => {
    const { source: ci, calls } = source();
    await writeFile(tokenFile, 'eyJ.first.token\n');
    const first = await ci.fetch(testFetchContext());
    await writeFile(tokenFile, 'eyJ.second.token');
    await ci.fetch(testFetchContext());
    expect(calls.map((call) => call.input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'ci-run', WebIdentityToken: 'eyJ.first.token' },
      { RoleArn: ROLE, RoleSessionName: 'ci-run', WebIdentityToken: 'eyJ.second.token' },
    ]);
    expect(calls[0]!.action).toBe('AssumeRoleWithWebIdentity');
    expect(calls[0]!.client).toEqual({ region: 'us-west-2', profile: 'ci' });
    expect(first).toMatchObject({ accountId: '333333333333', roleArn: ROLE });
  });

  it('says what is wrong with the token file', async () => {
    const { source: ci, calls } = source();
    await expect(ci.fetch(testFetchContext())).rejects.toMatchObject({
      failure: 'not-found',
      message: `Profile ci: its web_identity_token_file ${tokenFile} does not exist. The tool that writes the token (a CI runner, Kubernetes) has not written it, or the path in your AWS config is wrong.`,
    });
    await writeFile(tokenFile, '\n');
    await expect(ci.fetch(testFetchContext())).rejects.toMatchObject({
      failure: 'bad-output',
      message: `Profile ci: its web_identity_token_file ${tokenFile} is empty. It must hold the token alone (a JWT).`,
    });
    expect(calls).toEqual([]);
  });

  it('words what STS says about the token', async () => {
    await writeFile(tokenFile, 'eyJ.expired.token');
    const { source: ci } = source(() => {
      throw stsError(
        'ExpiredTokenException',
        'Token expired: current date/time 1 must be before the expiration date/time 0',
        400,
      );
    });
    await expect(ci.fetch(testFetchContext())).rejects.toMatchObject({
      message: `Profile ci: the web identity token in ${tokenFile} has expired: Token expired: current date/time 1 must be before the expiration date/time 0. Have the tool that writes it write a new one.`,
    });
  });
});
