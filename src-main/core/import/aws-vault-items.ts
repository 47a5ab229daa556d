import { z } from 'zod';
import { profileNameProblem } from '../../../src-shared/profile-name';
import { keysProblem } from '../keys/access-key-format';
import { parseJsonAs } from '../parse-json';
import { profileHeader, type Candidate, type LeftOut } from './import-plan';

/** One item of aws-vault's keyring: its key (a profile name, or a cached session's name) and data. */
export interface AwsVaultItem {
  key: string;
  /** The item's data: for a profile, the JSON of its aws.Credentials. */
  data: Buffer;
}

/**
 * aws-vault's cached sessions are named `<type>,<base64url profile>,<base64url MFA serial>,<unix
 * expiry>`; versions before 5 wrote `session,…`, `session:…:…:…` or `<profile> session (<n>)`.
 */
const SESSION_KEY = /^([^,]+),([^,]+),([^,]*),([0-9]+)$/;
const OLD_SESSION_KEYS = [/^session:([^ ]+):([^ ]*):([^:]+)$/, /^(.+?) session \((\d+)\)$/];
/** aws-vault's cached IAM Identity Center tokens are named `oidc:<start URL>`. */
const OIDC_PREFIX = 'oidc:';

/** The JSON of the Go SDK's aws.Credentials, which is what aws-vault stores for a profile. */
const credentialsSchema = z
  .object({
    AccessKeyID: z.string(),
    SecretAccessKey: z.string(),
    SessionToken: z.string().optional(),
  })
  .passthrough();

/** The JSON the keyring library stores in Secret Service items and key files: the whole Item. */
const keyringItemSchema = z.object({ Key: z.string(), Data: z.string().nullable() }).passthrough();

/** The data of a keyring Item from its JSON (Go writes []byte as base64), or null. */
export function itemDataFromJson(text: string): { key: string; data: Buffer } | null {
  const item = parseJsonAs(keyringItemSchema, text);
  if (item === null) return null;
  return { key: item.Key, data: Buffer.from(item.Data ?? '', 'base64') };
}

export function isSessionKey(key: string): boolean {
  return SESSION_KEY.test(key) || OLD_SESSION_KEYS.some((pattern) => pattern.test(key));
}

export function isOidcTokenKey(key: string): boolean {
  return key.startsWith(OIDC_PREFIX);
}

function sessionProfile(key: string): string {
  const current = SESSION_KEY.exec(key);
  if (current) {
    try {
      return Buffer.from(current[2]!, 'base64url').toString('utf8');
    } catch {
      return key;
    }
  }
  for (const pattern of OLD_SESSION_KEYS) {
    const old = pattern.exec(key);
    if (old) return old[1]!;
  }
  return key;
}

/**
 * What of aws-vault's items comes in: each profile's long-lived keys, into Rolecall's keychain
 * under the same profile name (and an empty `[profile x]` where the config has none, so the
 * profile is listed). Cached sessions and IAM Identity Center tokens stay out: they are
 * short-lived, and Rolecall makes and keeps its own.
 */
export function awsVaultCandidates(
  items: AwsVaultItem[],
  where: string,
): { candidates: Candidate[]; leftOut: LeftOut[] } {
  const candidates: Candidate[] = [];
  const leftOut: LeftOut[] = [];
  for (const item of [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (isSessionKey(item.key)) {
      leftOut.push({
        kind: 'cached session',
        from: sessionProfile(item.key),
        reason: 'short-lived; Rolecall makes its own sessions from the keys',
      });
      continue;
    }
    if (isOidcTokenKey(item.key)) {
      leftOut.push({
        kind: 'cached OIDC token',
        from: item.key.slice(OIDC_PREFIX.length),
        reason: 'short-lived; sign in once with `rolecall login` instead',
      });
      continue;
    }
    const credentials = parseJsonAs(credentialsSchema, item.data.toString('utf8'));
    if (credentials === null) {
      leftOut.push({
        kind: 'keys',
        from: item.key,
        reason: `its item in ${where} is not aws-vault's credentials JSON`,
      });
      continue;
    }
    if (credentials.SessionToken) {
      leftOut.push({
        kind: 'keys',
        from: item.key,
        reason: 'temporary credentials (they have a session token), not long-lived keys',
      });
      continue;
    }
    const keys = {
      accessKeyId: credentials.AccessKeyID.trim(),
      secretAccessKey: credentials.SecretAccessKey.trim(),
    };
    const nameProblem = profileNameProblem(item.key);
    const problem = keysProblem(keys);
    if (nameProblem !== null || problem !== null) {
      leftOut.push({
        kind: 'keys',
        from: item.key,
        reason:
          nameProblem !== null
            ? `the profile name ${nameProblem}`
            : `the ${problem!.field === 'accessKeyId' ? 'access key ID' : 'secret access key'} ${problem!.problem}`,
      });
      continue;
    }
    candidates.push({
      kind: 'long-lived keys',
      from: item.key,
      name: item.key,
      keys,
      section: { header: profileHeader(item.key), settings: [] },
    });
  }
  return { candidates, leftOut };
}
