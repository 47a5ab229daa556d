/**
 * How the broker scales with loaded profiles: memory per entry, and the CPU the scheduler spends
 * per simulated hour, for 100, 1,000 and 10,000 profiles; then the same for assumed roles made
 * from a few parents (1,000 roles over 10 parents), counting how often the parents' own sources
 * run. Time is simulated (a virtual clock), so twelve hours take seconds and the numbers measure
 * the broker, not the wall clock.
 *
 * Run: npm run bench:broker [-- sizes...]   (results go in docs/benchmarks.md)
 */
import { Broker } from '../src-main/core/broker/broker';
import type { Clock } from '../src-main/core/clock';
import type { AwsCredentials } from '../src-main/core/credentials';
import type { CredentialSource } from '../src-main/core/sources/source';
import { VirtualClock } from './virtual-clock';

const HOUR = 3_600_000;

/**
 * A source of credentials valid for `lifetimeMs` (null: never expiring). With `parent`, it is an
 * assumed role: each fetch first gets the parent's credentials from the broker, as AssumeRole
 * signs with them.
 */
function source(
  profile: string,
  clock: Clock,
  lifetimeMs: number | null,
  options: { parent?: string; onFetch?: () => void } = {},
): CredentialSource {
  let serial = 0;
  const { parent, onFetch } = options;
  return {
    profile,
    ...(parent ? { parents: [parent] } : {}),
    fetch: async (context): Promise<AwsCredentials> => {
      if (parent) await context!.parent(parent);
      onFetch?.();
      serial += 1;
      return {
        accessKeyId: `ASIA${profile.padStart(12, '0')}`,
        secretAccessKey: `secret-${profile}-${serial}-${'x'.repeat(30)}`,
        sessionToken: `token-${'y'.repeat(700)}-${serial}`,
        ...(lifetimeMs === null ? {} : { expiresAt: clock.now() + lifetimeMs }),
      };
    },
  };
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc (npm run bench:broker does)');
  collect();
  collect();
}

/**
 * A broker over `sources` with `names` loaded into named slots: the heap that took, and a count of
 * its renewals from then on.
 */
async function loadedBroker(
  clock: VirtualClock,
  sources: Map<string, CredentialSource>,
  names: Iterable<string>,
) {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const broker = new Broker({ clock, resolveSource: async (name) => sources.get(name)! });
  for (const name of names) await broker.load(name, { slot: true });
  gc();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;
  const renewals = { count: 0 };
  broker.on('refreshed', () => {
    renewals.count += 1;
  });
  return { broker, heapBytes, renewals };
}

