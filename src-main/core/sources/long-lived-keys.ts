import { readAwsProfiles, type AwsFileKind } from '../config/aws-file';
import type { ResolvedProfileFiles } from '../config/profile-config';
import { refusedFilesError } from '../config/profiles';
import { readAwsFile } from '../config/read-aws-file';
import type { AwsCredentials } from '../credentials';
import type { KeyStore } from '../keys/key-store';
import { SourceError } from './source';

/** A profile's keys, read for one fetch: used to sign, never served. */
export interface KeysForSigning {
  credentials: AwsCredentials;
  /** `keychain`, or the file they were read from. */
  from: string;
  /** A session token beside them in the file: session credentials already, not long-lived keys. */
  isSession: boolean;
}

export interface LongLivedKeyOptions {
  profile: string;
  files: ResolvedProfileFiles;
  /** Where `rolecall keys` keeps keys; absent where this Rolecall has no keychain access. */
  keyStore?: KeyStore;
  /** Told, at every read, that keys sit in a file anyone's programs can read. */
  onWarning?: (sentence: string) => void;
}

/**
 * Reads a profile's long-lived keys afresh, so keys moved into the keychain (or replaced) since
 * the profile was loaded are the ones used: from the keychain first, else from the files where
 * the AWS CLI reads them (the credentials file's section, else the config file's). Keys still in
 * a file are used, with a warning at every read that says how to move them.
 */
export async function readLongLivedKeys(options: LongLivedKeyOptions): Promise<KeysForSigning> {
  const { profile, files } = options;
  const [inKeychain, inFile] = await Promise.all([
    options.keyStore?.get(profile) ?? Promise.resolve(null),
    keysInFiles(profile, files),
  ]);
  if (inFile && !inFile.isSession) {
    options.onWarning?.(
      inKeychain
        ? `Profile ${profile}: its keys are in the keychain, and still in ${inFile.from} too, where any program you run can read them. Take them out of the file with \`rolecall keys import ${profile} --remove\`.`
        : `Profile ${profile}: its long-lived keys are in ${inFile.from}, where any program you run can read them. Move them into the keychain with \`rolecall keys import ${profile} --remove\`.`,
    );
  }
  if (inKeychain) {
    return {
      credentials: {
        accessKeyId: inKeychain.accessKeyId,
        secretAccessKey: inKeychain.secretAccessKey,
      },
      from: 'keychain',
      isSession: false,
    };
  }
  if (inFile) return inFile;
  throw new SourceError(
    profile,
    'not-found',
    `Profile ${profile}: its keys are neither in the keychain nor in ${files.credentialsFile} or ${files.configFile} any more. Add them with \`rolecall keys add ${profile}\`.`,
  );
}

async function keysInFiles(
  profile: string,
  files: ResolvedProfileFiles,
): Promise<KeysForSigning | null> {
  // botocore: the credentials file's section when it has an access key id, else the config file's.
  return (
    (await keysInFile('credentials', files.credentialsFile, profile)) ??
    (await keysInFile('config', files.configFile, profile))
  );
}

async function keysInFile(
  which: AwsFileKind,
  path: string,
  profile: string,
): Promise<KeysForSigning | null> {
  const file = readAwsProfiles(which, path, await readAwsFile(path));
  if (file.state === 'refused') throw refusedFilesError([file.refusal]);
  const settings = file.profiles.get(profile)?.settings;
  const text = (key: string) => (typeof settings?.[key] === 'string' ? settings[key] : undefined);
  const accessKeyId = text('aws_access_key_id');
  if (accessKeyId === undefined) return null;
  const secretAccessKey = text('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) {
    throw new SourceError(
      profile,
      'not-loadable',
      `Profile ${profile}: its aws_access_key_id in ${path} has no aws_secret_access_key beside it. Add it, or store both keys in the keychain with \`rolecall keys add ${profile}\`.`,
    );
  }
  const sessionToken = text('aws_session_token') ?? text('aws_security_token');
  return {
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    from: path,
    isSession: sessionToken !== undefined,
  };
}
