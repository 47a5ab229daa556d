/**
 * The credentials endpoint under load: cached `GET /` and `GET /slot/<p>` over keep-alive
 * connections, at 1, 10 and 100 connections, over HTTP, HTTPS and a Unix socket — while 1,000 other profiles
 * renew every ~2 s in the same server (a refresh storm of ~500 renewals per second through the
 * real broker and scheduler). The floor is a bare `node:http`/`node:https` server answering the
 * same JSON body, measured in the same run on the same machine.
 *
 * Each server runs in a child process of its own (one at a time), so the load generator
 * (autocannon, in this process) never shares its event loop.
 *
 * Run: npm run bench:http -- [--help] [--duration 5] [--warmup 1] [--profiles 1000] [--lifetime 4]
 *      [--rounds 3] [--protocols http,https,socket] [--connections 1,10,100]   (fewer, for quicker runs)
 *      [--cpu-prof <dir>]   (writes a V8 CPU profile of each Rolecall server child there)
 *      [--perf-map]   (Rolecall server children write /tmp/perf-<pid>.map, for `perf record -p`)
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type RequestListener,
} from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { parseArgs } from 'node:util';
import { createBrokerStore } from '../src-main/core/broker/persistence';
import { createCore } from '../src-main/core/core';
import type { AwsCredentials } from '../src-main/core/credentials';
import { createLogger } from '../src-main/core/logger';
import { createMemoryStore } from '../src-main/core/secrets/memory-store';
import { buildServer } from '../src-main/core/server/app';
import { ecsCredentialsBody } from '../src-main/core/server/ecs-format';
import type { CredentialSource } from '../src-main/core/sources/source';
import { createCa, createLeaf } from '../src-main/core/tls/certificates';

const USAGE = `npm run bench:http -- [options]

  --protocols http,https,socket   which servers to measure (default all three; socket is plain
                           HTTP over a Unix socket, as rolecall serve --socket serves it)
  --connections 1,10,100   concurrent keep-alive connections per cell
  --rounds 3               interleaved rounds; the table shows medians
  --duration 5             seconds measured per cell (after --warmup 1)
  --profiles 1000          other profiles renewing in the same server
  --lifetime 4             seconds their credentials live (they renew at about half)
  --cpu-prof <dir>         write a V8 CPU profile of each Rolecall server child there
  --perf-map               Rolecall server children write /tmp/perf-<pid>.map (perf record -p)

A quick look: npm run bench:http -- --protocols http --connections 10 --rounds 1`;

const HOST = '127.0.0.1';
const DEFAULT_PROFILE = 'bench-default';
const SLOT_PROFILE = 'bench-slot';
/** The two measured profiles hold 1-hour credentials, renewed every 2 s (`every` override). */
const MEASURED_EVERY_MS = 2_000;

/** `socket`: plain HTTP over a Unix socket (`rolecall serve --socket`). */
type Protocol = 'http' | 'https' | 'socket';
type ServerKind = 'floor' | 'rolecall';

interface ServeConfig {
  kind: ServerKind;
  protocol: Protocol;
  /** Secret: travels only over the IPC channel, never in argv, env, files or logs. */
  token: string;
  tls: { cert: string; key: string } | null;
  profiles: number;
  lifetimeMs: number;
  home: string;
  /** With the `socket` protocol: the Unix socket the server listens on, beside its port. */
  socketPath: string | null;
}

type ToChild = { type: 'serve'; config: ServeConfig } | { type: 'stats' } | { type: 'stop' };
type FromChild =
  | { type: 'listening'; port: number }
  | { type: 'stats'; refreshed: number; failed: number; cpuMicros: number; atMs: number }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

// --- shared ------------------------------------------------------------------------------------

