import { SOURCE_KEYS } from './classify-profile';
import { readIni, type IniProblem, type ReadOptions } from './ini-reader';
import { configFileProfiles, credentialsFileProfiles, type Defined } from './profile-map';
import type { AwsFileBytes } from './read-aws-file';
import { sdkUnsafeSection } from './sdk-unsafe-sections';

export type AwsFileKind = 'config' | 'credentials';

/** One AWS file, read: what it defines, or why Rolecall reads nothing from any file. */
export type AwsFile =
  | {
      state: 'read';
      profiles: Map<string, Defined>;
      ssoSessions: Map<string, Defined>;
      warnings: string[];
    }
  | {
      state: 'refused';
      /** One sentence a user can act on, naming the file and the line. */
      refusal: string;
      /** False where only Rolecall refuses the file; the AWS CLI reads it (differently). */
      awsCliRefusesToo: boolean;
    };

/**
 * Reads one AWS file the AWS CLI's way, or refuses it (see ini-reader.ts, profile-map.ts and
 * sdk-unsafe-sections.ts for every reason). A missing file defines nothing; an unreadable one
 * defines nothing and says so, as the AWS CLI also reads nothing from it.
 */
export function readAwsProfiles(
  which: AwsFileKind,
  path: string,
  file: AwsFileBytes,
  options: ReadOptions = {},
): AwsFile {
  const refuseAmbiguous = options.refuseAmbiguous ?? true;
  switch (file.state) {
    case 'missing':
      return { state: 'read', profiles: new Map(), ssoSessions: new Map(), warnings: [] };
    case 'unreadable':
      return {
        state: 'read',
        profiles: new Map(),
        ssoSessions: new Map(),
        warnings: [
          `Could not read the AWS ${which} file ${path}: ${file.problem}. Its profiles are not listed.`,
        ],
      };
    case 'read':
      break;
  }
  const ini = readIni(file.bytes, { refuseAmbiguous });
  if (!ini.ok) return refused(path, ini.problem);
  const unsafe = refuseAmbiguous && sdkUnsafeSection(which, new TextDecoder().decode(file.bytes));
  if (unsafe) return refused(path, unsafe);
  const inherited = refuseAmbiguous && SOURCE_KEYS.find((key) => ini.defaults.has(key));
  if (inherited) {
    // The AWS CLI gives it to every profile of the file, where it meets the profile's own
    // settings; which one then wins differs between the AWS CLI and the AWS SDKs.
    return refused(path, {
      line: ini.defaults.get(inherited)!,
      problem: `[DEFAULT] sets ${inherited}, which the AWS CLI gives to every profile in this file, so a profile's credentials could come from a source it does not name`,
      fix: `Move ${inherited} into the profiles that use it`,
      awsCliRefusesToo: false,
    });
  }
  const defined =
    which === 'config'
      ? configFileProfiles(path, ini.sections, ini.defaultsLine, refuseAmbiguous)
      : credentialsFileProfiles(path, ini.sections, ini.defaultsLine);
  if (!defined.ok) return refused(path, defined.problem);
  return {
    state: 'read',
    profiles: defined.profiles,
    ssoSessions: defined.ssoSessions,
    warnings: defined.warnings,
  };
}

function refused(path: string, problem: IniProblem): AwsFile {
  const cli = problem.awsCliRefusesToo ? ' The AWS CLI refuses this file too.' : '';
  return {
    state: 'refused',
    refusal: `${path} line ${problem.line}: ${problem.problem}.${cli} ${problem.fix}; until then Rolecall loads no profile and makes no request to AWS.`,
    awsCliRefusesToo: problem.awsCliRefusesToo,
  };
}
