import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProfileInfo } from '../../../src-shared/profile';
import { FakeFederation, type FederationKind } from '../../../test/fixtures/fake-federation';
import { fakeStsClients, stsCredentials, stsError } from '../../../test/helpers/fake-sts-client';
import { ManualClock } from '../../../test/helpers/manual-clock';
import type { AwsCredentials } from '../credentials';
import type { KeysForSigning } from '../sources/long-lived-keys';
import { createConsoleSignIn, type ConsoleSignInDeps } from './console-sign-in';
import { FEDERATION_SESSION_POLICY } from './federation-token';

const HOUR = 3_600_000;
let clock: ManualClock;
let fake: FakeFederation;
let counter = 0;

beforeEach(async () => {
  clock = new ManualClock();
  fake = await FakeFederation.start({ now: clock.now });
});
afterEach(() => fake.close());

/** Credentials the fake endpoint knows as `kind`, expiring in `hours`. */
function served(kind: FederationKind, hours = 1): AwsCredentials {
  counter += 1;
  const credentials = {
    accessKeyId: `ASIASERVED${String(counter).padStart(10, '0')}`,
    secretAccessKey: `served-secret-${counter}`,
    sessionToken: `served-token-${counter}`,
    expiresAt: clock.now() + hours * HOUR,
  };
  fake.know(credentials, kind);
  return credentials;
}

function deps(
  info: ProfileInfo,
  overrides: Partial<ConsoleSignInDeps> = {},
): ConsoleSignInDeps & { heldCredentials: ReturnType<typeof vi.fn> } {
  return {
    clock,
    profileInfo: async (name) => {
      if (name !== info.name) throw new Error(`no profile ${name}`);
      return info;
    },
    heldCredentials: vi.fn(async () => {
      throw new Error('no credentials held in this test');
    }),
    longLivedKeys: async () => {
      throw new Error('no keys in this test');
    },
    sessionSeconds: () => 2 * 3600,
    signInUrlOverride: () => ({ url: fake.url, from: 'ROLECALL_SIGNIN_URL' }),
    ...overrides,
  } as ConsoleSignInDeps & { heldCredentials: ReturnType<typeof vi.fn> };
}

const holding = (credentials: AwsCredentials, loadedIntoSlot = false) =>
  vi.fn(async () => ({ credentials, loadedIntoSlot }));

/** The login URL's fields, and the sign-in token's request as the endpoint saw it. */
function readLogin(url: string) {
  const parsed = new URL(url);
  const token = parsed.searchParams.get('SigninToken')!;
  return {
    endpoint: `${parsed.origin}${parsed.pathname}`,
    params: [...parsed.searchParams].map(([name]) => name),
    action: parsed.searchParams.get('Action'),
    issuer: parsed.searchParams.get('Issuer'),
    destination: parsed.searchParams.get('Destination'),
    issued: fake.token(token),
  };
}

const sso: ProfileInfo = {
  name: 'prod',
  kind: 'sso',
  loadable: true,
  region: 'eu-west-1',
  accountId: '111122223333',
  roleName: 'Admin',
};

