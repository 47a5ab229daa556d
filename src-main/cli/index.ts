// Entry point of the `rolecall` command (built to out/main/cli.js).
import { run } from './main';

// The AWS SDK warns on every run under Node 20 about its own future Node requirement; that is for
// Rolecall's maintainers (who pin the SDK), not for someone running `rolecall env`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The installed app's launcher runs this file on Electron's Node with ELECTRON_RUN_AS_NODE=1. Left
// in the environment, it would turn any Electron app a command starts (an editor started by
// `rolecall exec`, a credential_process) into plain Node.
delete process.env.ELECTRON_RUN_AS_NODE;

/**
 * Exit as soon as the output is flushed: a keychain call that timed out can leave a native call
 * pending that would otherwise keep the process alive long after the answer was printed.
 */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

run(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  process.stderr.write(`rolecall: ${String(error)}\n`);
  exitAfterFlush(1);
});
