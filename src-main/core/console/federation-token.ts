import { GetFederationTokenCommand } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../credentials';
import { credentialsOf } from '../sources/sts-credentials';
import { stsFailure } from '../sts/sts-errors';
import type { CreateStsClient } from '../sts/sts-client';

/**
 * The session policy sent with GetFederationToken. A federated user may do only what both the
 * IAM user's own policies and this policy allow, and nothing at all without one; allowing
 * everything here leaves the IAM user's policies in charge, so the console can do what the keys
 * can (less IAM and STS calls, which a federated user can never make).
 */
export const FEDERATION_SESSION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/** GetFederationToken's bounds for an IAM user's keys: 15 minutes to 36 hours. */
const DURATION_SECONDS = { min: 900, max: 129_600 } as const;

export interface FederationTokenRequest {
  profile: string;
  /** The profile's long-lived keys: GetFederationToken takes no session credentials. */
  keys: AwsCredentials;
  region?: string;
  /** How long the federated user's console session lasts. */
  durationSeconds: number;
  createStsClient: CreateStsClient;
  signal?: AbortSignal;
}

/**
 * A federated user made from a profile's long-lived keys, named after the profile so CloudTrail
 * and the console's account menu say where it came from. Its console session lasts as long as
 * its credentials, which is `durationSeconds`.
 */
export async function federationToken(request: FederationTokenRequest): Promise<AwsCredentials> {
  const client = request.createStsClient({
    credentials: request.keys,
    ...(request.region ? { region: request.region } : {}),
    profile: request.profile,
  });
  try {
    const output = await client.send(
      new GetFederationTokenCommand({
        Name: federatedUserName(request.profile),
        Policy: FEDERATION_SESSION_POLICY,
        DurationSeconds: Math.round(
          Math.min(DURATION_SECONDS.max, Math.max(DURATION_SECONDS.min, request.durationSeconds)),
        ),
      }),
      request.signal ? { abortSignal: request.signal } : {},
    );
    return credentialsOf(request.profile, output.Credentials, 'GetFederationToken');
  } catch (error) {
    throw stsFailure(error, {
      profile: request.profile,
      action: 'GetFederationToken',
      signedBy: request.profile,
      ...(request.region ? { region: request.region } : {}),
    });
  }
}

/** GetFederationToken's `Name`: 2 to 32 of `[\w+=,.@-]`; other characters become `-`. */
export function federatedUserName(profile: string): string {
  const name = profile.replace(/[^\w+=,.@-]/g, '-').slice(0, 32);
  return name.length >= 2 ? name : `rolecall-${name}`;
}
