import { join } from 'node:path';
import type { Command } from 'commander';
import { profileNameProblem } from '../../../src-shared/profile-name';
import { resolveProfileFiles } from '../../core/config/config-paths';
import type { ResolvedProfileFiles } from '../../core/config/profile-config';
import { RolecallError } from '../../core/errors';
import { maskAccessKeyId } from '../../core/keys/access-key-format';
import { importKeys, type KeyLines } from '../../core/keys/import-keys';
import { createKeyStore, type KeyStore, type LongLivedKeys } from '../../core/keys/key-store';
import { findKeysInFiles } from '../../core/keys/keys-in-files';
import { checkSecretStore } from '../../core/secrets/keytar-store';
import type { CliContext } from '../context';
import { readKeys } from '../key-input';
import { formatTable } from '../table';
import { UsageError } from '../usage-error';

export function registerKeys(program: Command, context: () => CliContext): void {
  const keys = program
    .command('keys')
    .description(
      'Keep long-lived AWS access keys in the OS keychain instead of ~/.aws/credentials.',
    )
    .addHelpText(
      'after',
      '\nRolecall never serves these keys: it serves session credentials made from them (STS\n' +
        'GetSessionToken). Moving keys out of the credentials file:\n' +
        '  rolecall keys import dev            # copy them into the keychain\n' +
        '  rolecall keys import dev --remove   # and take them out of the file',
    );

  keys
    .command('import')
    .description(
      "Copy a profile's aws_access_key_id and aws_secret_access_key from the AWS files into the keychain.",
    )
    .argument('<profile>', 'the profile whose keys to import, as `rolecall profiles` names it')
    .option(
      '--remove',
      'then take the two lines out of the file (only once the keychain has given the keys back)',
    )
    .addHelpText(
      'after',
      '\nThe keys are read from AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) or, as the AWS CLI\n' +
        'also reads them, from the [profile x] section of AWS_CONFIG_FILE (~/.aws/config); where both\n' +
        'have keys, the credentials file wins, as in the AWS CLI. With --remove the file is replaced\n' +
        'atomically, with the same mode and every other line as it was; no backup copy is written.\n' +
        'Keys next to an aws_session_token, or whose ID starts with ASIA, are temporary and refused.',
    )
    .action(async (profile: string, options: { remove?: boolean }) => {
      const ctx = context();
      checkName(profile);
      await checkSecretStore(ctx.secrets);
      const files = resolveProfileFiles({}, ctx.env);
      const imported = await importKeys({
        profile,
        files,
        store: keyStore(ctx),
        remove: options.remove ?? false,
      });
      if (imported.from === null) {
        ctx.stderr(
          `The keychain already holds the keys of profile ${profile} (${imported.maskedId}), and neither ${files.credentialsFile} nor ${files.configFile} has any.\n`,
        );
        return;
      }
      ctx.stderr(
        imported.alreadyStored
          ? `The keychain already holds these keys of profile ${profile} (${imported.maskedId}).\n`
          : `Stored the keys of profile ${profile} (${imported.maskedId}) in the keychain.\n`,
      );
      for (const removed of imported.removedFrom) {
        ctx.stderr(
          `Took them out of ${removed.path} (${lines(removed)}); the rest of the file is as it was.\n`,
        );
      }
      if (imported.removedFrom.length === 0) {
        ctx.stderr(
          `They are still in ${imported.from.path} (${lines(imported.from)}), where any program can read them; \`rolecall keys import ${profile} --remove\` takes them out.\n`,
        );
      }
      if (imported.otherKeysLeft) {
        ctx.stderr(
          `warning: ${imported.otherKeysLeft.path} has other keys for ${profile} (${lines(imported.otherKeysLeft)}), which the AWS CLI ignores while those in ${imported.from.path} are there.\n`,
        );
      }
    });

  keys
    .command('add')
    .description("Store a profile's access key ID and secret access key in the keychain.")
    .argument('<profile>', 'the profile the keys are for (it need not be in your AWS config yet)')
    .option('--stdin', 'read the key ID and the secret, one per line, from standard input')
    .addHelpText(
      'after',
      '\nWithout --stdin, asks for both on the terminal without showing what you type (Ctrl-C\n' +
        'stores nothing). Keys are never taken from the command line, where other programs can\n' +
        'read them. Replaces keys the keychain holds for the profile, and says so. For scripts:\n' +
        '  printf "%s\\n%s\\n" "$KEY_ID" "$SECRET" | rolecall keys add ci --stdin',
    )
    .action(async (profile: string, options: { stdin?: boolean }) => {
      const ctx = context();
      checkName(profile);
      await checkSecretStore(ctx.secrets);
      const keys = await readKeys(ctx, profile, options.stdin ?? false);
      const store = keyStore(ctx);
      const replaced = await store.get(profile).catch(() => null);
      await store.set(profile, keys);
      const readBack = await store.get(profile);
      if (
        readBack?.accessKeyId !== keys.accessKeyId ||
        readBack.secretAccessKey !== keys.secretAccessKey
      ) {
        throw new RolecallError(
          'keychain-not-confirmed',
          `The keychain did not give back the keys of profile ${profile} just stored; check your keychain and try again.`,
          503,
        );
      }
      const instead =
        replaced && replaced.accessKeyId !== keys.accessKeyId
          ? `, in place of ${maskAccessKeyId(replaced.accessKeyId)}`
          : '';
      ctx.stderr(
        `Stored the keys of profile ${profile} (${maskAccessKeyId(keys.accessKeyId)}) in the keychain${instead}.\n`,
      );
      await adviseOnFiles(ctx, profile, keys, resolveProfileFiles({}, ctx.env));
    });

  keys
    .command('list')
    .description('List the profiles whose keys the keychain holds, with the end of each key ID.')
    .option('--json', 'print the list as JSON')
    .addHelpText(
      'after',
      '\nKey IDs are shown as `aws configure list` shows them (****************ABCD); secrets never.',
    )
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      await checkSecretStore(ctx.secrets);
      const store = keyStore(ctx);
      const rows = await Promise.all(
        (await store.profiles()).map(async (profile) => ({
          profile,
          accessKeyId: await store.get(profile).then(
            (held) => (held ? maskAccessKeyId(held.accessKeyId) : null),
            (error: unknown) => (error instanceof RolecallError ? `(${error.message})` : null),
          ),
        })),
      );
      const held = rows.filter((row) => row.accessKeyId !== null);
      if (options.json) {
        ctx.stdout(`${JSON.stringify(held, null, 2)}\n`);
      } else if (held.length === 0) {
        ctx.stderr(
          'The keychain holds no keys; add some with `rolecall keys add <profile>` or `rolecall keys import <profile>`.\n',
        );
      } else {
        ctx.stdout(
          formatTable(
            ['PROFILE', 'ACCESS KEY ID'],
            held.map((row) => [row.profile, row.accessKeyId!]),
          ),
        );
      }
    });

  keys
    .command('remove')
    .description("Delete a profile's keys from the keychain.")
    .argument('<profile>', 'the profile whose keys to delete')
    .addHelpText(
      'after',
      '\nThe keys are gone from the keychain at once; nothing else changes (credentials Rolecall\n' +
        'already made from them are served until they expire). If they exist nowhere else, make\n' +
        'new ones in IAM to use the profile again.',
    )
    .action(async (profile: string) => {
      const ctx = context();
      await checkSecretStore(ctx.secrets);
      const store = keyStore(ctx);
      // A damaged item is still removed; only its key ID cannot be shown.
      const held = await store.get(profile).catch(() => null);
      if (!(await store.remove(profile))) {
        ctx.stderr(`The keychain holds no keys for profile ${profile}; nothing was removed.\n`);
        return;
      }
      ctx.stderr(
        `Removed the keys of profile ${profile}${held ? ` (${maskAccessKeyId(held.accessKeyId)})` : ''} from the keychain.\n`,
      );
    });
}