/** Credentials shaped like STS's: ~750-byte session token, account and role. */
function credentials(profile: string, serial: number, expiresAt: number): AwsCredentials {
  return {
    accessKeyId: `ASIA${profile
      .replace(/[^a-z0-9]/gi, '')
      .toUpperCase()
      .padStart(16, '0')}`,
    secretAccessKey: `${serial}`.padStart(40, 's'),
    sessionToken: `IQoJb3JpZ2luX2VjE${'y'.repeat(720)}${serial}`.slice(0, 760),
    expiresAt,
    accountId: '123456789012',
    roleArn: `arn:aws:iam::123456789012:role/${profile}`,
  };
}

function send(target: NodeJS.Process | ChildProcess, message: ToChild | FromChild): void {
  target.send!(message);
}

// --- the server children -----------------------------------------------------------------------

/** A source that answers after a small upstream-like delay with credentials of a fixed lifetime. */
function delayedSource(profile: string, lifetimeMs: number): CredentialSource {
  let serial = 0;
  return {
    profile,
    fetch: () =>
      new Promise((resolve) => {
        serial += 1;
        const delay = 5 + Math.random() * 20;
        setTimeout(() => resolve(credentials(profile, serial, Date.now() + lifetimeMs)), delay);
      }),
  };
}

async function serveRolecall(config: ServeConfig): Promise<() => Promise<void>> {
  const sources = new Map<string, CredentialSource>();
  sources.set(DEFAULT_PROFILE, delayedSource(DEFAULT_PROFILE, 3_600_000));
  sources.set(SLOT_PROFILE, delayedSource(SLOT_PROFILE, 3_600_000));
  const storm = Array.from({ length: config.profiles }, (_, i) => `storm-${i}`);
  for (const name of storm) sources.set(name, delayedSource(name, config.lifetimeMs));

  // As `rolecall serve` composes it, with the keychain replaced by memory: renewals still pay
  // for serialising and queueing each write, not for the Secret Service round trip.
  const secrets = createMemoryStore();
  const logger = createLogger({ level: 'warn' });
  const store = createBrokerStore({ home: config.home, secrets, logger });
  const core = createCore({
    secrets,
    store,
    resolveSource: async (name) => {
      const source = sources.get(name);
      if (!source) throw new Error(`no bench source for ${name}`);
      return source;
    },
  });
  const { broker } = core;
  let refreshed = 0;
  let failed = 0;
  broker.on('refreshed', () => (refreshed += 1));
  broker.on('refresh-failed', () => (failed += 1));

  await broker.load(DEFAULT_PROFILE, { policy: { everyMs: MEASURED_EVERY_MS } });
  await broker.load(SLOT_PROFILE, { slot: true, policy: { everyMs: MEASURED_EVERY_MS } });
  // Loads are spread over one renewal interval, so renewals arrive at a steady rate rather than
  // in one burst every interval.
  const spreadMs = config.lifetimeMs / 2;
  await Promise.all(
    storm.map(
      (name, i) =>
        new Promise<void>((resolve, reject) => {
          setTimeout(
            () => broker.load(name, { slot: true }).then(() => resolve(), reject),
            (i * spreadMs) / storm.length,
          );
        }),
    ),
  );

  const token = config.token;
  const app = buildServer({
    broker,
    api: core.api,
    token: () => token,
    clock: core.clock,
    logger,
    ...(config.tls ? { https: config.tls } : {}),
  });
  await app.listen({ host: HOST, port: 0 });
  if (config.socketPath) await app.listenOnUnixSocket({ path: config.socketPath });
  announceListening(app.server.address(), () => ({ refreshed, failed }));
  return async () => {
    broker.stop();
    await app.close();
    await store.flush();
  };
}

/** Tells the parent the port, then answers its requests for counters and CPU time. */
function announceListening(
  address: ReturnType<import('node:net').Server['address']>,
  renewals: () => { refreshed: number; failed: number },
): void {
  if (!address) throw new Error('not listening');
  process.on('message', (message: ToChild) => {
    if (message.type !== 'stats') return;
    const cpu = process.cpuUsage();
    send(process, {
      type: 'stats',
      ...renewals(),
      cpuMicros: cpu.user + cpu.system,
      atMs: performance.now(),
    });
  });
  send(process, { type: 'listening', port: typeof address === 'string' ? 0 : address.port });
}

