import { asSentence, RolecallError } from '../errors';
import { SourceError, type SourceFailure } from '../sources/source';
import { awsFailureInWords, httpStatus, isConnectFailure } from '../sso/http-status';

/** The STS calls Rolecall makes. */
export type StsAction =
  | 'AssumeRole'
  | 'AssumeRoleWithWebIdentity'
  | 'GetSessionToken'
  | 'GetFederationToken'
  | 'GetCallerIdentity';

/** What a failed STS call was, so its error can name what to fix. */
export interface StsCallDescription {
  /** The profile whose credentials the call was for; every sentence starts with it. */
  profile: string;
  action: StsAction;
  /** The profile whose credentials signed the call (a source_profile, the keys' profile). */
  signedBy?: string;
  roleArn?: string;
  mfaSerial?: string;
  /** Where AssumeRoleWithWebIdentity's token was read from. */
  tokenFile?: string;
  /** The region the call went to; none for the global endpoint. */
  region?: string;
}

/** STS's words when the MFA code was wrong, or already used (a code works once). */
const WRONG_MFA_CODE = /MultiFactorAuthentication failed with invalid MFA one time pass code/i;
/** STS's words when the serial number is no MFA device of the signing user. */
const UNKNOWN_MFA_DEVICE = /MultiFactorAuthentication failed, unable to validate MFA code/i;

/**
 * STS's words when a role assumed with another role's credentials (role chaining, which an IAM
 * Identity Center role's credentials are too) asks for more than the hour such a session may last.
 */
const ROLE_CHAINING_LIMIT = /session limit for roles assumed by role chaining/i;

/** Error codes STS (and the AWS gateway before it) throttles with. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
]);

/**
 * AWS refused the MFA code itself — wrong, or already used — so a source should ask the person
 * again (with `retryReason`), not fail or retry on its own.
 */
export function isMfaCodeRefused(error: unknown): boolean {
  return codeOf(error) === 'AccessDenied' && WRONG_MFA_CODE.test(messageOf(error));
}

/**
 * An STS call's failure as a SourceError a user can act on: one or two sentences naming the
 * profile, what AWS said, and what to do. Errors that are already SourceErrors pass through.
 */
