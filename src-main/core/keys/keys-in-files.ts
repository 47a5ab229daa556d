import { readAwsProfiles, type AwsFileKind } from '../config/aws-file';
import { readIni, type IniOption, type IniSection } from '../config/ini-reader';
import type { ResolvedProfileFiles } from '../config/profile-config';
import { refusedFilesError } from '../config/profiles';
import { readAwsFile } from '../config/read-aws-file';
import { RolecallError } from '../errors';
import { keysProblem } from './access-key-format';
import type { LongLivedKeys } from './key-store';

/** One file's pair of keys for a profile: the values, and the lines they are on. */
export interface KeysInFile {
  kind: AwsFileKind;
  path: string;
  /** The whole file as it was read, for rewriting it without the two lines. */
  bytes: Uint8Array;
  /** The section's header line. */
  sectionLine: number;
  idLine: number;
  secretLine: number;
  keys: LongLivedKeys;
}

export interface ProfileKeysInFiles {
  /** Whether either file defines the profile at all. */
  exists: boolean;
  /** The pair the AWS CLI uses: the credentials file's when it has one, else the config file's. */
  used: KeysInFile | null;
  /** The other file's pair, which the AWS CLI ignores while `used` is there. */
  shadowed: KeysInFile | null;
}

const ID = 'aws_access_key_id';
const SECRET = 'aws_secret_access_key';
const TOKEN = 'aws_session_token';

/**
 * Where the AWS files keep a profile's long-lived keys, read with Rolecall's own reader: a file
 * Rolecall refuses is refused here with the same sentence, and the lines come from the reader, so
 * they are exactly the lines the AWS CLI reads the keys from. Both files count, since the AWS CLI
 * also takes keys from a `[profile x]` section of the config file; where both have a pair, the
 * credentials file's is the one it uses. Keys that are not long-lived (a session token beside
 * them, an ASIA ID) or half a pair are refused with a sentence naming the file and line; no
 * message quotes a key.
 */
export async function findKeysInFiles(
  profile: string,
  files: ResolvedProfileFiles,
): Promise<ProfileKeysInFiles> {
  const [credentials, config] = await Promise.all([
    keysInFile('credentials', files.credentialsFile, profile),
    keysInFile('config', files.configFile, profile),
  ]);
  // The refusal of either file stops everything, as it does for every other use of the files.
  const refusals = [credentials, config].flatMap((file) => (file.refusal ? [file.refusal] : []));
  if (refusals.length > 0) throw refusedFilesError(refusals);
  for (const file of [credentials, config]) {
    if (file.section?.options.has(TOKEN)) {
      throw new RolecallError(
        'session-keys',
        `Profile ${profile} has an ${TOKEN} in ${file.path} (line ${file.section.options.get(TOKEN)!.line}), so its keys are temporary session credentials, which expire; Rolecall keeps only long-lived keys (IDs starting with AKIA).`,
        400,
      );
    }
  }
  const credentialsPair = pairOf(credentials, profile);
  const configPair = pairOf(config, profile);
  const used = credentialsPair ?? configPair;
  if (used) checkKeys(used, profile);
  return {
    exists: credentials.section !== null || config.section !== null,
    used,
    shadowed: credentialsPair ? configPair : null,
  };
}

interface FileSection {
  kind: AwsFileKind;
  path: string;
  bytes: Uint8Array;
  section: IniSection | null;
  refusal?: string;
}

async function keysInFile(kind: AwsFileKind, path: string, profile: string): Promise<FileSection> {
  const file = await readAwsFile(path);
  const none = { kind, path, bytes: new Uint8Array(), section: null };
  if (file.state === 'missing') return none;
  if (file.state === 'unreadable') {
    // The AWS CLI reads nothing from such a file, but Rolecall cannot tell whether it holds keys.
    throw new RolecallError('aws-file-unreadable', `Could not read ${path}: ${file.problem}.`, 409);
  }
  const read = readAwsProfiles(kind, path, file);
  if (read.state === 'refused') return { ...none, refusal: read.refusal };
  const defined = read.profiles.get(profile);
  if (!defined) return { ...none, bytes: file.bytes };
  // The reader accepted the file just now, so it reads it again the same way.
  const ini = readIni(file.bytes);
  const section = ini.ok ? ini.sections.find((each) => each.line === defined.line) : undefined;
  if (!section) throw new Error(`The section of profile ${profile} in ${path} was not found again`);
  return { kind, path, bytes: file.bytes, section };
}

function pairOf(file: FileSection, profile: string): KeysInFile | null {
  const { section } = file;
  if (!section) return null;
  const id = section.options.get(ID);
  const secret = section.options.get(SECRET);
  if (!id && !secret) return null;
  if (!id || !secret) {
    const [has, lacks] = id ? [ID, SECRET] : [SECRET, ID];
    const line = (id ?? secret)!.line;
    throw new RolecallError(
      'half-keys',
      `Profile ${profile} in ${file.path} has ${has} (line ${line}) but no ${lacks}, and the AWS CLI uses the two only together; put both in the same section.`,
      400,
    );
  }
  return {
    kind: file.kind,
    path: file.path,
    bytes: file.bytes,
    sectionLine: section.line,
    idLine: id.line,
    secretLine: secret.line,
    keys: {
      accessKeyId: text(id, ID, file.path, profile),
      secretAccessKey: text(secret, SECRET, file.path, profile),
    },
  };
}

function text(option: IniOption, name: string, path: string, profile: string): string {
  if (typeof option.value === 'string') return option.value;
  throw new RolecallError(
    'invalid-keys',
    `The ${name} of profile ${profile} in ${path} (line ${option.line}) has no value on its line but indented settings below it, which the AWS CLI reads as sub-settings; put the value on the ${name} line.`,
    400,
  );
}

function checkKeys(found: KeysInFile, profile: string): void {
  const problem = keysProblem(found.keys);
  if (problem === null) return;
  const [name, line] =
    problem.field === 'accessKeyId' ? [ID, found.idLine] : [SECRET, found.secretLine];
  throw new RolecallError(
    'invalid-keys',
    `The ${name} of profile ${profile} in ${found.path} (line ${line}) ${problem.problem}.`,
    400,
  );
}
