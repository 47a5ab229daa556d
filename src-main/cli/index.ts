// Entry point of the `rolecall` command (built to out/main/cli.js).
import { run } from './main';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rolecall: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
