import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The committed icons are what their SVG sources render to, byte for byte. */
describe('icons', () => {
  it('match their sources in resources/src', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [resolve(__dirname, '../scripts/make-icons.mjs'), '--check'],
      { cwd: resolve(__dirname, '..') },
    );
    await expect(run).resolves.toMatchObject({ stderr: '' });
  }, 60_000);
});
