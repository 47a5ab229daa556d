import { compactDecrypt, errors } from 'jose';

/**
 * aws-vault's file backend (the keyring library over jose2go) writes each key as a compact JWE:
 * the key wrapped with PBES2-HS256+A128KW from the passphrase (8192 PBKDF2 iterations), the
 * content sealed with A256GCM. Only those two algorithms are accepted, so a file naming any other
 * cannot steer what runs.
 */
/** A key file that the passphrase does not open. */
export class WrongPassphrase extends Error {}

const MAX_PBES2_ITERATIONS = 1_000_000;

export async function decryptAwsVaultJwe(token: string, passphrase: string): Promise<Buffer> {
  try {
    const { plaintext } = await compactDecrypt(token, new TextEncoder().encode(passphrase), {
      keyManagementAlgorithms: ['PBES2-HS256+A128KW'],
      contentEncryptionAlgorithms: ['A256GCM'],
      maxPBES2Count: MAX_PBES2_ITERATIONS,
    });
    return Buffer.from(plaintext);
  } catch (error) {
    // AES key wrap checks its integrity value, so a wrong passphrase fails there, as a decryption.
    if (error instanceof errors.JWEDecryptionFailed) throw new WrongPassphrase();
    throw error;
  }
}
