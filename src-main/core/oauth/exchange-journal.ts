import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writePrivateFile } from '../runtime/private-file';

/**
 * A note, written just before a refresh token is sent and removed once the keychain holds what
 * the exchange bought (or the issuer has answered): finding it means a process ended in between
 * (kill -9, a crash, a power cut) and nobody knows whether the issuer used the refresh token up.
 * It names the refresh token only by a short hash, which tells nothing about the token.
 */
export interface ExchangeJournal {
  /** The refresh token a cut-off exchange sent, if one was: its fingerprint. */
  interrupted(): Promise<string | null>;
  begin(refreshToken: string): Promise<void>;
  end(): Promise<void>;
}

export function exchangeJournal(home: string, name: string): ExchangeJournal {
  const path = join(home, 'oauth', `${name}.exchange`);
  return {
    async interrupted() {
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text === null) return null;
      try {
        const fingerprint = (JSON.parse(text) as { fingerprint?: unknown }).fingerprint;
        return typeof fingerprint === 'string' ? fingerprint : '';
      } catch {
        // Half a note is still a note: an exchange began.
        return '';
      }
    },
    async begin(refreshToken) {
      await writePrivateFile(
        path,
        JSON.stringify({ fingerprint: fingerprintOf(refreshToken), pid: process.pid }),
      );
    },
    async end() {
      await rm(path, { force: true });
    },
  };
}

/** 64 bits of SHA-256: enough to tell two refresh tokens apart, nothing towards either. */
export function fingerprintOf(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('hex').slice(0, 16);
}

/** The lock every process holds while it renews this token. */
export function exchangeLockFile(home: string, name: string): string {
  return join(home, 'oauth', `${name}.lock`);
}
