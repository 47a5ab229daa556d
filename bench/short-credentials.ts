/**
 * How often a source of short credentials runs when clients ask often — bounded by the refresh
 * policy, not by the request rate:
 *
 * 1. A real `rolecall serve` (the built out/main/cli.js, the real keychain) with a
 *    credential_process that hands out 30-second keys, loaded into its slot; a client reads the
 *    slot every half second for 40 seconds, as an AWS SDK polling a container endpoint would.
 *    The process logs each run, so its runs are counted and timed.
 * 2. The broker alone on a virtual clock, with a source that caches on its own and keeps handing
 *    back the same credentials as they age (4 minutes left when first fetched); a slot read every
 *    half second for 6 minutes.
 *
 * Needs a Secret Service: `npm run bench:short` builds and runs this under
 * scripts/with-keyring.mjs (a private, throwaway keyring).
 *
 * Run: npm run bench:short   (results go in docs/benchmarks.md)
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { Broker } from '../src-main/core/broker/broker';
import type { AwsCredentials } from '../src-main/core/credentials';
import type { CredentialSource } from '../src-main/core/sources/source';
import { runCli, startServe } from '../test/helpers/rolecall-process';
import { createWorkspace } from '../test/helpers/workspace';
import { VirtualClock } from './virtual-clock';

const SECOND = 1000;
const POLL_MS = 500;
const POLL_FOR_MS = 40 * SECOND;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A credential_process that logs each run's time and prints keys valid for `lifetimeMs`. */
function shortKeysScript(lifetimeMs: number): string {
  return `#!/usr/bin/env node
require('fs').appendFileSync(__filename + '.runs', Date.now() + '\\n');
process.stdout.write(JSON.stringify({
  Version: 1,
  AccessKeyId: 'ASIAROLECALLSHORT001',
  SecretAccessKey: 'short-secret-' + Date.now(),
  SessionToken: 'short-session-token',
  Expiration: new Date(Date.now() + ${lifetimeMs}).toISOString(),
}));
`;
}

/** One read of a slot, as an SDK makes it: the status and the expiry it was handed. */
function readSlot(
  url: URL,
  authorization: string,
): Promise<{ status: number; expiration: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization }, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const expiration =
          status === 200 ? (JSON.parse(body) as { Expiration?: string }).Expiration : null;
        resolve({ status, expiration: expiration ?? null });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

interface ProcessResult {
  polls: number;
  notOk: number;
  /** The least life left in an answer, in seconds. */
  leastLeftSeconds: number;
  runTimes: number[];
  pollStart: number;
}

async function realProcess(): Promise<ProcessResult> {
  const ws = await createWorkspace();
  try {
    const script = await ws.script('short-keys', shortKeysScript(30 * SECOND));
    await ws.writeConfig(`[profile short]\ncredential_process = ${script}\n`);
    const serve = await startServe(ws.env);
    try {
      const loaded = await runCli(['load', 'short', '--slot'], ws.env);
      if (loaded.code !== 0) throw new Error(`load failed: ${loaded.stderr}`);
      const authorization = (await runCli(['token'], ws.env)).stdout.trim();
      const url = new URL('/slot/short', serve.info.url);
      const pollStart = Date.now();
      let polls = 0;
      let notOk = 0;
      let leastLeftMs = Infinity;
      while (Date.now() - pollStart < POLL_FOR_MS) {
        const asked = Date.now();
        const answer = await readSlot(url, authorization);
        polls += 1;
        if (answer.status !== 200 || answer.expiration === null) notOk += 1;
        else leastLeftMs = Math.min(leastLeftMs, Date.parse(answer.expiration) - Date.now());
        await sleep(Math.max(0, POLL_MS - (Date.now() - asked)));
      }
      const runTimes = (await readFile(`${script}.runs`, 'utf8')).trim().split('\n').map(Number);
      return { polls, notOk, leastLeftSeconds: leastLeftMs / SECOND, runTimes, pollStart };
    } finally {
      await serve.stop();
    }
  } finally {
    await ws.dispose();
  }
}

interface CachingResult {
  polls: number;
  served: number;
  refused: number;
  runSeconds: number[];
}

/** A source with a cache of its own: the same credentials every time, 4 minutes left at first. */
async function cachingSource(): Promise<CachingResult> {
  const clock = new VirtualClock();
  const start = clock.now();
  const runSeconds: number[] = [];
  let held: AwsCredentials | null = null;
  const source: CredentialSource = {
    profile: 'cached',
    fetch: async () => {
      runSeconds.push((clock.now() - start) / SECOND);
      held ??= {
        accessKeyId: 'ASIAROLECALLCACHED01',
        secretAccessKey: 'cached-secret',
        sessionToken: 'cached-token',
        expiresAt: clock.now() + 4 * 60 * SECOND,
      };
      return held;
    },
  };
  const broker = new Broker({ clock, resolveSource: async () => source });
  await broker.load('cached', { slot: true });
  let polls = 0;
  let served = 0;
  let refused = 0;
  for (let at = 0; at < 6 * 60 * SECOND; at += POLL_MS) {
    polls += 1;
    const answer = await broker
      .credentialsFor({ kind: 'named', profile: 'cached' })
      .then(() => true)
      .catch(() => false);
    if (answer) served += 1;
    else refused += 1;
    await clock.advance(POLL_MS);
  }
  broker.stop();
  return { polls, served, refused, runSeconds };
}

/** At most a dozen numbers, then how many more there were. */
function some(numbers: number[]): string {
  const shown = numbers.slice(0, 12).map((n) => n.toFixed(1));
  return numbers.length > 12
    ? `${shown.join(', ')} … (${numbers.length - 12} more)`
    : shown.join(', ');
}

async function main(): Promise<void> {
  const real = await realProcess();
  const during = real.runTimes.filter((time) => time >= real.pollStart);
  console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('30-second keys from a credential_process, a slot read every 0.5 s for 40 s:\n');
  console.log(
    '| reads | answers not 200 | least life left in an answer | process runs (with the load) | runs while polled | seconds between runs |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | :--- |');
  const gaps = real.runTimes.slice(1).map((time, i) => (time - real.runTimes[i]!) / SECOND);
  console.log(
    `| ${real.polls} | ${real.notOk} | ${real.leastLeftSeconds.toFixed(1)} s | ${real.runTimes.length} | ${during.length} | ${some(gaps)} |`,
  );

  const cached = await cachingSource();
  console.log(
    '\nA source handing back the same credentials as they age (4 minutes left at first), read every 0.5 s for 6 minutes (virtual clock):\n',
  );
  console.log('| reads | served | refused (expired) | source runs | run at (s) |');
  console.log('| ---: | ---: | ---: | ---: | :--- |');
  console.log(
    `| ${cached.polls} | ${cached.served} | ${cached.refused} | ${cached.runSeconds.length} | ${some(cached.runSeconds)} |`,
  );
}

void main();