/** The CLI's key store: changes hold `<ROLECALL_HOME>/keys.lock`, as any other command's do. */
function keyStore(ctx: CliContext): KeyStore {
  return createKeyStore(ctx.secrets, { lockFile: join(ctx.home, 'keys.lock') });
}

/** Refused before anyone types a secret for a profile that could never be served. */
function checkName(profile: string): void {
  const problem = profileNameProblem(profile);
  if (problem !== null) {
    throw new UsageError(
      `The profile name ${problem}; Rolecall serves no profile under such a name, so it keeps no keys for one.`,
    );
  }
}

function lines(at: KeyLines): string {
  return `lines ${at.idLine} and ${at.secretLine}`;
}

/**
 * After `keys add`: what the AWS files say about the profile. A profile they do not name yet gets
 * the lines to add (Rolecall writes no one's config for them); keys still in a file are named.
 */
async function adviseOnFiles(
  ctx: CliContext,
  profile: string,
  keys: LongLivedKeys,
  files: ResolvedProfileFiles,
): Promise<void> {
  let found;
  try {
    found = await findKeysInFiles(profile, files);
  } catch (error) {
    // The keys are stored; a problem in the files is for the commands that read them.
    if (error instanceof RolecallError && error.code === 'aws-file-refused') {
      ctx.stderr(`warning: ${error.message}\n`);
    }
    return;
  }
  if (!found.exists) {
    const name = /^[\w.@-]+$/.test(profile) ? profile : JSON.stringify(profile);
    ctx.stderr(
      `There is no profile ${profile} in ${files.configFile} yet; add its section (no keys go in it), so the AWS CLI and Rolecall know the name:\n\n  [profile ${name}]\n  region = <your region>\n\n`,
    );
    return;
  }
  const { used } = found;
  if (!used) return;
  const same =
    used.keys.accessKeyId === keys.accessKeyId &&
    used.keys.secretAccessKey === keys.secretAccessKey;
  ctx.stderr(
    same
      ? `They are also still in ${used.path} (${lines({ ...used })}); \`rolecall keys import ${profile} --remove\` takes them out.\n`
      : `warning: ${used.path} still has other keys for ${profile} (${lines({ ...used })}), which the AWS CLI uses; delete those lines once nothing needs them.\n`,
  );
}
