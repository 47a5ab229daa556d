import { asSentence } from '../errors';
import { awsFailureInWords, httpStatus, isConnectFailure } from '../sso/http-status';
import { SourceError } from './source';

/** STS's words when the MFA code was wrong, or already used (a code works once). */
const WRONG_MFA_CODE = /MultiFactorAuthentication failed with invalid MFA one time pass code/i;

function codeOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown; Code?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** AWS refused the MFA code itself, so a person should be asked for another one. */
export function isMfaCodeRefused(error: unknown): boolean {
  return codeOf(error) === 'AccessDenied' && WRONG_MFA_CODE.test(awsFailureInWords(error));
}

/** What a failed STS call was for, so its sentence can say so. */
export interface StsCall {
  profile: string;
  action: 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'GetSessionToken';
  /** The profile whose credentials signed the call. */
  signedBy?: string;
}

/** An STS call's failure as a SourceError naming the profile and what AWS said. */
export function stsFailure(error: unknown, call: StsCall): SourceError {
  if (error instanceof SourceError) return error;
  const code = codeOf(error);
  const said = asSentence(awsFailureInWords(error));
  const signer = call.signedBy ? ` signed by profile ${call.signedBy}` : '';
  const status = httpStatus(error);
  const failure =
    code === 'Throttling'
      ? 'throttled'
      : status !== undefined && status < 500
        ? 'denied'
        : isConnectFailure(error) || status !== undefined
          ? 'unreachable'
          : 'unreachable';
  return new SourceError(
    call.profile,
    failure,
    `Profile ${call.profile}: STS refused ${call.action}${signer}${code ? ` (${code})` : ''}: ${said}`,
    { cause: error },
  );
}