async function serveFloor(config: ServeConfig): Promise<() => Promise<void>> {
  // The same body Rolecall sends for these credentials, serialised once: the floor does no work.
  const body = Buffer.from(
    JSON.stringify(
      ecsCredentialsBody(credentials(SLOT_PROFILE, 1, Date.now() + 3_600_000), Date.now()),
    ),
  );
  const handler: RequestListener = (_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    });
    response.end(body);
  };
  const server = config.tls
    ? createHttpsServer({ ...config.tls, minVersion: 'TLSv1.2' }, handler)
    : createHttpServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) =>
    config.socketPath ? server.listen(config.socketPath, resolve) : server.listen(0, HOST, resolve),
  );
  announceListening(server.address(), () => ({ refreshed: 0, failed: 0 }));
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

function child(): void {
  // If the load generator dies, its servers go with it.
  process.once('disconnect', () => process.exit(0));
  process.once('message', (message: ToChild) => {
    if (message.type !== 'serve') return;
    const start = message.config.kind === 'rolecall' ? serveRolecall : serveFloor;
    start(message.config).then(
      (stop) => {
        process.on('message', (next: ToChild) => {
          if (next.type !== 'stop') return;
          void stop().then(() => {
            send(process, { type: 'stopped' });
            process.exit(0);
          });
        });
      },
      (error: unknown) => {
        send(process, { type: 'error', message: String(error) });
        process.exit(1);
      },
    );
  });
}

// --- the load generator (this process) ---------------------------------------------------------

interface RunningServer {
  child: ChildProcess;
  port: number;
  socketPath: string | null;
  stats(): Promise<Extract<FromChild, { type: 'stats' }>>;
  stop(): Promise<void>;
}

function nextMessage<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromChild) => {
      if (message.type === 'error') {
        cleanup();
        reject(new Error(`server child failed: ${message.message}`));
      } else if (message.type === type) {
        cleanup();
        resolve(message as Extract<FromChild, { type: T }>);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`server child exited (${code}) before answering ${type}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

interface Profiling {
  cpuProfileDir?: string | undefined;
  perfMap?: boolean | undefined;
}

async function startServer(config: ServeConfig, profiling: Profiling): Promise<RunningServer> {
  const execArgv = ['--import', 'tsx'];
  if (config.kind === 'rolecall') {
    if (profiling.cpuProfileDir) {
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${profiling.cpuProfileDir}`);
    }
    if (profiling.perfMap) execArgv.push('--perf-basic-prof');
  }
  const child = fork(__filename, ['--child'], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listening = nextMessage(child, 'listening');
  send(child, { type: 'serve', config });
  const { port } = await listening;
  return {
    child,
    port,
    socketPath: config.socketPath,
    stats() {
      const answer = nextMessage(child, 'stats');
      send(child, { type: 'stats' });
      return answer;
    },
    async stop() {
      const stopped = nextMessage(child, 'stopped').catch(() => undefined);
      send(child, { type: 'stop' });
      await stopped;
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** One request with full verification against the CA: proves the setup before measuring it. */
function checkOnce(
  url: string,
  authorization: string,
  ca: string | null,
  socketPath: string | null,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options = {
      headers: { authorization },
      ...(ca ? { ca } : {}),
      ...(socketPath ? { socketPath } : {}),
    };
    const request = (ca ? httpsRequest : httpRequest)(target, options, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const body = JSON.parse(text) as { AccessKeyId?: string };
        if (response.statusCode !== 200 || !body.AccessKeyId) {
          reject(new Error(`${url} answered ${response.statusCode}`));
        } else resolve();
      });
    });
    request.on('error', reject);
    request.end();
  });
}

