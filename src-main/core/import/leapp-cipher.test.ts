import CryptoJS from 'crypto-js';
import { describe, expect, it } from 'vitest';
import { decryptLeappText, LeappDecryptError } from './leapp-cipher';

const KEY = 'a'.repeat(64);

function failure(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof LeappDecryptError ? error.failure : `other: ${String(error)}`;
  }
}

describe('decryptLeappText', () => {
  it("reads what crypto-js's passphrase mode wrote, as Leapp writes its workspace", () => {
    const text = JSON.stringify({ _sessions: [], note: 'ünïcode ✓' });
    expect(decryptLeappText(CryptoJS.AES.encrypt(text, KEY).toString(), KEY)).toBe(text);
    // Leapp reads the file with a trailing newline trimmed; so does Rolecall.
    expect(decryptLeappText(`${CryptoJS.AES.encrypt(text, KEY).toString()}\n`, KEY)).toBe(text);
  });

  it('tells a wrong key from text that was never encrypted', () => {
    const sealed = CryptoJS.AES.encrypt('{"_sessions":[]}', KEY).toString();
    // Any other key fails (by padding or, rarely, by the text not being UTF-8).
    for (let n = 0; n < 20; n += 1) {
      expect(failure(() => decryptLeappText(sealed, `${n}`.padEnd(64, 'b')))).toBe('wrong-key');
    }
    expect(failure(() => decryptLeappText('{"_sessions": []}', KEY))).toBe('not-encrypted');
    expect(failure(() => decryptLeappText(Buffer.from('plain text').toString('base64'), KEY))).toBe(
      'not-encrypted',
    );
    expect(failure(() => decryptLeappText(sealed.slice(0, -8), KEY))).not.toBeNull();
  });
});
