import type { STSClient } from '@aws-sdk/client-sts';
import type { CreateStsClient, StsClientOptions } from '../../src-main/core/sts/sts-client';

/** One STS call as a source made it: the client it made, the action and its parameters. */
export interface StsCall {
  /** How the source asked for its client: the credentials that sign, the region… */
  client: StsClientOptions;
  /** `AssumeRole`, `GetSessionToken`, `AssumeRoleWithWebIdentity`. */
  action: string;
  input: Record<string, unknown>;
  /** The abort signal the call was sent with. */
  signal?: AbortSignal;
}

/** Decides what one call answers: an output, or a thrown error (see `stsError`). */
export type StsResponder = (call: StsCall) => unknown;

/**
 * A CreateStsClient whose clients never reach the network: each `send` is recorded and answered
 * by the responder, so a unit test can check exactly what a source sent and with which
 * credentials it signed.
 */
export function fakeStsClients(respond: StsResponder = defaultAnswer): {
  createStsClient: CreateStsClient;
  calls: StsCall[];
} {
  const calls: StsCall[] = [];
  const createStsClient: CreateStsClient = (client) =>
    ({
      send: async (
        command: { input: Record<string, unknown> },
        options?: { abortSignal?: AbortSignal },
      ) => {
        const call: StsCall = {
          client,
          action: command.constructor.name.replace(/Command$/, ''),
          input: { ...command.input },
          ...(options?.abortSignal ? { signal: options.abortSignal } : {}),
        };
        calls.push(call);
        return respond(call);
      },
    }) as unknown as STSClient;
  return { createStsClient, calls };
}

let issued = 0;

/** Session credentials as STS returns them, distinct per call. */
export function stsCredentials(expiresAt = Date.now() + 3600_000) {
  issued += 1;
  return {
    AccessKeyId: `ASIAFAKESTS${String(issued).padStart(6, '0')}`,
    SecretAccessKey: `sts-secret-${issued}`,
    SessionToken: `sts-token-${issued}`,
    Expiration: new Date(expiresAt),
  };
}

/** A successful answer to any of the three calls. */
export function defaultAnswer(call: StsCall): unknown {
  const credentials = stsCredentials();
  if (call.action === 'GetSessionToken') return { Credentials: credentials };
  const roleArn = String(call.input.RoleArn);
  const [, account = '000000000000', role = 'role/R'] =
    /^arn:aws:iam::(\d+):(.*)$/.exec(roleArn) ?? [];
  return {
    Credentials: credentials,
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${account}:assumed-role/${role.replace(/^role\//, '')}/${String(call.input.RoleSessionName)}`,
      AssumedRoleId: `AROAFAKE:${String(call.input.RoleSessionName)}`,
    },
  };
}

/** An error shaped like the AWS SDK's for an STS error answer. */
export function stsError(code: string, message: string, status = 403): Error {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** STS's answer to a wrong or reused MFA code. */
export const wrongMfaCode = () =>
  stsError(
    'AccessDenied',
    'MultiFactorAuthentication failed with invalid MFA one time pass code. ',
  );