interface Cell {
  /** Which round of the run (servers are started afresh each round, floor and Rolecall in turn). */
  round: number;
  protocol: Protocol;
  server: ServerKind;
  path: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Renewals the server completed per second during the measured window (Rolecall only). */
  renewalsPerSecond: number;
  failedRenewals: number;
  /** CPU time over wall time in the measured window, in cores. */
  serverCpu: number;
  clientCpu: number;
}

interface MeasureOptions {
  round: number;
  server: RunningServer;
  kind: ServerKind;
  protocol: Protocol;
  path: string;
  connections: number;
  authorization: string;
  ca: string | null;
  warmupS: number;
  durationS: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * One cell: a single autocannon run of warm-up + duration. Connections are opened (and TLS
 * handshakes done) in the warm-up; only responses inside the measured window count.
 */
async function measure(options: MeasureOptions): Promise<Cell> {
  const { server, protocol, connections, ca } = options;
  let latencies = new Float64Array(1 << 20);
  let count = 0;
  let measuring = false;
  let unexpected = 0;
  let errors = 0;
  const checked = new WeakSet<object>();
  const unverified: string[] = [];

  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: server.socketPath
          ? `http://localhost${options.path}`
          : `${protocol}://${HOST}:${server.port}${options.path}`,
        ...(server.socketPath ? { socketPath: server.socketPath } : {}),
        connections,
        pipelining: 1,
        // Ended by stop() after the measured window; this is only a backstop.
        duration: options.warmupS + options.durationS + 5,
        headers: { authorization: options.authorization },
        // autocannon always sets rejectUnauthorized: false; with the CA here, each connection
        // still verifies the chain and the name, and `authorized` below must be true.
        ...(ca ? { tlsOptions: { ca } } : {}),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance.on('response', (client, statusCode, _bytes, responseTime) => {
    if (ca) {
      const socket = (client as unknown as { conn: TLSSocket }).conn;
      if (!checked.has(socket)) {
        checked.add(socket);
        if (!socket.authorized) unverified.push(String(socket.authorizationError));
      }
    }
    if (!measuring) return;
    if (statusCode !== 200) {
      unexpected += 1;
      return;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count] = responseTime;
    count += 1;
  });
  instance.on('reqError', () => {
    if (measuring) errors += 1;
  });

  await sleep(options.warmupS * 1000);
  const before = await server.stats();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  measuring = true;
  await sleep(options.durationS * 1000);
  measuring = false;
  const elapsedMs = performance.now() - started;
  const client = process.cpuUsage(clientBefore);
  const after = await server.stats();
  instance.stop();
  await done;

  const label = `${options.kind} ${protocol} ${options.path} ×${connections}`;
  if (unverified.length) throw new Error(`${label}: TLS not verified: ${unverified[0]}`);
  if (unexpected || errors) throw new Error(`${label}: ${unexpected} non-200, ${errors} errors`);
  const sorted = latencies.subarray(0, count).sort();
  const serverMs = after.atMs - before.atMs;
  return {
    round: options.round,
    protocol,
    server: options.kind,
    path: options.path,
    connections,
    requestsPerSecond: count / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    renewalsPerSecond: (after.refreshed - before.refreshed) / (serverMs / 1000),
    failedRenewals: after.failed - before.failed,
    serverCpu: (after.cpuMicros - before.cpuMicros) / 1000 / serverMs,
    clientCpu: (client.user + client.system) / 1000 / elapsedMs,
  };
}

/** One row of the table: a cell's medians over the rounds. */
interface Row {
  protocol: Protocol;
  server: ServerKind;
  path: string;
  connections: number;
  requestsPerSecond: number;
  /** Rolecall ÷ floor in each round (the floor measured just before, in the same round). */
  ofFloor: number[];
  p50Ms: number;
  p99Ms: number;
  cpuPerRequestUs: number;
  serverCpu: number;
  clientCpu: number;
  renewalsPerSecond: number;
  failedRenewals: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Medians over the rounds, per protocol, server, request and connection count. */
function rows(cells: Cell[]): Row[] {
  const groups = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = [cell.protocol, cell.server, cell.path, cell.connections].join(' ');
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const floorIn = (cell: Cell) =>
    cells.find(
      (other) =>
        other.server === 'floor' &&
        other.round === cell.round &&
        other.protocol === cell.protocol &&
        other.connections === cell.connections,
    );
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const of = (metric: (cell: Cell) => number) => median(group.map(metric));
    return {
      protocol: first.protocol,
      server: first.server,
      path: first.path,
      connections: first.connections,
      requestsPerSecond: of((c) => c.requestsPerSecond),
      ofFloor:
        first.server === 'rolecall'
          ? group.map((c) => c.requestsPerSecond / (floorIn(c)?.requestsPerSecond ?? NaN))
          : [],
      p50Ms: of((c) => c.p50Ms),
      p99Ms: of((c) => c.p99Ms),
      cpuPerRequestUs: of((c) => (c.serverCpu * 1e6) / c.requestsPerSecond),
      serverCpu: of((c) => c.serverCpu),
      clientCpu: of((c) => c.clientCpu),
      renewalsPerSecond: of((c) => c.renewalsPerSecond),
      failedRenewals: group.reduce((sum, c) => sum + c.failedRenewals, 0),
    };
  });
}

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;

