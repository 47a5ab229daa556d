/**
 * A question only a person can answer — an MFA code, a sign-in — asked on behalf of one or more
 * loaded profiles. "A person must answer" is an outcome of a source, not an error to retry: the
 * entry waits in the `needs-input` state, and any door (the terminal of `rolecall load`, the
 * window, the tray, the web UI, `mfa_process`) may answer through RolecallApi.
 *
 * One question per `key` at a time: every renewal that asks the same key (the same MFA device,
 * the same IAM Identity Center session) shares one prompt and one answer.
 */
export interface Question {
  /**
   * What makes two questions the same one: `mfa:<serial>`, `sso:<session>`. A `new-password`
   * (an Amazon Cognito user who must choose one) is answered with the new password itself, which
   * goes to Cognito and the keychain and is never shown or stored anywhere else.
   */
  key: string;
  kind: 'mfa-code' | 'sign-in' | 'new-password';
  /** The question in words, e.g. "Enter the MFA code of arn:aws:iam::123456789012:mfa/alice". */
  prompt: string;
  /** For `mfa-code`: the MFA device's serial number or ARN. */
  mfaSerial?: string;
  /** For `sign-in`: the IAM Identity Center session to sign in to. */
  ssoSession?: string;
  /** Why the last answer did not work ("AWS refused the code"), shown with the prompt. */
  retryReason?: string;
}

/** A question waiting for its answer, as every UI sees it. */
export interface InputRequestView extends Question {
  /** The profiles whose credentials wait for the answer, sorted. */
  waiting: string[];
  /** RFC 3339 time it was first asked. */
  since: string;
}
