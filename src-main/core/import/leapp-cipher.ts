import { createDecipheriv, createHash } from 'node:crypto';

/**
 * Leapp encrypts its workspace file with crypto-js's passphrase mode, which is OpenSSL's
 * `enc -aes-256-cbc -md md5` format: base64 of "Salted__", an 8-byte salt and the ciphertext,
 * with the key and IV stretched from the passphrase and salt by EVP_BytesToKey (one MD5
 * iteration). Written against that published format with node:crypto, so no copy of crypto-js
 * is needed at run time; the tests encrypt with crypto-js itself.
 */
const SALTED_MAGIC = Buffer.from('Salted__', 'latin1');
const SALT_BYTES = 8;
const KEY_BYTES = 32;
const IV_BYTES = 16;

/** Why a text could not be decrypted; the caller words it for the file it came from. */
export type LeappDecryptFailure = 'not-encrypted' | 'wrong-key';

export class LeappDecryptError extends Error {
  constructor(readonly failure: LeappDecryptFailure) {
    super(failure);
  }
}

export function decryptLeappText(text: string, passphrase: string): string {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new LeappDecryptError('not-encrypted');
  const bytes = Buffer.from(trimmed, 'base64');
  const body = bytes.subarray(SALTED_MAGIC.length + SALT_BYTES);
  if (
    !bytes.subarray(0, SALTED_MAGIC.length).equals(SALTED_MAGIC) ||
    body.length === 0 ||
    body.length % IV_BYTES !== 0
  ) {
    throw new LeappDecryptError('not-encrypted');
  }
  const salt = bytes.subarray(SALTED_MAGIC.length, SALTED_MAGIC.length + SALT_BYTES);
  const { key, iv } = bytesToKey(Buffer.from(passphrase, 'utf8'), salt);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    plain = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    // Bad padding: another passphrase (another machine's id) or a damaged file.
    throw new LeappDecryptError('wrong-key');
  }
  const decoded = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoded.decode(plain);
  } catch {
    // One time in 256 a wrong key still ends in valid padding; the text is then not UTF-8.
    throw new LeappDecryptError('wrong-key');
  }
}

/** OpenSSL's EVP_BytesToKey with MD5 and one iteration, as crypto-js's passphrase mode uses it. */
function bytesToKey(passphrase: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  while (Buffer.concat(blocks).length < KEY_BYTES + IV_BYTES) {
    previous = createHash('md5')
      .update(Buffer.concat([previous, passphrase, salt]))
      .digest();
    blocks.push(previous);
  }
  const material = Buffer.concat(blocks);
  return {
    key: material.subarray(0, KEY_BYTES),
    iv: material.subarray(KEY_BYTES, KEY_BYTES + IV_BYTES),
  };
}
