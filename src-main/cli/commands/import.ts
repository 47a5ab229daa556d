import type { Command } from 'commander';
import type { CliContext } from '../context';

export interface ImportOptions {
  dryRun?: boolean;
}

/**
 * `rolecall import`: the commands and their help only. What they do is loaded when one runs
 * (import-actions.ts), so no other command pays for reading other tools' formats.
 */
export function registerImport(program: Command, context: () => CliContext): void {
  const command = program
    .command('import')
    .description(
      'Move in from Leapp or aws-vault: profiles, sign-in sessions and keys, in one step.',
    )
    .addHelpText(
      'after',
      "\nReads the other tool's data and never changes it. New profiles and [sso-session] sections are\n" +
        'appended to the AWS config file in one block (every other byte kept); keys go into the\n' +
        'keychain, never into a file. Running it again imports nothing twice. Start with --dry-run:\n' +
        '  rolecall import leapp --dry-run\n' +
        '  rolecall import aws-vault --dry-run',
    );

  command
    .command('leapp')
    .description(
      "Import Leapp's IAM Identity Center integrations, IAM user and chained role sessions, named profiles and regions.",
    )
    .option('--dry-run', 'show what would come in and what would not, and change nothing')
    .option('--workspace <file>', "Leapp's workspace file (default ~/.Leapp/Leapp-lock.json)")
    .addHelpText(
      'after',
      "\nThe workspace is decrypted with this machine's id, as Leapp does, so run it on the machine\n" +
        "Leapp runs on. IAM users' keys are read from Leapp's keychain items (service Leapp). Azure\n" +
        'and SAML sessions are listed and left out.',
    )
    .action(async (options: ImportOptions & { workspace?: string }) => {
      const { importLeapp } = await import('./import-actions');
      await importLeapp(context(), options);
    });

  command
    .command('aws-vault')
    .description(
      "Move each profile's long-lived keys from aws-vault's keyring into Rolecall's keychain.",
    )
    .option('--dry-run', 'show what would come in and what would not, and change nothing')
    .option(
      '--backend <name>',
      "aws-vault's backend to read: secret-service, file, keychain or wincred (default: AWS_VAULT_BACKEND, else every one this machine has)",
    )
    .addHelpText(
      'after',
      '\nReads what aws-vault itself reads: AWS_VAULT_BACKEND, AWS_VAULT_FILE_DIR (~/.awsvault/keys),\n' +
        'AWS_VAULT_FILE_PASSPHRASE (else the passphrase is asked without echo), and\n' +
        'AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME (awsvault). Cached sessions and OIDC tokens are\n' +
        "left out. aws-vault's profiles in ~/.aws/config load as they are.",
    )
    .action(async (options: ImportOptions & { backend?: string }) => {
      const { importAwsVault } = await import('./import-actions');
      await importAwsVault(context(), options);
    });
}
