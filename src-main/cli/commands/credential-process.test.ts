import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MfaSource } from '../../../test/helpers/chain-sources';
import { resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { startHost, type RunningHost } from '../../core/host';
import { createMemoryStore } from '../../core/secrets/memory-store';
import type { CliContext } from '../context';
import { run } from '../main';
import { FakeTerminal } from '../testing/fake-terminal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let home: string;
let host: RunningHost | undefined;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-credential-process-'));
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  await rm(home, { recursive: true, force: true });
});

describe('rolecall credential-process', () => {
  it('asks for the code while its request waits on a renewal that needs one', async () => {
    // The broker's time is moved by hand, so a request held for a renewal is held until the
    // renewal ends: only a door that is open while the request waits can ask the code.
    const clock = new ManualClock();
    const lifetime = { lifetimeMs: 10 * MINUTE };
    const keys = new MfaSource('keys', clock, lifetime);
    const secrets = createMemoryStore();
    const none = join(home, 'none');
    host = await startHost({
      home,
      secrets,
      port: 0,
      clock,
      profileFiles: { configFile: none, credentialsFile: none },
      resolveSource: resolverFor(keys),
    });
    await host.core.api.loadProfile({ profile: 'keys', slot: true, mfaCode: keys.currentCode });
    // Renewed (and asked for) at half their life; nobody answers before they expire.
    await clock.advance(11 * MINUTE);
    expect(host.core.broker.snapshot().entries).toMatchObject([
      { profile: 'keys', state: 'needs-input', waitingFor: keys.key },
    ]);

    const terminal = new FakeTerminal();
    let stdout = '';
    let stderr = '';
    const context: CliContext = {
      home,
      secrets,
      env: {},
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      stderrIsTerminal: false,
      onInterrupt: () => () => {},
      openTerminal: () => terminal,
    };
    const helper = run(['credential-process', '--profile', 'keys'], () => context);
    await vi.waitFor(() => expect(terminal.output).toContain(`MFA code for ${keys.serial}`), {
      timeout: 10_000,
    });
    keys.currentCode = '654321';
    lifetime.lifetimeMs = HOUR;
    terminal.type('654321\r');

    expect(await helper, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
    expect(keys.codesTried).toEqual(['123456', '654321']);
    expect(host.core.broker.snapshot().entries).toMatchObject([
      { profile: 'keys', state: 'fresh' },
    ]);
  }, 30_000);
});