function table(rowsToShow: Row[]): string {
  const lines = [
    '| protocol | server | request | connections | requests/s | of floor | of floor, each round | p50 | p99 | server CPU per request | server CPU | load generator CPU | renewals/s |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rowsToShow) {
    const rolecall = row.server === 'rolecall';
    const columns = [
      row.protocol === 'socket' ? 'Unix socket' : row.protocol.toUpperCase(),
      rolecall ? 'Rolecall' : 'floor',
      rolecall ? `GET ${row.path}` : 'any',
      String(row.connections),
      Math.round(row.requestsPerSecond).toLocaleString('en'),
      rolecall ? percent(median(row.ofFloor)) : '—',
      rolecall ? row.ofFloor.map((ratio) => Math.round(ratio * 100)).join(', ') : '—',
      `${row.p50Ms.toFixed(2)} ms`,
      `${row.p99Ms.toFixed(2)} ms`,
      `${row.cpuPerRequestUs.toFixed(1)} µs`,
      percent(row.serverCpu),
      percent(row.clientCpu),
      rolecall ? String(Math.round(row.renewalsPerSecond)) : '—',
    ];
    lines.push(`| ${columns.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The targets, judged on the medians: ≥ 80 % of the floor, p99 < 5 ms at 100 connections. */
function verdicts(rowsToJudge: Row[]): string[] {
  const lines: string[] = [];
  for (const row of rowsToJudge.filter((r) => r.server === 'rolecall')) {
    const ratio = median(row.ofFloor);
    const misses: string[] = [];
    if (!(ratio >= 0.8)) misses.push(`throughput ${percent(ratio)} of floor < 80 %`);
    if (row.connections === 100 && !(row.p99Ms < 5)) {
      misses.push(`p99 ${row.p99Ms.toFixed(2)} ms ≥ 5 ms`);
    }
    if (row.failedRenewals > 0) misses.push(`${row.failedRenewals} renewals failed`);
    if (misses.length) {
      lines.push(
        `MISSED ${row.protocol} GET ${row.path} ×${row.connections}: ${misses.join('; ')}`,
      );
    }
  }
  return lines.length ? lines : ['All targets met.'];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      profiles: { type: 'string', default: '1000' },
      lifetime: { type: 'string', default: '4' },
      protocols: { type: 'string', default: 'http,https,socket' },
      connections: { type: 'string', default: '1,10,100' },
      rounds: { type: 'string', default: '3' },
      'cpu-prof': { type: 'string' },
      'perf-map': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const protocols = listOption(
    values.protocols,
    ['http', 'https', 'socket'] as const,
    '--protocols',
  );
  const connectionCounts = values.connections.split(',').map((n) => {
    const count = Number(n);
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`--connections: ${n} is not a count`);
    return count;
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: give a whole number ≥ 1');
  const durationS = Number(values.duration);
  const warmupS = Number(values.warmup);
  const profiles = Number(values.profiles);
  const lifetimeMs = Number(values.lifetime) * 1000;
  const benchStarted = performance.now();
  // Other work on the machine shows up as noise: with both cores busy the scheduler can put the
  // server and the load generator in lockstep on one core, halving a cell.
  const loadBefore = loadavg()[0]!;
  if (loadBefore > 0.5) {
    console.error(
      `Load average is ${loadBefore.toFixed(2)}: results will be noisy; run on an idle machine.`,
    );
  }

  // Never printed: the bench makes its own token and hands it to the servers over IPC.
  const token = randomBytes(32).toString('base64url');
  const authorization = `Bearer ${token}`;
  const now = Date.now();
  const ca = await createCa({ now });
  const leaf = await createLeaf(ca, { now });
  const scratch = await mkdtemp(join(tmpdir(), 'rolecall-bench-http-'));
  const cells: Cell[] = [];
  try {
    // Each round starts fresh servers, the floor and then Rolecall, so both meet the same drift
    // of the machine; the table shows medians over the rounds.
    for (let round = 1; round <= rounds; round += 1) {
      for (const protocol of protocols) {
        for (const kind of ['floor', 'rolecall'] as const) {
          const server = await startServer(
            {
              kind,
              protocol,
              token,
              tls: protocol === 'https' ? { cert: leaf.certPem, key: leaf.keyPem } : null,
              profiles,
              lifetimeMs,
              home: join(scratch, `${kind}-${protocol}`),
              socketPath: protocol === 'socket' ? join(scratch, `${kind}.sock`) : null,
            },
            { cpuProfileDir: values['cpu-prof'], perfMap: values['perf-map'] },
          );
          try {
            const paths = kind === 'floor' ? ['/'] : ['/', `/slot/${SLOT_PROFILE}`];
            for (const path of paths) {
              const caPem = protocol === 'https' ? ca.certPem : null;
              await checkOnce(
                server.socketPath
                  ? `http://localhost${path}`
                  : `${protocol}://${HOST}:${server.port}${path}`,
                authorization,
                caPem,
                server.socketPath,
              );
              for (const connections of connectionCounts) {
                const cell = await measure({
                  round,
                  server,
                  kind,
                  protocol,
                  path,
                  connections,
                  authorization,
                  ca: caPem,
                  warmupS,
                  durationS,
                });
                cells.push(cell);
                console.error(
                  `round ${round}/${rounds}: ${kind} ${protocol} ${path} ×${connections}: ${Math.round(cell.requestsPerSecond)} req/s, p99 ${cell.p99Ms.toFixed(2)} ms`,
                );
              }
            }
          } finally {
            await server.stop();
          }
        }
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(
    `node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadBefore.toFixed(2)} before the run, ${profiles} storm profiles with ${lifetimeMs / 1000}-s credentials, ${warmupS} s warm-up + ${durationS} s per cell, ${rounds} round${rounds === 1 ? '' : 's'}, run took ${Math.round((performance.now() - benchStarted) / 1000)} s\n`,
  );
  const summary = rows(cells);
  console.log(table(summary));
  console.log(`\n${verdicts(summary).join('\n')}`);
}

/** A comma-separated subset of the allowed values, in the order given. */
function listOption<T extends string>(text: string, allowed: readonly T[], name: string): T[] {
  return text.split(',').map((item) => {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`${name}: ${item} is not one of ${allowed.join(', ')}`);
    }
    return item as T;
  });
}

if (process.argv.includes('--child')) child();
else void main();