describe('console sign-in', () => {
  it('signs IAM Identity Center role credentials in for the session length asked, field by field', async () => {
    const credentials = served('role');
    const signIn = createConsoleSignIn(deps(sso, { heldCredentials: holding(credentials) }));

    const result = await signIn({ profile: 'prod', service: 's3' });

    const login = readLogin(result.url);
    expect(login).toEqual({
      endpoint: fake.url,
      params: ['Action', 'Issuer', 'Destination', 'SigninToken'],
      action: 'login',
      issuer: 'rolecall',
      destination: 'https://console.aws.amazon.com/s3/home?region=eu-west-1',
      issued: expect.objectContaining({
        accessKeyId: credentials.accessKeyId,
        sessionDuration: 7200,
      }),
    });
    expect(fake.requests.map((request) => request.session)).toEqual([
      {
        sessionId: credentials.accessKeyId,
        sessionKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      },
    ]);
    expect(result).toMatchObject({
      profile: 'prod',
      expiresAt: clock.now() + 15 * 60_000,
      sessionEndsAt: clock.now() + 2 * HOUR,
      loadedIntoSlot: false,
    });
    expect(result.note).toBeUndefined();
  });

  it('asks for at most the 12 hours the endpoint gives, and at least 15 minutes', async () => {
    const credentials = served('role');
    await createConsoleSignIn(
      deps(sso, { heldCredentials: holding(credentials), sessionSeconds: () => 30 * 3600 }),
    )({ profile: 'prod' });
    await createConsoleSignIn(
      deps(sso, { heldCredentials: holding(credentials), sessionSeconds: () => 60 }),
    )({ profile: 'prod' });
    expect(fake.requests.map((request) => request.sessionDuration)).toEqual(['43200', '900']);
  });

  it('signs a role assumed with keys directly in with a session length', async () => {
    const credentials = served('role');
    const role: ProfileInfo = {
      name: 'admin',
      kind: 'assume-role',
      loadable: true,
      roleArn: 'arn:aws:iam::111122223333:role/Admin',
      sourceProfile: 'admin',
      keysIn: 'keychain',
    };
    const result = await createConsoleSignIn(deps(role, { heldCredentials: holding(credentials) }))(
      {
        profile: 'admin',
      },
    );
    expect(readLogin(result.url).issued?.sessionDuration).toBe(7200);
  });

  it('sends no session length for a role assumed with another session (role chaining), and says why the session is short', async () => {
    const credentials = served('chained-role', 0.75);
    const chained: ProfileInfo = {
      name: 'ops',
      kind: 'assume-role',
      loadable: true,
      roleArn: 'arn:aws:iam::111122223333:role/Ops',
      sourceProfile: 'base',
      chain: ['base'],
    };
    const result = await createConsoleSignIn(
      deps(chained, { heldCredentials: holding(credentials) }),
    )({ profile: 'ops' });
    expect(fake.requests[0]!.sessionDuration).toBeUndefined();
    expect(readLogin(result.url).issued?.accessKeyId).toBe(credentials.accessKeyId);
    expect(result.sessionEndsAt).toBe(credentials.expiresAt);
    expect(result.note).toBe(
      'ops is a role assumed with the credentials of profile base (role chaining), so AWS lets its console session last only as long as its credentials.',
    );
  });

  it('treats a credential_source role as chained too', async () => {
    const credentials = served('chained-role');
    const onInstance: ProfileInfo = {
      name: 'ec2',
      kind: 'assume-role',
      loadable: true,
      roleArn: 'arn:aws:iam::111122223333:role/X',
      credentialSource: 'Ec2InstanceMetadata',
    };
    const result = await createConsoleSignIn(
      deps(onInstance, { heldCredentials: holding(credentials) }),
    )({ profile: 'ec2' });
    expect(fake.requests[0]!.sessionDuration).toBeUndefined();
    expect(result.note).toContain('credential_source Ec2InstanceMetadata');
  });

  it('makes a federated user from long-lived keys with GetFederationToken, never sending the served session', async () => {
    const sts = fakeStsClients((call) => {
      const Credentials = stsCredentials(clock.now() + Number(call.input.DurationSeconds) * 1000);
      fake.know(
        {
          accessKeyId: Credentials.AccessKeyId,
          secretAccessKey: Credentials.SecretAccessKey,
          sessionToken: Credentials.SessionToken,
        },
        'federated-user',
      );
      return { Credentials };
    });
    const keys: KeysForSigning = {
      credentials: { accessKeyId: 'AKIAUSERKEYS00000001', secretAccessKey: 'user-secret' },
      from: 'keychain',
      isSession: false,
    };
    const dev: ProfileInfo = {
      name: 'dev',
      kind: 'static',
      loadable: true,
      keysIn: 'keychain',
      region: 'us-west-2',
    };
    const options = deps(dev, {
      longLivedKeys: async () => keys,
      createStsClient: sts.createStsClient,
    });

    const result = await createConsoleSignIn(options)({ profile: 'dev' });

    expect(options.heldCredentials).not.toHaveBeenCalled();
    expect(sts.calls).toEqual([
      expect.objectContaining({
        action: 'GetFederationToken',
        client: { credentials: keys.credentials, region: 'us-west-2', profile: 'dev' },
        input: { Name: 'dev', Policy: FEDERATION_SESSION_POLICY, DurationSeconds: 7200 },
      }),
    ]);
    expect(JSON.parse(FEDERATION_SESSION_POLICY)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(fake.requests[0]!.sessionDuration).toBeUndefined();
    expect(readLogin(result.url).issued).toMatchObject({ kind: 'federated-user' });
    expect(result.sessionEndsAt).toBe(clock.now() + 2 * HOUR);
    expect(result.note).toContain('federated user dev');
  });

  it('says in words why STS refused GetFederationToken', async () => {
    const sts = fakeStsClients(() => {
      throw stsError(
        'AccessDenied',
        'User: arn:aws:iam::1:user/alice is not authorized to perform: sts:GetFederationToken',
      );
    });
    const dev: ProfileInfo = { name: 'dev', kind: 'static', loadable: true, keysIn: 'keychain' };
    const signIn = createConsoleSignIn(
      deps(dev, {
        longLivedKeys: async () => ({
          credentials: { accessKeyId: 'AKIAUSERKEYS00000001', secretAccessKey: 's' },
          from: 'keychain',
          isSession: false,
        }),
        createStsClient: sts.createStsClient,
      }),
    );
    await expect(signIn({ profile: 'dev' })).rejects.toThrow(
      /^Profile dev: AWS denied GetFederationToken with the credentials of profile dev: .*not authorized to perform: sts:GetFederationToken\. Check the permissions of the identity that signed the call\.$/,
    );
    expect(fake.requests).toEqual([]);
  });

  it('sends session credentials pasted into a file as they are, without a session length', async () => {
    const credentials = served('role');
    const sts = fakeStsClients();
    const pasted: ProfileInfo = {
      name: 'pasted',
      kind: 'static',
      loadable: true,
      keysIn: 'credentials-file',
    };
    const result = await createConsoleSignIn(
      deps(pasted, {
        createStsClient: sts.createStsClient,
        longLivedKeys: async () => ({
          credentials,
          from: '/home/me/.aws/credentials',
          isSession: true,
        }),
      }),
    )({ profile: 'pasted' });
    expect(sts.calls).toEqual([]);
    expect(fake.requests[0]!.sessionDuration).toBeUndefined();
    expect(readLogin(result.url).issued?.accessKeyId).toBe(credentials.accessKeyId);
    expect(result.note).toContain('the session credentials in /home/me/.aws/credentials');
  });

  it('sends credential_process credentials without a session length, and explains a 400 in words', async () => {
    const credentials = served('user-session');
    const helper: ProfileInfo = { name: 'helper', kind: 'credential_process', loadable: true };
    const signIn = createConsoleSignIn(deps(helper, { heldCredentials: holding(credentials) }));
    const error = (await signIn({ profile: 'helper' }).catch((e: unknown) => e)) as Error;
    expect(fake.requests[0]).toMatchObject({ outcome: 'an IAM user session cannot sign in' });
    expect(fake.requests[0]!.sessionDuration).toBeUndefined();
    expect(error.message).toBe(
      `The AWS sign-in endpoint (${new URL(fake.url).host}/federation) refused the credentials of profile helper (HTTP 400). It takes only role credentials and federated users' credentials that have not expired — not an IAM user's own keys, nor a session made from them with GetSessionToken. Those of profile helper come from its credential_process; if they are an IAM user's, open the console with a profile that assumes a role with them (role_arn with source_profile = helper).`,
    );
  });

  it('explains a 400 for role credentials with the session length it asked for', async () => {
    const credentials = served('role');
    fake.fail(400);
    const signIn = createConsoleSignIn(deps(sso, { heldCredentials: holding(credentials) }));
    await expect(signIn({ profile: 'prod' })).rejects.toThrow(
      /refused the credentials of profile prod \(HTTP 400\)\. It refuses credentials that have expired or were revoked, and a console session longer than it gives: Rolecall asked for 2 hours \(console\.sessionHours in settings\.json, at most 12\)\. Renew them with `rolecall load prod` and try again, or ask for a shorter session\.$/,
    );
  });

  it('says a failing endpoint failed, and to try again', async () => {
    fake.fail(503);
    const signIn = createConsoleSignIn(deps(sso, { heldCredentials: holding(served('role')) }));
    await expect(signIn({ profile: 'prod' })).rejects.toThrow(
      /failed \(HTTP 503\); try again in a moment\.$/,
    );
  });

  it('refuses long-lived keys a credential_process gives, in words, before sending them', async () => {
    const helper: ProfileInfo = { name: 'helper', kind: 'credential_process', loadable: true };
    const signIn = createConsoleSignIn(
      deps(helper, {
        heldCredentials: holding({ accessKeyId: 'AKIAUSERKEYS00000001', secretAccessKey: 's' }),
      }),
    );
    await expect(signIn({ profile: 'helper' })).rejects.toThrow(
      'The credentials of profile helper have no session token: they are long-lived keys, which the AWS console does not take.',
    );
    expect(fake.requests).toEqual([]);
  });

  it('checks the destination and the sign-in URL before fetching any credentials', async () => {
    const options = deps(sso);
    await expect(
      createConsoleSignIn(options)({ profile: 'prod', destination: 'https://evil.example/' }),
    ).rejects.toThrow('evil.example is not');
    await expect(
      createConsoleSignIn({
        ...options,
        signInUrlOverride: () => ({
          url: 'http://proxy.example/federation',
          from: 'ROLECALL_SIGNIN_URL',
        }),
      })({ profile: 'prod' }),
    ).rejects.toThrow(
      'ROLECALL_SIGNIN_URL must be the https URL of an AWS federation endpoint (such as https://signin.aws.amazon.com/federation); http://proxy.example would send credentials unencrypted (plain http is only for 127.0.0.1, localhost or [::1]).',
    );
    expect(options.heldCredentials).not.toHaveBeenCalled();
  });

  it('opens the partition of the region asked for, whatever the profile’s', async () => {
    const signIn = createConsoleSignIn(deps(sso, { heldCredentials: holding(served('role')) }));
    const result = await signIn({ profile: 'prod', region: 'cn-north-1', service: 'ec2' });
    expect(readLogin(result.url).destination).toBe(
      'https://console.amazonaws.cn/ec2/home?region=cn-north-1',
    );
  });

  it('refuses a profile that cannot be loaded with its reason', async () => {
    const broken: ProfileInfo = {
      name: 'broken',
      kind: 'unsupported',
      loadable: false,
      notLoadableReason: 'it sets no credentials',
    };
    await expect(createConsoleSignIn(deps(broken))({ profile: 'broken' })).rejects.toThrow(
      'Profile broken cannot be loaded: it sets no credentials.',
    );
  });

  it('passes its caller’s signal on to the load', async () => {
    const credentials = served('role');
    const options = deps(sso, { heldCredentials: holding(credentials, true) });
    const caller = new AbortController();
    const result = await createConsoleSignIn(options)({ profile: 'prod' }, caller.signal);
    expect(options.heldCredentials).toHaveBeenCalledWith('prod', caller.signal);
    expect(result.loadedIntoSlot).toBe(true);
  });
});
