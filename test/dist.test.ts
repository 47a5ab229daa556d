import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('npm run dist', () => {
  it("stops with one sentence where Electron's binary is missing", async () => {
    // An Electron package without its binary, as npm install leaves it here.
    const electronDir = await mkdtemp(join(tmpdir(), 'rolecall-dist-'));
    try {
      const run = promisify(execFile)(
        process.execPath,
        [resolve(__dirname, '../scripts/dist.mjs'), '--linux'],
        {
          env: {
            ...process.env,
            ROLECALL_DIST_ELECTRON_DIR: electronDir,
            ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
          },
        },
      );
      const failed = await run.then(
        () => null,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed).toMatchObject({ code: 1, stdout: '' });
      expect(failed!.stderr).toBe(
        "npm run dist needs Electron's binary, which is not here (ELECTRON_SKIP_BINARY_DOWNLOAD is set): build the installers on a machine that can download Electron from github.com.\n",
      );
    } finally {
      await rm(electronDir, { recursive: true, force: true });
    }
  });
});
