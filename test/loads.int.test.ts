import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/** Loads and unloads as a user lives them, with real processes. */
let ws: Workspace;
let serve: ServeProcess;

/** Each test runs the CLI several times; on a busy machine each run takes seconds. */
const CLI_HEAVY_TIMEOUT_MS = 120_000;
/** How long to wait for the server to show something, polling with `rolecall status`. */
const SHOWN_WITHIN = { timeout: 30_000, interval: 200 };

beforeAll(async () => {
  ws = await createWorkspace();
  const fast = await ws.script('fast-creds', credentialScript({ accessKeyId: 'ASIAFAST' }));
  await ws.writeConfig(['[profile fast]', `credential_process = ${fast}`, ''].join('\n'));
  serve = await startServe(ws.env);
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

describe('a ROLECALL_HOME where the slots cannot be saved', () => {
  it(
    'warns on load and unload, exits 0, and shows the warning in status until a save succeeds',
    async () => {
      expect((await runCli(['unload', '--all'], ws.env)).code).toBe(0);
      const layout = join(ws.home, 'layout.json');
      await rm(layout, { force: true });
      // A directory where the layout file goes: no user, root included, can write it there.
      await mkdir(join(layout, 'in-the-way'), { recursive: true });
      const warning = `rolecall: warning: Rolecall could not save which profiles are loaded to ${layout} (a directory is in the way), so the slots as they are now will not survive a restart of Rolecall. Make ${ws.home} writable; the next load or unload then saves them.\n`;

      const load = await runCli(['load', 'fast'], ws.env);
      expect(load.code).toBe(0);
      expect(load.stderr).toMatch(/^Loaded fast into the default slot .*\n/);
      expect(load.stderr.endsWith(warning)).toBe(true);
      expect((await runCli(['status'], ws.env)).stdout).toContain(
        '\nWarning: Rolecall could not save',
      );

      const unload = await runCli(['unload', 'fast'], ws.env);
      expect(unload).toMatchObject({ code: 0, stderr: `Unloaded fast.\n${warning}` });

      await rm(layout, { recursive: true });
      const saved = await runCli(['load', 'fast', '--slot'], ws.env);
      expect(saved.code).toBe(0);
      expect(saved.stderr).not.toContain('warning');
      expect((await runCli(['status'], ws.env)).stdout).not.toContain('Warning');
      expect(JSON.parse(await readFile(layout, 'utf8'))).toMatchObject({ slots: ['fast'] });
    },
    CLI_HEAVY_TIMEOUT_MS,
  );
});
