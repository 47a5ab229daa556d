import { appendFile } from 'node:fs/promises';
import { FakeSts, type FakeStsOptions, type FakeUser } from '../fixtures/fake-sts';
import type { Workspace } from './workspace';

/**
 * The environment that sends every AWS SDK's STS calls to `fake` — the SDK for JavaScript and
 * botocore 1.31+ read AWS_ENDPOINT_URL_STS; the AWS CLI v2 here (2.9) predates it and needs
 * `--endpoint-url`. A region, so nothing falls back to a real one.
 */
export function fakeStsEnv(fake: FakeSts): Record<string, string> {
  return { AWS_ENDPOINT_URL_STS: fake.url };
}

/**
 * A fake STS for a workspace whose `rolecall` processes (started with `ws.env` afterwards) reach
 * it through AWS_ENDPOINT_URL_STS. Close it in the test's afterAll/afterEach.
 */
export async function startFakeStsFor(
  ws: Workspace,
  options: FakeStsOptions = {},
): Promise<FakeSts> {
  const fake = await FakeSts.start(options);
  Object.assign(ws.env, fakeStsEnv(fake));
  return fake;
}

/**
 * Writes `user`'s long-lived keys into the workspace's credentials file as profile `profile`,
 * as `aws configure` would — what `rolecall keys import` starts from.
 */
export async function writeKeysProfile(
  ws: Workspace,
  profile: string,
  user: FakeUser,
): Promise<void> {
  await appendFile(
    ws.credentialsFile,
    `\n[${profile}]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`,
  );
}