export function stsFailure(error: unknown, call: StsCallDescription): SourceError {
  if (error instanceof SourceError) return error;
  const fail = (failure: SourceFailure, words: string) =>
    new SourceError(call.profile, failure, `Profile ${call.profile}: ${words}`, { cause: error });
  if (error instanceof RolecallError) return fail('not-loadable', error.message);

  const code = codeOf(error);
  const said = usableMessage(error);
  const signer = call.signedBy ? `the credentials of profile ${call.signedBy}` : 'its credentials';
  const where = call.region ? `STS in ${call.region}` : 'STS';

  if (code === 'AccessDenied' && WRONG_MFA_CODE.test(said)) {
    return fail(
      'denied',
      `AWS refused the MFA code${call.mfaSerial ? ` for ${call.mfaSerial}` : ''}: it is wrong, or was already used. Enter the next code the device shows.`,
    );
  }
  if (code === 'AccessDenied' && UNKNOWN_MFA_DEVICE.test(said)) {
    return fail(
      'denied',
      `AWS could not check the MFA code: ${call.mfaSerial ? `${call.mfaSerial} is` : 'mfa_serial is'} not an MFA device of the IAM user whose keys signed the call${call.signedBy ? ` (profile ${call.signedBy})` : ''}. Set mfa_serial to the ARN of that user's MFA device.`,
    );
  }
  if (code === 'AccessDenied') {
    const what =
      call.action === 'AssumeRole' && call.roleArn
        ? `assuming role ${call.roleArn} with ${signer}`
        : `${call.action} with ${signer}`;
    const fix =
      call.action === 'AssumeRole'
        ? `Check the role's trust policy (and the profile's external_id and mfa_serial) and what ${call.signedBy ? `profile ${call.signedBy}` : 'the signing identity'} may assume.`
        : 'Check the permissions of the identity that signed the call.';
    return fail('denied', `AWS denied ${what}: ${asSentence(said)} ${fix}`);
  }
  if (code === 'ExpiredTokenException' && call.action === 'AssumeRoleWithWebIdentity') {
    return fail(
      'denied',
      `the web identity token${call.tokenFile ? ` in ${call.tokenFile}` : ''} has expired: ${asSentence(said)} Have the tool that writes it write a new one.`,
    );
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException') {
    return fail(
      'denied',
      `AWS says ${signer} have expired (${code}), so the ${call.action} call was refused. Load ${call.signedBy ? `profile ${call.signedBy}` : 'the profile'} again, and check that this computer's clock is right.`,
    );
  }
  if (code === 'InvalidClientTokenId' || code === 'UnrecognizedClientException') {
    return fail(
      'denied',
      `AWS does not recognise ${signer} (${code}): the access key was deleted or made inactive, or its session token is not the one issued with it. Replace the keys${call.signedBy ? ` of profile ${call.signedBy}` : ''}.`,
    );
  }
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') {
    return fail(
      'denied',
      `AWS says the secret access key of ${signer} does not match its access key id (${code}). Replace the keys${call.signedBy ? ` of profile ${call.signedBy}` : ''}, and check that this computer's clock is right.`,
    );
  }
  if (code === 'InvalidIdentityToken' || code === 'IDPRejectedClaim') {
    const role = call.roleArn ? `role ${call.roleArn}` : 'the role';
    return fail(
      'denied',
      `AWS refused the web identity token${call.tokenFile ? ` in ${call.tokenFile}` : ''} (${code}): ${asSentence(said)} Check the token and the identity provider ${role} trusts.`,
    );
  }
  if (code === 'IDPCommunicationError') {
    return fail(
      'unreachable',
      `AWS could not reach the identity provider to check the web identity token: ${asSentence(said)} Rolecall will try again.`,
    );
  }
  if (code === 'RegionDisabledException') {
    return fail(
      'denied',
      `STS is not activated in ${call.region ?? 'this region'} for the account: ${asSentence(said)} Activate the region in the IAM console (Account settings), or give the profile another region.`,
    );
  }
  if (code !== undefined && THROTTLING.has(code)) {
    return fail('throttled', `${where} is throttling ${call.action} calls; Rolecall will retry.`);
  }
  if (code === 'ValidationError' && ROLE_CHAINING_LIMIT.test(said)) {
    return fail(
      'not-loadable',
      `STS refused the ${call.action} request (${code}): ${asSentence(said)} A role assumed with another role's credentials lasts at most an hour: set duration_seconds of profile ${call.profile} to 3600 or less.`,
    );
  }
  if (
    code === 'ValidationError' ||
    code === 'MalformedPolicyDocument' ||
    code === 'PackedPolicyTooLarge'
  ) {
    return fail(
      'not-loadable',
      `STS refused the ${call.action} request (${code}): ${asSentence(said)} Check the profile's settings (duration_seconds, role_session_name, external_id, mfa_serial).`,
    );
  }
  const status = httpStatus(error);
  if (status !== undefined) {
    return fail(
      'unreachable',
      `${where} answered the ${call.action} call with HTTP ${status}${code ? ` ${code}` : ''}: ${asSentence(said)} Rolecall will retry.`,
    );
  }
  if (code === 'TimeoutError' || /timed out|timeout/i.test(said)) {
    // The SDK's words name its own package; the limit it gave up at is what a user can use.
    const ms = /(\d+)\s?ms\b/.exec(said)?.[1];
    const within = ms
      ? ` within ${Number(ms) >= 1000 ? `${Number(ms) / 1000} s` : `${ms} ms`}`
      : ' in time';
    return fail(
      'timeout',
      `${where} did not answer the ${call.action} call${within}. Rolecall will retry; check the network (or AWS_ENDPOINT_URL_STS, if set) if it keeps happening.`,
    );
  }
  const failed = isConnectFailure(error) ? 'could not reach' : 'lost the connection to';
  return fail(
    'unreachable',
    `${failed} ${where} during ${call.action}: ${asSentence(said)} Check the network (or AWS_ENDPOINT_URL_STS, if set); Rolecall will retry.`,
  );
}

function codeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  // The SDK names an error by its code; a code the model lacks (ExpiredToken, Throttling)
  // still arrives as the name, with the raw code under Code too.
  const raw = (error as { Code?: unknown }).Code;
  return typeof raw === 'string' && raw ? raw : error.name;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What STS (or the network) said, never empty. */
function usableMessage(error: unknown): string {
  const message = messageOf(error).trim();
  return message && message !== 'Unknown' && message !== 'UnknownError'
    ? message.split('\n')[0]!
    : awsFailureInWords(error);
}
