import { spawnSync } from 'node:child_process';
import { AwsFilesHelper, filesRequest, PYTHON_ENV, SYSTEM_PYTHON } from './aws-files-helper';

export { SYSTEM_PYTHON } from './aws-files-helper';

/** Why botocore cannot be asked here, or null when it can. */
export function botocoreUnavailable(): string | null {
  const reason = probeBotocore();
  // .ci/run installs python3-botocore: in CI a missing botocore is a broken install step, not
  // a reason to skip the comparisons that depend on it.
  if (reason !== null && process.env.CI)
    throw new Error(`${reason}; CI must have it (.ci/run installs python3-botocore)`);
  return reason;
}

function probeBotocore(): string | null {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import botocore.configloader'], {
    env: PYTHON_ENV,
    encoding: 'utf8',
  });
  if (probe.error) return `${SYSTEM_PYTHON} cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `${SYSTEM_PYTHON} has no botocore (install python3-botocore)`;
  return null;
}

/** What botocore made of a config and a credentials file. */
export type BotocoreAnswer =
  | { ok: true; profiles: Record<string, Settings>; ssoSessions: Record<string, Settings> }
  | { ok: false; error: string };
type Settings = Record<string, string | Record<string, string>>;

/** One Python process running botocore's config reader, asked one pair of files at a time. */
export class Botocore {
  private constructor(private readonly helper: AwsFilesHelper) {}

  static start(): Botocore {
    return new Botocore(AwsFilesHelper.start('botocore_profile_map.py'));
  }

  /** Files as bytes; null for a file that does not exist. */
  read(config: Uint8Array | null, credentials: Uint8Array | null): Promise<BotocoreAnswer> {
    return this.helper.ask(filesRequest(config, credentials));
  }

  stop(): Promise<void> {
    return this.helper.stop();
  }
}
