import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRefreshPolicy } from '../broker/refresh-policy';
import {
  consoleSessionSeconds,
  loadSettings,
  sessionDurationSeconds,
  updateSettings,
} from './settings';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-settings-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('loadSettings', () => {
  it('uses the defaults when there is no file', async () => {
    expect(await loadSettings(home)).toEqual({
      settings: {},
      policy: defaultRefreshPolicy,
      warnings: [],
    });
  });

  it("says in words which key of a bad file is wrong, never in zod's terms", async () => {
    await writeFile(
      join(home, 'settings.json'),
      JSON.stringify({
        refresh: { everyMinutes: 0, lifetimeFraction: 'half' },
        server: { port: 80 },
      }),
    );
    const [warning] = (await loadSettings(home)).warnings;
    expect(warning).toContain(
      '(refresh.lifetimeFraction must be a number; refresh.everyMinutes must be at least 1; server.port: port must be 1024 or more);',
    );
  });

  it('reads how long sessions made from long-lived keys last, within what STS gives', async () => {
    expect(sessionDurationSeconds({})).toBe(12 * 3600);
    await writeFile(join(home, 'settings.json'), JSON.stringify({ keys: { sessionHours: 8 } }));
    expect(sessionDurationSeconds((await loadSettings(home)).settings)).toBe(8 * 3600);
    await writeFile(join(home, 'settings.json'), JSON.stringify({ keys: { sessionHours: 48 } }));
    const loaded = await loadSettings(home);
    expect(loaded.settings).toEqual({});
    expect(loaded.warnings[0]).toContain(
      'keys.sessionHours: session length must be at most 36 hours, the longest STS gives',
    );
  });

  it('reads how long a console session lasts, at most the 12 hours the console gives', async () => {
    expect(consoleSessionSeconds({})).toBe(3600);
    await writeFile(join(home, 'settings.json'), JSON.stringify({ console: { sessionHours: 8 } }));
    expect(consoleSessionSeconds((await loadSettings(home)).settings)).toBe(8 * 3600);
    await writeFile(join(home, 'settings.json'), JSON.stringify({ console: { sessionHours: 13 } }));
    const loaded = await loadSettings(home);
    expect(loaded.settings).toEqual({});
    expect(loaded.warnings[0]).toContain(
      'console.sessionHours: console session length must be at most 12 hours, the longest the AWS console gives',
    );
  });

  it('takes a sign-in URL only where credentials would not cross a network in the clear', async () => {
    for (const url of ['https://signin.example.com/federation', 'http://127.0.0.1:9/federation']) {
      await writeFile(join(home, 'settings.json'), JSON.stringify({ console: { signInUrl: url } }));
      expect((await loadSettings(home)).settings).toEqual({ console: { signInUrl: url } });
    }
    await writeFile(
      join(home, 'settings.json'),
      JSON.stringify({ console: { signInUrl: 'http://proxy.example/federation' } }),
    );
    expect((await loadSettings(home)).warnings[0]).toContain(
      'console.signInUrl: http://proxy.example would send credentials unencrypted (plain http is only for 127.0.0.1, localhost or [::1])',
    );
  });

  it('turns minutes and seconds into the refresh policy', async () => {
    await writeFile(
      join(home, 'settings.json'),
      JSON.stringify({
        refresh: {
          minRemainingMinutes: 30,
          everyMinutes: 10,
          maxJitterSeconds: 5,
          backoffMaxSeconds: 60,
        },
      }),
    );
    const { policy, warnings } = await loadSettings(home);
    expect(warnings).toEqual([]);
    expect(policy).toMatchObject({
      minRemainingMs: 1_800_000,
      everyMs: 600_000,
      maxJitterMs: 5000,
      backoffMaxMs: 60_000,
    });
    expect(policy.lifetimeFraction).toBe(defaultRefreshPolicy.lifetimeFraction);
  });

  it('falls back to defaults with a warning for broken JSON', async () => {
    await writeFile(join(home, 'settings.json'), '{"refresh": ');
    const { policy, warnings } = await loadSettings(home);
    expect(policy).toEqual(defaultRefreshPolicy);
    expect(warnings).toEqual([
      `${join(home, 'settings.json')} is not valid JSON; using default settings until it is fixed.`,
    ]);
  });

  it('falls back to defaults with a warning naming the bad field', async () => {
    await writeFile(
      join(home, 'settings.json'),
      JSON.stringify({ refresh: { minRemainingMinutes: -3, bogus: 1 } }),
    );
    const { policy, warnings } = await loadSettings(home);
    expect(policy).toEqual(defaultRefreshPolicy);
    expect(warnings).toEqual([
      expect.stringMatching(
        /has settings Rolecall does not accept \(refresh\.minRemainingMinutes: .*\); using default settings until it is fixed\.$/,
      ),
    ]);
  });

  it('ignores settings it does not know, with a warning, and keeps every one it knows', async () => {
    await writeFile(
      join(home, 'settings.json'),
      JSON.stringify({
        refresh: { minRemainingMinutes: 30, fromNewerVersion: 'x' },
        server: { port: 5000 },
        cloudSync: { enabled: true },
      }),
    );
    const { settings, policy, warnings } = await loadSettings(home);
    expect(settings).toEqual({ refresh: { minRemainingMinutes: 30 }, server: { port: 5000 } });
    expect(policy.minRemainingMs).toBe(1_800_000);
    expect(warnings).toEqual([
      `${join(home, 'settings.json')} has settings this version of Rolecall does not know (refresh.fromNewerVersion, cloudSync); they are ignored, and kept when settings are saved.`,
    ]);
  });
});

