/**
 * How the broker scales with loaded profiles: memory per entry, and the CPU the scheduler spends
 * per simulated hour, for 100, 1,000 and 10,000 profiles. Time is simulated (a virtual clock), so
 * twelve hours take seconds and the numbers measure the broker, not the wall clock.
 *
 * Run: npm run bench:broker   (results go in docs/benchmarks.md)
 */
import { Broker } from '../src-main/core/broker/broker';
import type { Clock, TimerHandle } from '../src-main/core/clock';
import type { AwsCredentials } from '../src-main/core/credentials';
import type { CredentialSource } from '../src-main/core/sources/source';

const HOUR = 3_600_000;

/** A virtual clock: timers fire in order when `advance` moves time; promises settle in between. */
class VirtualClock implements Clock {
  time = Date.parse('2026-01-01T00:00:00Z');
  armed = 0;
  private timers = new Map<object, { at: number; callback: () => void }>();
  now = () => this.time;
  setTimeout = (callback: () => void, delayMs: number): TimerHandle => {
    const handle = {};
    this.armed += 1;
    this.timers.set(handle, { at: this.time + delayMs, callback });
    return handle;
  };
  clearTimeout = (handle: TimerHandle) => {
    this.timers.delete(handle as object);
  };
  async advance(milliseconds: number): Promise<number> {
    const target = this.time + milliseconds;
    let fired = 0;
    for (;;) {
      let next: [object, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (!next || entry[1].at < next[1].at) next = entry;
      if (!next || next[1].at > target) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].callback();
      fired += 1;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.time = target;
    return fired;
  }
}

function source(profile: string, clock: Clock, lifetimeMs: number | null): CredentialSource {
  let serial = 0;
  return {
    profile,
    fetch: async (): Promise<AwsCredentials> => {
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
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const broker = new Broker({ clock, resolveSource: async (name) => sources.get(name)! });
  let refreshes = 0;
  broker.on('refreshed', () => {
    refreshes += 1;
  });
  for (const name of sources.keys()) await broker.load(name, { slot: true });
  gc();
  const bytesPerEntry = (process.memoryUsage().heapUsed - heapBefore) / profiles;

  // Twelve busy hours: every profile renews every ~40 minutes.
  refreshes = 0;
  const hours = 12;
  const busyStart = process.cpuUsage();
  await clock.advance(hours * HOUR);
  const busy = process.cpuUsage(busyStart);
  const busyMs = (busy.user + busy.system) / 1000;
  broker.stop();

  // Idle hours: credentials that never expire and no `every` policy: nothing should happen.
  const idleClock = new VirtualClock();
  const idleSources = new Map<string, CredentialSource>();
  for (let i = 0; i < profiles; i += 1) idleSources.set(`p${i}`, source(`p${i}`, idleClock, null));
  const idle = new Broker({
    clock: idleClock,
    resolveSource: async (name) => idleSources.get(name)!,
  });
  for (const name of idleSources.keys()) await idle.load(name, { slot: true });
  const armsBefore = idleClock.armed;
  const idleStart = process.cpuUsage();
  await idleClock.advance(24 * HOUR);
  const idleCpu = process.cpuUsage(idleStart);
  idle.stop();

  return {
    profiles,
    bytesPerEntry,
    refreshes,
    cpuMsPerHour: busyMs / hours,
    microsPerRefresh: (busyMs * 1000) / Math.max(1, refreshes),
    idleCpuMsPerHour: (idleCpu.user + idleCpu.system) / 1000 / 24,
    idleTimerArms: idleClock.armed - armsBefore,
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
}

void main();
