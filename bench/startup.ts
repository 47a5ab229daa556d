/**
 * Two parts, both against the built out/main/cli.js and the real keychain.
 *
 * Commands: how long the commands a machine runs often take, from spawn to exit, beside a bare
 * `node -e 0` timed in the same rounds (each round runs every command once, in turn, so a busy
 * machine slows them all alike): `credential-process` against a running server with the profile
 * in its slot, `env`, `status --prompt`, `exec <p> -- true`, and `status --help`.
 *
 * Serve: start-up of a real `rolecall serve` (the built out/main/cli.js, against the real keychain): time
 * from spawn to the first answered request, and resident memory, with 0, 100 and 1,000 slots to
 * restore. Slots are put there the way users do, through a running server, which is then stopped;
 * each measured start restores them from layout.json and the keychain before it listens.
 *
 * - pushed: credentials handed over the ECS API (`PUT /slot/<p>`); restore reads the keychain.
 * - loaded: credential_process profiles in the AWS config, loaded with `loadProfile`; restore
 *   also resolves each profile's source from the config.
 *
 * Needs a Secret Service: `npm run bench:startup` builds and runs this under
 * scripts/with-keyring.mjs (a private, throwaway keyring).
 *
 * Run: npm run bench:startup -- [--part commands|serve|all] [--command-runs 15] [--runs 5]
 *        [--slots 0,100,1000] [--settle 3]
 */
import { spawn } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { BEARER_TOKEN_ACCOUNT } from '../src-main/core/bearer-token';
import { credentialsAccount } from '../src-main/core/broker/persistence';
import { keychainScope, scopedSecretStore } from '../src-main/core/keychain-scope';
import { defaultRolecallHome } from '../src-main/core/paths';
import { createKeytarStore } from '../src-main/core/secrets/keytar-store';
import { freePort } from '../test/helpers/free-port';
import { CLI, runCli, startServe, type ServeProcess } from '../test/helpers/rolecall-process';
import { createWorkspace, defaultHomeEnv, type Workspace } from '../test/helpers/workspace';

type Kind = 'pushed' | 'loaded';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function profileName(kind: Kind, index: number): string {
  return `${kind}-${String(index).padStart(4, '0')}`;
}

