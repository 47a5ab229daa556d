import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ServerInfo } from '../../src-shared/server-info';

/** The built CLI: integration tests run what users run (`npm test` builds first). */
export const CLI = resolve(__dirname, '../../out/main/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A running `rolecall` command, with what it has printed so far. */
export interface RunningCli {
  stderr(): string;
  /** Resolves once stderr holds `text`; rejects after `ms` with what it printed. */
  printed(text: string, ms?: number): Promise<void>;
  /** Sends a signal, as Ctrl-C (SIGINT) in the terminal would. */
  kill(signal: NodeJS.Signals): void;
  /** The exit code (null when ended by a signal). */
  done: Promise<number | null>;
}

/** Starts a command that may wait (for a person, a sign-in) and lets the test watch it. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  child.stdin.end();
  const done = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));
  return {
    stderr: () => stderr,
    async printed(text, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (!stderr.includes(text)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`rolecall ${args.join(' ')} did not print ${text}: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill: (signal) => child.kill(signal),
    done,
  };
}

export interface ServeProcess {
  child: ChildProcess;
  info: ServerInfo;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `rolecall serve` and waits until its runtime file announces it. */
export async function startServe(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolvePromise) =>
    child.on('exit', (code) => resolvePromise(code)),
  );
  const runtimeFile = join(env.ROLECALL_HOME!, 'runtime.json');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`rolecall serve exited ${child.exitCode}: ${stderr}`);
    try {
      const info = JSON.parse(await readFile(runtimeFile, 'utf8')) as ServerInfo;
      if (info.pid === child.pid) {
        return {
          child,
          info,
          stderr: () => stderr,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        };
      }
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) throw new Error(`rolecall serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh one-time link to the web UI of a running `rolecall serve --ui`. */
export async function uiLink(env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runCli(['ui', '--no-browser'], env);
  if (result.code !== 0) throw new Error(`rolecall ui failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The one-time link `rolecall serve --ui` printed at start. */
export function printedUiLink(serve: ServeProcess): string {
  const found = /^\s+(https?:\S+#code=\S+)$/m.exec(serve.stderr());
  if (!found) throw new Error(`no web UI link printed: ${serve.stderr()}`);
  return found[1]!;
}
