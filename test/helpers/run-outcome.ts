import type { RunOutcome } from '../../src-main/core/sources/run-command';

/** How a program a test stands in for ended: exited with this output and status. */
export function exitedWith(stdout: string, code = 0, stderr = ''): RunOutcome {
  return { kind: 'exited', code, stdout, stderr, outputHeldOpen: false };
}
