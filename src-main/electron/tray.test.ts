import { join } from 'node:path';
import { beforeEach, expect, it, vi } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../test/helpers/fake-source';
import { ManualClock, settle } from '../../test/helpers/manual-clock';
import { createCore } from '../core/core';
import { createMemoryStore } from '../core/secrets/memory-store';
import { setupTray } from './tray';

const { fake } = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  return { fake: createFakeElectron() };
});
vi.mock('electron', () => fake.module);

beforeEach(() => fake.reset());

it('never lets an older refresh that finishes last put back a stale menu', async () => {
  const core = createCore({
    secrets: createMemoryStore(),
    clock: new ManualClock(),
    resolveSource: resolverFor(new FakeSource('dev', fakeCredentials())),
    profileFiles: { configFile: '/nonexistent/config', credentialsFile: '/nonexistent/creds' },
  });
  // Each refresh waits here for the profile list until the test lets it through.
  const held: Array<() => void> = [];
  let listed = 0;
  const api = {
    ...core.api,
    listProfiles: async (args: Parameters<typeof core.api.listProfiles>[0]) => {
      await new Promise<void>((resolve) => held.push(resolve));
      const profiles = await core.api.listProfiles(args);
      listed += 1;
      return profiles;
    },
  };
  const tray = setupTray({
    core: { ...core, api },
    resourcesDir: join(__dirname, '../../resources'),
    serverRunning: () => true,
    onAction: async () => undefined,
  });
  await settle();
  expect(held).toHaveLength(1); // the first refresh, of an empty snapshot

  await core.broker.load('dev');
  await settle();
  expect(held.length).toBeGreaterThan(1); // refreshes for the load's changes

  // The newest finishes first; then the older ones, the first (of the empty snapshot) last.
  held.pop()!();
  const newestMenu = await vi.waitFor(() => fake.tray().entries()[0]!.label);
  expect(newestMenu).toMatch(/^dev — /);
  const older = held.length;
  for (const release of held.reverse()) release();
  // Each older refresh has read its profiles (and would have set its menu) by now.
  await vi.waitFor(() => expect(listed).toBe(older + 1));
  await settle();
  expect(fake.tray().entries()[0]!.label).toBe(newestMenu);
  tray.destroy();
});
