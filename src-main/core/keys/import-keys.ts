import type { ResolvedProfileFiles } from '../config/profile-config';
import { RolecallError } from '../errors';
import { maskAccessKeyId } from './access-key-format';
import { fileWithoutKeys } from './file-without-keys';
import type { KeyStore, LongLivedKeys } from './key-store';
import { findKeysInFiles, type KeysInFile } from './keys-in-files';
import { replaceFile } from './replace-file';

export interface ImportKeysOptions {
  profile: string;
  files: ResolvedProfileFiles;
  store: KeyStore;
  /** Take the keys out of the file once the keychain has given them back. */
  remove: boolean;
}

/** Where a pair of keys is in a file, for telling the user; never the keys. */
export interface KeyLines {
  path: string;
  idLine: number;
  secretLine: number;
}

export interface ImportedKeys {
  /** The key ID as `aws configure list` shows it. */
  maskedId: string;
  /** Where the keys were read from; null when neither file has keys and the keychain does. */
  from: KeyLines | null;
  /** The keychain held these very keys already. */
  alreadyStored: boolean;
  /** The files the keys were taken out of (with `remove`), in the order they were rewritten. */
  removedFrom: KeyLines[];
  /** Other keys of the profile left in the config file, which the AWS CLI ignores meanwhile. */
  otherKeysLeft: KeyLines | null;
}

/**
 * Moves a profile's long-lived keys from the AWS files into the keychain. Everything that could
 * refuse is checked before anything changes; the keychain is written and read back before any
 * file is touched; and a file is rewritten only with `remove`, atomically, without the two lines
 * and with every other byte kept (see file-without-keys.ts and replace-file.ts). No copy of the
 * old file is written: the keychain, which has just given the keys back, is the copy.
 */
export async function importKeys(options: ImportKeysOptions): Promise<ImportedKeys> {
  const { profile, files, store } = options;
  const found = await findKeysInFiles(profile, files);
  const { used, shadowed } = found;
  if (!used) {
    // Run again after it worked (a script, a second thought): the keys are where they belong.
    const held = await store.get(profile);
    if (held) {
      return {
        maskedId: maskAccessKeyId(held.accessKeyId),
        from: null,
        alreadyStored: true,
        removedFrom: [],
        otherKeysLeft: null,
      };
    }
    throw new RolecallError(
      'no-keys-in-files',
      found.exists
        ? `Profile ${profile} has no aws_access_key_id and aws_secret_access_key in ${files.credentialsFile} or ${files.configFile}, so there is nothing to import; to store keys you have at hand, run \`rolecall keys add ${profile}\`.`
        : `There is no profile named ${profile} in ${files.credentialsFile} or ${files.configFile}, so there is nothing to import; to store keys you have at hand, run \`rolecall keys add ${profile}\`.`,
      404,
    );
  }
  const sameShadow = shadowed !== null && sameKeys(shadowed.keys, used.keys);
  if (options.remove && shadowed && !sameShadow) {
    throw new RolecallError(
      'other-keys-in-config',
      `Profile ${profile} also has other keys in ${shadowed.path} (lines ${shadowed.idLine} and ${shadowed.secretLine}), which the AWS CLI would use once those in ${used.path} are gone, so nothing was changed; delete them from ${shadowed.path} if they are old (or import without --remove), then run this again.`,
      409,
    );
  }
  const removals = options.remove ? [used, ...(sameShadow ? [shadowed] : [])] : [];
  // Worked out before the keychain is written, so a file that cannot be rewritten changes nothing.
  const rewrites = removals.map((each) => ({ found: each, content: fileWithoutKeys(each) }));

  const held = await store.get(profile);
  if (held && !sameKeys(held, used.keys)) {
    throw new RolecallError(
      'other-keys-in-keychain',
      `The keychain already holds other keys for profile ${profile} (${maskAccessKeyId(held.accessKeyId)}), so nothing was changed; if those in ${used.path} are to replace them, run \`rolecall keys remove ${profile}\` first.`,
      409,
    );
  }
  if (!held) await store.set(profile, used.keys);
  const readBack = await store.get(profile);
  if (!readBack || !sameKeys(readBack, used.keys)) {
    throw new RolecallError(
      'keychain-not-confirmed',
      `The keychain did not give back the keys of profile ${profile} just stored, so ${used.path} was left as it is; check your keychain and try again.`,
      503,
    );
  }

  const removedFrom: KeyLines[] = [];
  for (const { found: each, content } of rewrites) {
    await replaceFile(each.path, each.bytes, content);
    removedFrom.push(linesOf(each));
  }
  return {
    maskedId: maskAccessKeyId(used.keys.accessKeyId),
    from: linesOf(used),
    alreadyStored: held !== null,
    removedFrom,
    otherKeysLeft: shadowed && !sameShadow ? linesOf(shadowed) : null,
  };
}

function sameKeys(a: LongLivedKeys, b: LongLivedKeys): boolean {
  return a.accessKeyId === b.accessKeyId && a.secretAccessKey === b.secretAccessKey;
}

function linesOf(found: KeysInFile): KeyLines {
  return { path: found.path, idLine: found.idLine, secretLine: found.secretLine };
}
