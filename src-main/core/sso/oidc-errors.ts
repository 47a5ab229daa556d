import {
  AccessDeniedException,
  AuthorizationPendingException,
  ExpiredTokenException,
  InvalidClientException,
  SlowDownException,
} from '@aws-sdk/client-sso-oidc';
import { RolecallError } from '../errors';
import { awsFailureInWords, httpStatus } from './http-status';
import { sessionLabel } from './session-key';
import type { SsoSessionRef } from './types';

/** The SDK's `message` when an answer carries none — which is every OIDC error. */
const SDK_PLACEHOLDER = 'UnknownError';

/**
 * What IAM Identity Center (or the network) said, in words, never empty. The OIDC service puts its
 * words in `error_description` and no `message` in its errors, so the SDK's own message is a
 * placeholder; some answers have no description at all, and a refused connection tried over IPv4
 * and IPv6 is an AggregateError with an empty message. Each falls back to what is known: the
 * exception's name, its OAuth error code, the HTTP status, the system error code.
 */
export function oidcFailureInWords(error: unknown): string {
  if (!(error instanceof Error)) return String(error) || 'an unknown failure';
  const status = httpStatus(error);
  if (status !== undefined) {
    const { error: code, error_description: description } = error as {
      error?: string;
      error_description?: string;
    };
    const words = description?.trim() || usable(awsFailureInWords(error));
    const details = [error.name, code, `HTTP ${status}`].filter(Boolean).join(', ');
    return words ? `${words} (${details})` : `IAM Identity Center answered ${details}`;
  }
  return awsFailureInWords(error);
}

function usable(message: string | undefined): string | undefined {
  const trimmed = message?.trim();
  return trimmed && trimmed !== SDK_PLACEHOLDER ? trimmed : undefined;
}

/** IAM Identity Center no longer knows the OIDC client (revoked, expired, instance recreated). */
export function isInvalidClient(error: unknown): boolean {
  return (
    error instanceof InvalidClientException ||
    (error as { error?: unknown } | null)?.error === 'invalid_client'
  );
}

/** Words for what went wrong talking to the OIDC service. */
export function oidcError(error: unknown, session: SsoSessionRef, doing: string): RolecallError {
  if (error instanceof RolecallError) return error;
  const label = sessionLabel(session);
  if (error instanceof AccessDeniedException) {
    return new RolecallError('sso-access-denied', `Sign-in to ${label} was denied.`, 403, {
      cause: error,
    });
  }
  if (error instanceof ExpiredTokenException) {
    return new RolecallError(
      'sso-code-expired',
      `The sign-in for ${label} was not completed in time; run it again.`,
      408,
      { cause: error },
    );
  }
  if (error instanceof AuthorizationPendingException || error instanceof SlowDownException) {
    return new RolecallError(
      'sso-pending',
      `The sign-in for ${label} is still waiting for approval.`,
      409,
      { cause: error },
    );
  }
  return new RolecallError(
    httpStatus(error) === undefined ? 'sso-unreachable' : 'sso-refused',
    `Could not ${doing} for ${label} (${session.region}): ${oidcFailureInWords(error)}`,
    502,
    { cause: error },
  );
}
