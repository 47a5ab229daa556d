import { z } from 'zod';
import type { AwsCredentials } from '../credentials';
import { parseRfc3339 } from './parse-rfc3339';
import { SourceError } from './source';

export const CREDENTIAL_PROCESS_DOCS =
  'https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html';

/**
 * Every message here is written by hand and names a field, never its value: the output holds
 * secrets, and zod's default messages are not promised to leave the input out.
 */
const requiredKey = (field: string) =>
  z
    .string({
      error: (issue) => `${field} ${issue.input === undefined ? 'is missing' : 'must be a string'}`,
    })
    .min(1, { error: `${field} is empty` });

/** Like the AWS SDKs, null or "" in an optional field means absent (see `orAbsent`). */
const optionalString = (field: string) =>
  z.string({ error: `${field} must be a string` }).nullish();

/** AWS's credential_process output, Version 1. Unknown fields are ignored, as the SDKs do. */
const ProcessOutput = z.object({
  Version: z.literal(1, {
    error: (issue) =>
      issue.input === undefined ? 'Version is missing' : 'Version must be the number 1',
  }),
  AccessKeyId: requiredKey('AccessKeyId'),
  SecretAccessKey: requiredKey('SecretAccessKey'),
  SessionToken: optionalString('SessionToken'),
  Expiration: optionalString('Expiration').refine(
    (value) => !value || parseRfc3339(value) !== undefined,
    { error: 'Expiration must be an RFC 3339 date-time such as 2030-01-31T12:00:00Z' },
  ),
  // Not in AWS's documented format, but emitted by some tools and read by the AWS SDK for
  // JavaScript. An optional extra never fails a fetch: anything but a string is ignored.
  AccountId: z.unknown().optional(),
});

const orAbsent = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Turns what a credential_process printed into credentials, or a SourceError ('bad-output') that
 * says what is wrong without quoting any of it. `now` is epoch milliseconds.
 */
export function parseProcessOutput(profile: string, stdout: string, now: number): AwsCredentials {
  const who = `credential_process for profile ${profile}`;
  const fail = (problem: string) =>
    new SourceError(
      profile,
      'bad-output',
      `${who} ${problem}. It must print credential_process JSON (Version 1) on stdout: ${CREDENTIAL_PROCESS_DOCS}`,
    );

  // A byte-order mark is what PowerShell's Out-File puts first; JSON.parse rejects it.
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') throw fail('printed nothing on stdout');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error, which may be a secret, so it
    // is neither repeated nor kept as the cause.
    throw fail('printed something that is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw fail('printed JSON that is not an object');
  }
  const parsed = ProcessOutput.safeParse(json);
  if (!parsed.success) {
    const problems = [...new Set(parsed.error.issues.map((issue) => issue.message))];
    throw fail(`printed JSON that is not valid credentials: ${problems.join('; ')}`);
  }

  const output = parsed.data;
  const expiration = orAbsent(output.Expiration);
  const expiresAt = expiration === undefined ? undefined : parseRfc3339(expiration);
  if (expiresAt !== undefined && expiresAt <= now) {
    throw new SourceError(
      profile,
      'bad-output',
      `${who} returned credentials that expired at ${new Date(expiresAt).toISOString()}. Make it return fresh credentials (a cache it keeps may be stale), then load the profile again.`,
    );
  }
  const credentials: AwsCredentials = {
    accessKeyId: output.AccessKeyId,
    secretAccessKey: output.SecretAccessKey,
  };
  const sessionToken = orAbsent(output.SessionToken);
  const accountId = orAbsent(output.AccountId);
  if (sessionToken !== undefined) credentials.sessionToken = sessionToken;
  if (expiresAt !== undefined) credentials.expiresAt = expiresAt;
  if (accountId !== undefined) credentials.accountId = accountId;
  return credentials;
}
