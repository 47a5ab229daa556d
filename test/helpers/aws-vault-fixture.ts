import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CompactEncrypt } from 'jose';
import { addItem, ensureCollection } from './keyring-bus';

/** aws-vault's stored credentials: the JSON of the Go SDK's aws.Credentials. */
export function awsVaultCredentials(accessKeyId: string, secretAccessKey: string): string {
  return JSON.stringify({
    AccessKeyID: accessKeyId,
    SecretAccessKey: secretAccessKey,
    SessionToken: '',
    Source: '',
    CanExpire: false,
    Expires: '0001-01-01T00:00:00Z',
  });
}

/** The keyring library's Item, as JSON (Go writes its []byte Data as base64). */
export function keyringItem(key: string, data: string, label = `aws-vault (${key})`): string {
  return JSON.stringify({
    Key: key,
    Data: Buffer.from(data).toString('base64'),
    Label: label,
    Description: '',
    KeychainNotTrustApplication: true,
    KeychainNotSynchronizable: false,
  });
}

/** A key of aws-vault's cached sessions: type, base64url profile, base64url MFA serial, expiry. */
export function sessionKey(profile: string, mfaSerial = ''): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  return `sts.GetSessionToken,${b64(profile)},${b64(mfaSerial)},${Math.floor(Date.now() / 1000) + 3600}`;
}

/**
 * Writes an item into aws-vault's file backend as the keyring library does: a compact JWE
 * (PBES2-HS256+A128KW with 8192 iterations and a 12-byte salt, A256GCM, a `created` header)
 * in a file named after the key with `%` and `/` escaped.
 */
export async function writeAwsVaultFile(
  dir: string,
  key: string,
  data: string,
  passphrase: string,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const token = await new CompactEncrypt(new TextEncoder().encode(keyringItem(key, data)))
    .setProtectedHeader({
      alg: 'PBES2-HS256+A128KW',
      enc: 'A256GCM',
      created: new Date().toString(),
    })
    .setKeyManagementParameters({ p2c: 8192, p2s: randomBytes(12) })
    .encrypt(new TextEncoder().encode(passphrase));
  const name = key.replace(/[%/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  await writeFile(join(dir, name), token, { mode: 0o600 });
}

/** Writes an item into aws-vault's Secret Service collection (`awsvault`), as the keyring library does. */
export async function addAwsVaultSecretServiceItem(key: string, data: string): Promise<string> {
  const collection = await ensureCollection('awsvault');
  await addItem(collection, key, keyringItem(key, data));
  return collection;
}
