import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testFetchContext } from '../../../test/helpers/fetch-context';
import { FakeKeyStore } from '../../../test/helpers/fake-key-store';
import {
  defaultAnswer,
  fakeStsClients,
  stsError,
  wrongMfaCode,
} from '../../../test/helpers/fake-sts-client';
import { readLongLivedKeys } from './long-lived-keys';
import { createSessionTokenSource, type SessionTokenSourceOptions } from './session-token';

const SERIAL = 'arn:aws:iam::111111111111:mfa/alice';
const LONG_LIVED = { accessKeyId: 'AKIALONGLIVED0001', secretAccessKey: 'long-lived-secret' };

let dir: string;
let files: { configFile: string; credentialsFile: string };
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-session-'));
  files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function source(overrides: Partial<SessionTokenSourceOptions> & { keyStore?: FakeKeyStore } = {}) {
  const sts = fakeStsClients();
  const warnings: string[] = [];
  const keyStore = overrides.keyStore ?? new FakeKeyStore({ base: LONG_LIVED });
  const made = createSessionTokenSource({
    profile: 'base',
    durationSeconds: () => 12 * 3600,
    keys: () =>
      readLongLivedKeys({
        profile: 'base',
        files,
        keyStore,
        onWarning: (warning) => warnings.push(warning),
      }),
    createStsClient: sts.createStsClient,
    ...overrides,
  });
  return { source: made, calls: sts.calls, warnings };
}

describe('session credentials from long-lived keys', () => {
  it('calls GetSessionToken signed by the keys, and never returns the keys themselves', async () => {
    const { source: base, calls } = source({ region: 'eu-west-1' });
    const credentials = await base.fetch(testFetchContext());
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      action: 'GetSessionToken',
      input: { DurationSeconds: 43_200 },
      client: { credentials: LONG_LIVED, region: 'eu-west-1', profile: 'base' },
    });
    expect(calls[0]!.input).not.toHaveProperty('SerialNumber');
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(JSON.stringify(credentials)).not.toContain(LONG_LIVED.secretAccessKey);
    expect(JSON.stringify(credentials)).not.toContain(LONG_LIVED.accessKeyId);
    expect(credentials.expiresAt).toBeGreaterThan(Date.now());
  });

  it('holds the duration to what STS allows', async () => {
    for (const [asked, sent] of [
      [60, 900],
      [200_000, 129_600],
      [3600.4, 3600],
    ] as const) {
      const { source: base, calls } = source({ durationSeconds: () => asked });
      await base.fetch(testFetchContext());
      expect(calls[0]!.input.DurationSeconds).toBe(sent);
    }
  });

  it('proves MFA with a code when the profile names a device, and asks again for a refused one', async () => {
    const answers = ['111111', '222222'];
    const asked: string[] = [];
    const sts = fakeStsClients((call) => {
      if (call.input.TokenCode === '111111') throw wrongMfaCode();
      return defaultAnswer(call);
    });
    const base = createSessionTokenSource({
      profile: 'base',
      mfa: { serial: SERIAL, from: 'base' },
      durationSeconds: () => 3600,
      keys: () =>
        readLongLivedKeys({
          profile: 'base',
          files,
          keyStore: new FakeKeyStore({ base: LONG_LIVED }),
        }),
      createStsClient: sts.createStsClient,
    });
    await base.fetch(
      testFetchContext({
        ask: async (question) => {
          asked.push(question.key);
          return answers.shift()!;
        },
      }),
    );
    expect(asked).toEqual([`mfa:${SERIAL}`, `mfa:${SERIAL}`]);
    expect(sts.calls.map((call) => call.input)).toEqual([
      { DurationSeconds: 3600, SerialNumber: SERIAL, TokenCode: '111111' },
      { DurationSeconds: 3600, SerialNumber: SERIAL, TokenCode: '222222' },
    ]);
  });

  it('uses keys still in the credentials file, warning at every read how to move them', async () => {
    await writeFile(
      files.credentialsFile,
      '[base]\naws_access_key_id = AKIAINFILE000001\naws_secret_access_key = file-secret\n',
    );
    const { source: base, calls, warnings } = source({ keyStore: new FakeKeyStore() });
    await base.fetch(testFetchContext());
    await base.fetch(testFetchContext());
    expect(calls[0]!.client.credentials).toEqual({
      accessKeyId: 'AKIAINFILE000001',
      secretAccessKey: 'file-secret',
    });
    const warning = `Profile base: its long-lived keys are in ${files.credentialsFile}, where any program you run can read them. Move them into the keychain with \`rolecall keys import base --remove\`.`;
    expect(warnings).toEqual([warning, warning]);
  });

  it('prefers the keychain, and says when the file still holds keys too', async () => {
    await writeFile(
      files.configFile,
      '[profile base]\naws_access_key_id = AKIAOLD000000001\naws_secret_access_key = old\n',
    );
    const { source: base, calls, warnings } = source();
    await base.fetch(testFetchContext());
    expect(calls[0]!.client.credentials).toEqual(LONG_LIVED);
    expect(warnings).toEqual([
      `Profile base: its keys are in the keychain, and still in ${files.configFile} too, where any program you run can read them. Take them out of the file with \`rolecall keys import base --remove\`.`,
    ]);
  });

  it('uses session credentials pasted into the file as they are', async () => {
    await writeFile(
      files.credentialsFile,
      '[base]\naws_access_key_id = ASIAPASTED000001\naws_secret_access_key = s\naws_session_token = t\n',
    );
    const { source: base, calls, warnings } = source({ keyStore: new FakeKeyStore() });
    await expect(base.fetch(testFetchContext())).resolves.toEqual({
      accessKeyId: 'ASIAPASTED000001',
      secretAccessKey: 's',
      sessionToken: 't',
    });
    expect(calls).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('says where it looked when the keys are gone', async () => {
    const { source: base } = source({ keyStore: new FakeKeyStore() });
    await expect(base.fetch(testFetchContext())).rejects.toMatchObject({
      failure: 'not-found',
      message: `Profile base: its keys are neither in the keychain nor in ${files.credentialsFile} or ${files.configFile} any more. Add them with \`rolecall keys add base\`.`,
    });
  });

  it('words what STS says, naming the profile', async () => {
    const sts = fakeStsClients(() => {
      throw stsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    });
    const { source: base } = source({ createStsClient: sts.createStsClient });
    await expect(base.fetch(testFetchContext())).rejects.toMatchObject({
      failure: 'denied',
      message: expect.stringMatching(/^Profile base: .*InvalidClientTokenId/),
    });
  });
});