/** The CPU milliseconds the process spends while the clock moves through `hours`. */
async function cpuMsOver(clock: VirtualClock, hours: number): Promise<number> {
  const start = process.cpuUsage();
  await clock.advance(hours * HOUR);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

interface Row {
  profiles: number;
  bytesPerEntry: number;
  refreshes: number;
  cpuMsPerHour: number;
  microsPerRefresh: number;
  idleCpuMsPerHour: number;
  idleTimerArms: number;
}

async function measure(profiles: number): Promise<Row> {
  const clock = new VirtualClock();
  const sources = new Map<string, CredentialSource>();
  for (let i = 0; i < profiles; i += 1) sources.set(`p${i}`, source(`p${i}`, clock, HOUR));
  const { broker, heapBytes, renewals } = await loadedBroker(clock, sources, sources.keys());

  // Twelve busy hours: every profile renews every ~40 minutes.
  const hours = 12;
  const busyMs = await cpuMsOver(clock, hours);
  broker.stop();

  // Idle hours: credentials that never expire and no `every` policy: nothing should happen.
  const idleClock = new VirtualClock();
  const idleSources = new Map<string, CredentialSource>();
  for (let i = 0; i < profiles; i += 1) idleSources.set(`p${i}`, source(`p${i}`, idleClock, null));
  const idle = (await loadedBroker(idleClock, idleSources, idleSources.keys())).broker;
  const armsBefore = idleClock.armed;
  const idleMs = await cpuMsOver(idleClock, 24);
  idle.stop();

  return {
    profiles,
    bytesPerEntry: heapBytes / profiles,
    refreshes: renewals.count,
    cpuMsPerHour: busyMs / hours,
    microsPerRefresh: (busyMs * 1000) / Math.max(1, renewals.count),
    idleCpuMsPerHour: idleMs / 24,
    idleTimerArms: idleClock.armed - armsBefore,
  };
}

interface ChainRow {
  roles: number;
  parents: number;
  bytesPerEntry: number;
  refreshes: number;
  roleFetches: number;
  parentFetches: number;
  cpuMsPerHour: number;
  microsPerRefresh: number;
}

/**
 * `roles` assumed roles (1-hour credentials) spread evenly over `parents` parents whose session
 * credentials last 12 hours, the shape of long-lived keys in the keychain with roles made from
 * their session. Only the roles are loaded; the broker loads each parent as an entry of its own.
 */
async function measureChains(roles: number, parents: number): Promise<ChainRow> {
  const clock = new VirtualClock();
  const counts = { role: 0, parent: 0 };
  const sources = new Map<string, CredentialSource>();
  for (let i = 0; i < parents; i += 1) {
    const name = `base${i}`;
    sources.set(name, source(name, clock, 12 * HOUR, { onFetch: () => (counts.parent += 1) }));
  }
  for (let i = 0; i < roles; i += 1) {
    const name = `role${i}`;
    sources.set(
      name,
      source(name, clock, HOUR, {
        parent: `base${i % parents}`,
        onFetch: () => (counts.role += 1),
      }),
    );
  }
  const roleNames = Array.from({ length: roles }, (_, i) => `role${i}`);
  const { broker, heapBytes, renewals } = await loadedBroker(clock, sources, roleNames);
  if (broker.snapshot().entries.length !== roles + parents)
    throw new Error('every parent should be one entry, shared by its roles');

  counts.role = 0;
  counts.parent = 0;
  const hours = 12;
  const busyMs = await cpuMsOver(clock, hours);
  broker.stop();
  return {
    roles,
    parents,
    bytesPerEntry: heapBytes / (roles + parents),
    refreshes: renewals.count,
    roleFetches: counts.role,
    parentFetches: counts.parent,
    cpuMsPerHour: busyMs / hours,
    microsPerRefresh: (busyMs * 1000) / Math.max(1, renewals.count),
  };
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  const rows: Row[] = [];
  for (const profiles of sizes.length ? sizes : [100, 1000, 10_000])
    rows.push(await measure(profiles));
  console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log(
    '| profiles | heap per entry | refreshes in 12 h | scheduler CPU per busy hour | CPU per refresh | CPU per idle hour | timers armed while idle |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.profiles.toLocaleString('en')} | ${(row.bytesPerEntry / 1024).toFixed(2)} KiB | ${row.refreshes.toLocaleString('en')} | ${row.cpuMsPerHour.toFixed(1)} ms | ${row.microsPerRefresh.toFixed(1)} µs | ${row.idleCpuMsPerHour.toFixed(3)} ms | ${row.idleTimerArms} |`,
    );
  }

  const chains = [await measureChains(1000, 10)];
  console.log('\nAssumed roles over parents, 12 busy hours:\n');
  console.log(
    '| roles | parents | heap per entry | renewals in 12 h | role source runs | parent source runs | CPU per busy hour | CPU per renewal |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of chains) {
    console.log(
      `| ${row.roles.toLocaleString('en')} | ${row.parents} | ${(row.bytesPerEntry / 1024).toFixed(2)} KiB | ${row.refreshes.toLocaleString('en')} | ${row.roleFetches.toLocaleString('en')} | ${row.parentFetches} | ${row.cpuMsPerHour.toFixed(1)} ms | ${row.microsPerRefresh.toFixed(1)} µs |`,
    );
  }
}

void main();