/** One request; resolves with the status, rejects when nothing answers (not listening yet). */
function get(port: number, path: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { authorization }, agent: false },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function call(
  server: ServeProcess,
  authorization: string,
  method: 'PUT' | 'POST',
  path: string,
  body: unknown,
): Promise<void> {
  const response = await fetch(new URL(path, server.info.url), {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

/** Runs `work` over the items with `limit` in flight at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * A workspace whose Rolecall restores `slots` named slots at start. The bearer token is read once
 * with `rolecall token` and kept in memory only.
 */
async function prepare(
  kind: Kind,
  slots: number,
): Promise<{ ws: Workspace; authorization: string; names: string[] }> {
  const ws = await createWorkspace();
  const names = Array.from({ length: slots }, (_, index) => profileName(kind, index));
  if (kind === 'loaded') {
    // credential_process without a shell: echo prints the JSON (no Expiration: never expires).
    const sections = names.map((name) => {
      const output = JSON.stringify({
        Version: 1,
        AccessKeyId: `ASIA${name.replace(/\W/g, '').toUpperCase()}`,
        SecretAccessKey: 's'.repeat(40),
        SessionToken: 'IQoJ'.padEnd(760, 't'),
      });
      return `[profile ${name}]\ncredential_process = /bin/echo '${output}'\n`;
    });
    await ws.writeConfig(sections.join(''));
  }
  const token = await runCli(['token'], ws.env);
  if (token.code !== 0) throw new Error(`rolecall token failed: ${token.stderr}`);
  const authorization = token.stdout.trim();
  const server = await startServe(ws.env);
  try {
    const expiration = Date.now() + 12 * 3_600_000;
    await pool(names, 8, (name) =>
      kind === 'pushed'
        ? call(server, authorization, 'PUT', `slot/${name}`, {
            ProfileName: name,
            Creds: {
              accessKeyId: `ASIA${name.replace(/\W/g, '').toUpperCase()}`,
              secretAccessKey: 's'.repeat(40),
              sessionToken: 'IQoJ'.padEnd(760, 't'),
              expiration,
              accountId: '123456789012',
              roleName: name,
            },
          })
        : call(server, authorization, 'POST', 'api/loadProfile', { profile: name, slot: true }),
    );
  } finally {
    // SIGTERM: the server finishes its keychain writes before it exits.
    await server.stop('SIGTERM');
  }
  const layout = JSON.parse(await readFile(`${ws.home}/layout.json`, 'utf8').catch(() => '{}')) as {
    slots?: string[];
  };
  if ((layout.slots ?? []).length !== slots) {
    throw new Error(`expected ${slots} slots in layout.json, found ${layout.slots?.length ?? 0}`);
  }
  return { ws, authorization, names };
}

/** Removes what a workspace left in the keychain (its items are scoped to its ROLECALL_HOME). */
async function forget(
  ws: Workspace,
  names: string[],
  scope = keychainScope(ws.home, defaultRolecallHome(ws.env)),
): Promise<void> {
  const keychain = scopedSecretStore(createKeytarStore(), scope);
  await pool([...names.map(credentialsAccount), BEARER_TOKEN_ACCOUNT], 8, async (account) => {
    await keychain.delete(account);
  });
}

/**
 * Loaded into the measured server with --require: a full GC on SIGUSR2, so the settled RSS is
 * what the process retains rather than garbage no allocation has yet made V8 collect. Node runs no
 * GC on its own while idle.
 */
const GC_ON_SIGNAL = `process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  process.stderr.write('bench: collected\\n');
});
`;

/** VmRSS and VmHWM (peak) of a process, in KiB. */
async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

interface Run {
  startMs: number;
  rssStartKiB: number;
  rssSettledKiB: number;
  peakKiB: number;
}

/** One measured start: spawn, poll until a request is answered, read memory, stop. */
async function measureStart(
  ws: Workspace,
  authorization: string,
  probe: string,
  expected: number,
  settleS: number,
): Promise<Run> {
  const port = await freePort();
  const preload = join(ws.dir, 'gc-on-signal.js');
  await writeFile(preload, GC_ON_SIGNAL);
  const started = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', '--require', preload, CLI, 'serve'], {
    env: { ...ws.env, ROLECALL_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let status = 0;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`rolecall serve exited: ${stderr}`);
      try {
        status = await get(port, probe, authorization);
        break;
      } catch {
        await sleep(2);
      }
      if (performance.now() - started > 120_000) throw new Error(`no answer: ${stderr}`);
    }
    const startMs = performance.now() - started;
    if (status !== expected) throw new Error(`GET ${probe} answered ${status}, not ${expected}`);
    const atStart = await memory(child.pid!);
    await sleep(settleS * 1000);
    const collected = stderr.length;
    child.kill('SIGUSR2');
    while (!stderr.includes('bench: collected', collected)) {
      if (child.exitCode !== null) throw new Error(`rolecall serve exited: ${stderr}`);
      await sleep(10);
    }
    await sleep(200);
    const settled = await memory(child.pid!);
    return {
      startMs,
      rssStartKiB: atStart.rss,
      rssSettledKiB: settled.rss,
      peakKiB: settled.peak,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Spawn to exit of one command; fails when it does not exit 0. */
async function timeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr}`);
  return ms;
}

/** The hot paths, timed against `node -e 0` round by round; prints a table of medians. */
async function benchCommands(runs: number): Promise<void> {
  const ws = await createWorkspace();
  const profile = 'demo';
  const output = JSON.stringify({
    Version: 1,
    AccessKeyId: 'ASIADEMO',
    SecretAccessKey: 's'.repeat(40),
    SessionToken: 'IQoJ'.padEnd(760, 't'),
  });
  await ws.writeConfig(`[profile ${profile}]\ncredential_process = /bin/echo '${output}'\n`);
  // As a user runs them: the default home, so no hash of its path is needed for keychain names.
  const env = defaultHomeEnv(ws);
  const token = await runCli(['token'], env);
  if (token.code !== 0) throw new Error(`rolecall token failed: ${token.stderr}`);
  const server = await startServe(env);
  try {
    const loaded = await runCli(['load', profile, '--slot'], env);
    if (loaded.code !== 0) throw new Error(`rolecall load failed: ${loaded.stderr}`);
    const commands: [string, string[]][] = [
      ['node -e 0', ['-e', '0']],
      [
        `credential-process --profile ${profile}`,
        [CLI, 'credential-process', '--profile', profile],
      ],
      ['env', [CLI, 'env']],
      ['status --prompt', [CLI, 'status', '--prompt']],
      [`exec ${profile} -- true`, [CLI, 'exec', profile, '--', 'true']],
      ['status --help', [CLI, 'status', '--help']],
    ];
    const times = commands.map(() => [] as number[]);
    // One untimed round first: the files are in the page cache for every timed one.
    for (const [, args] of commands) await timeCommand(args, env);
    for (let run = 0; run < runs; run += 1) {
      for (const [index, [, args]] of commands.entries())
        times[index]!.push(await timeCommand(args, env));
    }
    const bare = median(times[0]!);
    const ms = (value: number) => `${Math.round(value)} ms`;
    console.log(
      `node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${runs} runs of each, interleaved; spawn → exit, median (min–max)\n`,
    );
    console.log('| command | spawn → exit | × `node -e 0` |');
    console.log('| --- | ---: | ---: |');
    for (const [index, [name]] of commands.entries()) {
      const values = times[index]!;
      console.log(
        `| \`${name}\` | ${summary(values, ms)} | ${(median(values) / bare).toFixed(2)} |`,
      );
    }
    console.log('');
  } finally {
    await server.stop('SIGTERM');
    await forget(ws, [profile], '');
    await ws.dispose();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function summary(values: number[], format: (value: number) => string): string {
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      part: { type: 'string', default: 'all' },
      'command-runs': { type: 'string', default: '15' },
      runs: { type: 'string', default: '5' },
      slots: { type: 'string', default: '0,100,1000' },
      settle: { type: 'string', default: '3' },
    },
  });
  const runs = Number(values.runs);
  const settleS = Number(values.settle);
  const sizes = values.slots.split(',').map(Number);
  try {
    await access(CLI);
  } catch {
    throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench:startup does).`);
  }
  if (!['commands', 'serve', 'all'].includes(values.part)) {
    throw new Error(`--part is commands, serve or all, not ${values.part}.`);
  }
  if (values.part !== 'serve') await benchCommands(Number(values['command-runs']));
  if (values.part === 'commands') return;
  const benchStarted = performance.now();
  const rows: string[] = [];
  for (const slots of sizes) {
    for (const kind of slots === 0 ? (['pushed'] as const) : (['pushed', 'loaded'] as const)) {
      const prepared = performance.now();
      const { ws, authorization, names } = await prepare(kind, slots);
      const prepareS = (performance.now() - prepared) / 1000;
      try {
        const probe = slots === 0 ? '/' : `/slot/${profileName(kind, slots - 1)}`;
        const results: Run[] = [];
        for (let run = 0; run < runs; run += 1) {
          results.push(
            await measureStart(ws, authorization, probe, slots === 0 ? 404 : 200, settleS),
          );
        }
        const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
        const ms = (value: number) => `${Math.round(value)} ms`;
        const line = `| ${slots.toLocaleString('en')} | ${slots === 0 ? '—' : kind} | ${summary(
          results.map((r) => r.startMs),
          ms,
        )} | ${summary(
          results.map((r) => r.rssStartKiB),
          mib,
        )} | ${summary(
          results.map((r) => r.rssSettledKiB),
          mib,
        )} | ${summary(
          results.map((r) => r.peakKiB),
          mib,
        )} |`;
        rows.push(line);
        console.error(`${line}  (prepared in ${prepareS.toFixed(1)} s)`);
      } finally {
        await forget(ws, names);
        await ws.dispose();
      }
    }
  }
  console.log(
    `node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${runs} starts per row, median (min–max), run took ${Math.round((performance.now() - benchStarted) / 1000)} s\n`,
  );
  console.log(
    '| slots restored | slots from | spawn → first answer | RSS at first answer | RSS after idle + full GC | peak RSS |',
  );
  console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