describe('updateSettings', () => {
  const path = () => join(home, 'settings.json');

  it('creates the file, owner-only, and keeps what it did not change', async () => {
    await updateSettings(home, (current) => ({ ...current, server: { port: 5000 } }));
    const loaded = await updateSettings(home, (current) => ({
      ...current,
      refresh: { minRemainingMinutes: 30 },
    }));
    expect(loaded.settings).toEqual({
      server: { port: 5000 },
      refresh: { minRemainingMinutes: 30 },
    });
    expect(loaded.policy.minRemainingMs).toBe(1_800_000);
    expect(JSON.parse(await readFile(path(), 'utf8'))).toEqual(loaded.settings);
    expect((await stat(path())).mode & 0o777).toBe(0o600);
  });

  it('refuses a change the schema does not accept and leaves the file as it was', async () => {
    await writeFile(path(), JSON.stringify({ server: { tls: true } }));
    await expect(
      updateSettings(home, (current) => ({ ...current, server: { port: 80 } })),
    ).rejects.toThrow(/server\.port/);
    expect(JSON.parse(await readFile(path(), 'utf8'))).toEqual({ server: { tls: true } });
  });

  it("saves over a newer version's file without losing the settings it does not know", async () => {
    const newer = {
      refresh: { minRemainingMinutes: 30, fromNewerVersion: [1, 2] },
      cloudSync: { enabled: true },
    };
    await writeFile(path(), JSON.stringify(newer));
    const loaded = await updateSettings(home, (current) => ({
      ...current,
      server: { port: 5000 },
      refresh: { ...current.refresh, minRemainingMinutes: 45 },
    }));
    expect(loaded.settings).toEqual({
      refresh: { minRemainingMinutes: 45 },
      server: { port: 5000 },
    });
    expect(JSON.parse(await readFile(path(), 'utf8'))).toEqual({
      refresh: { minRemainingMinutes: 45, fromNewerVersion: [1, 2] },
      server: { port: 5000 },
      cloudSync: { enabled: true },
    });
  });

  it('never overwrites a file the user broke by hand', async () => {
    await writeFile(path(), '{"refresh": ');
    await expect(updateSettings(home, () => ({ server: { tls: true } }))).rejects.toMatchObject({
      code: 'settings-invalid',
      message: expect.stringContaining('not valid JSON'),
    });
    expect(await readFile(path(), 'utf8')).toBe('{"refresh": ');
  });
});
