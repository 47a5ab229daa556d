import type { LongLivedKeys } from './key-store';

/**
 * What long-lived AWS access keys look like, checked before anything is stored, so a typo, a
 * pasted quote or a swapped pair is caught here and not by STS hours later. No message ever
 * quotes a key: even the ID is only ever shown masked.
 */

/** IAM's access key IDs: 16 to 128 characters; AKIA for an IAM user's long-lived key. */
const LONG_LIVED_ID = /^AKIA[A-Z0-9]{12,124}$/;
/** ASIA is STS's prefix: the ID of temporary credentials, useless without their session token. */
const SESSION_ID_PREFIX = 'ASIA';
/**
 * AWS issues 40-character secrets; the bounds leave room for other lengths without accepting a
 * stray word or a whole pasted file.
 */
const SECRET_MIN_LENGTH = 16;
const SECRET_MAX_LENGTH = 256;

export interface KeyProblem {
  field: 'accessKeyId' | 'secretAccessKey';
  /** Read after the field's name ("The access key ID …", "aws_access_key_id in … line 3 …"); no period. */
  problem: string;
}

/** The first thing wrong with a pair of keys, or null when they look like long-lived keys. */
export function keysProblem(keys: LongLivedKeys): KeyProblem | null {
  const idProblem = accessKeyIdProblem(keys.accessKeyId);
  if (idProblem !== null) return { field: 'accessKeyId', problem: idProblem };
  const secretProblem = secretAccessKeyProblem(keys.secretAccessKey);
  if (secretProblem !== null) return { field: 'secretAccessKey', problem: secretProblem };
  return null;
}

export function accessKeyIdProblem(id: string): string | null {
  if (id === '') return 'is empty';
  if (id.startsWith(SESSION_ID_PREFIX)) {
    return 'starts with ASIA, so it belongs to temporary session credentials, which expire and work only with their session token; Rolecall keeps only long-lived keys, whose IDs start with AKIA';
  }
  if (!LONG_LIVED_ID.test(id)) {
    return 'is not a long-lived AWS access key ID, which starts with AKIA and has 16 to 128 capital letters and digits in all';
  }
  return null;
}

export function secretAccessKeyProblem(secret: string): string | null {
  if (secret === '') return 'is empty';
  if (LONG_LIVED_ID.test(secret) || secret.startsWith(SESSION_ID_PREFIX)) {
    return 'looks like an access key ID, not a secret; the ID comes first, then its secret';
  }
  // Printable ASCII without spaces: what AWS issues, and what survives a copy from the console.
  if (!/^[\x21-\x7e]+$/.test(secret)) {
    return 'contains spaces, control characters or characters outside ASCII, which no AWS secret access key has';
  }
  if (secret.length < SECRET_MIN_LENGTH || secret.length > SECRET_MAX_LENGTH) {
    return `is ${secret.length} characters long; AWS secret access keys have 40`;
  }
  return null;
}

/** How `aws configure list` shows a key ID: all but the last four characters hidden. */
export function maskAccessKeyId(id: string): string {
  return `${'*'.repeat(16)}${id.slice(-4)}`;
}
