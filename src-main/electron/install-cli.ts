import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { cliInstalledSentence, planCliInstall, type CliInstallPlan } from './models/cli-install';

/** Runs a program and gives its standard output (PowerShell, on Windows). */
export type RunProgram = (
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
) => Promise<{ stdout: string }>;

const runProgram: RunProgram = (file, args, env) =>
  promisify(execFile)(file, args, { env, windowsHide: true });

/** The user's own PATH, as new terminals get it, read from and written to the registry. */
const READ_USER_PATH = "[Environment]::GetEnvironmentVariable('Path', 'User')";
// The new value travels in the environment, not on the command line, so no quoting can break it.
const WRITE_USER_PATH =
  "[Environment]::SetEnvironmentVariable('Path', $env:ROLECALL_USER_PATH, 'User')";

export interface InstallCliOptions {
  platform?: NodeJS.Platform;
  resourcesPath: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  run?: RunProgram;
  /** Where a link may go, best first (tests use their own). */
  linkDirs?: string[];
}

/**
 * "Install command-line tool…": reads the machine, lets `planCliInstall` decide, and carries the
 * plan out. Resolves with the sentence to show; rejects with one when the change failed.
 */
export async function installCommandLineTool(options: InstallCliOptions): Promise<string> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const run = options.run ?? runProgram;
  const powershell = (command: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', command], {
      ...env,
      ...extraEnv,
    });

  const plan = planCliInstall({
    platform,
    resourcesPath: options.resourcesPath,
    path: env.PATH ?? '',
    home,
    ...(options.linkDirs ? { linkDirs: options.linkDirs } : {}),
    ...(platform === 'win32'
      ? { windowsUserPath: (await powershell(READ_USER_PATH)).stdout.trim() }
      : {}),
    // A directory in the home may be created; one elsewhere must exist and be writable.
    writable: (dir) => isWritable(dir) || (dir.startsWith(`${home}/`) && isWritable(home)),
    existing: (path) => {
      try {
        return lstatSync(path).isSymbolicLink()
          ? { kind: 'link', to: readlinkSync(path) }
          : { kind: 'other' };
      } catch {
        return { kind: 'none' };
      }
    },
  });
  await carryOut(plan, powershell);
  const onPath =
    plan.kind !== 'link' || (env.PATH ?? '').split(':').includes(dirname(plan.linkPath));
  return cliInstalledSentence(plan, onPath);
}

async function carryOut(
  plan: CliInstallPlan,
  powershell: (command: string, env: NodeJS.ProcessEnv) => Promise<unknown>,
): Promise<void> {
  if (plan.kind === 'manual') throw new Error(plan.sentence);
  if (plan.kind === 'link') {
    mkdirSync(dirname(plan.linkPath), { recursive: true });
    if (plan.replaces !== null) rmSync(plan.linkPath, { force: true });
    symlinkSync(plan.launcher, plan.linkPath);
  }
  if (plan.kind === 'user-path')
    await powershell(WRITE_USER_PATH, { ROLECALL_USER_PATH: plan.userPath });
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
