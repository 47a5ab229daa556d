import type { Command } from 'commander';
import { access, constants } from 'node:fs/promises';
import { RolecallError } from '../../core/errors';
import { tlsPaths } from '../../core/tls/tls-material';
import { systemTrustStore } from '../../core/tls/trust-store';
import type { CliContext } from '../context';

export function registerTrust(program: Command, context: () => CliContext): void {
  program
    .command('trust')
    .description(
      "Add Rolecall's local CA to the operating system's trust store (or take it out with --remove).",
    )
    .option('--remove', 'remove the CA from the trust store')
    .option('--ca-file <file>', "the CA to add (default: Rolecall's, in ROLECALL_HOME/tls/ca.pem)")
    .addHelpText(
      'after',
      '\nNeeds administrator rights (sudo on Linux and macOS, an elevated shell on Windows).\n' +
        "On Debian, where this is tested, curl and Python's own urllib then trust `rolecall serve --tls`;\n" +
        "botocore (boto3) and the AWS CLI only when their CA bundle is the system's (Debian's packages), not\n" +
        'when they carry their own (botocore from pip). For Python and the AWS CLI, use a profile with\n' +
        '`credential_process = rolecall credential-process --profile <p>` instead. See docs/tls.md.',
    )
    .action(async (options: { remove?: boolean; caFile?: string }) => {
      const ctx = context();
      const store = await systemTrustStore();
      if (options.remove) {
        await store.remove();
        ctx.stderr(`Removed Rolecall's CA from ${store.name}.\n`);
        return;
      }
      // Only the public CA file is needed, so this works under sudo, where the keychain is not.
      const caFile = options.caFile ?? tlsPaths(ctx.home).caCert;
      try {
        await access(caFile, constants.R_OK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new RolecallError(
            'ca-unreadable',
            `Cannot read the CA at ${caFile} (${(error as NodeJS.ErrnoException).code}). Give --ca-file a copy this user can read, or run \`rolecall cert\` as its owner to make it readable again.`,
            403,
          );
        }
        throw new RolecallError(
          'no-ca',
          `There is no CA at ${caFile} yet. Create it with \`rolecall cert\` (or start \`rolecall serve --tls\`), then run \`sudo rolecall trust --ca-file ${caFile}\`.`,
          404,
        );
      }
      await store.add(caFile);
      ctx.stderr(`Added ${caFile} to ${store.name}.\n`);
    });
}
