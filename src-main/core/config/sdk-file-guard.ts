import { readFileSync } from 'node:fs';
import { RolecallError } from '../errors';
import { resolveProfileFiles } from './config-paths';
import { sectionWarnings } from './section-warnings';

/**
 * The AWS SDK's clients read the AWS config and credentials files for settings of their own
 * (endpoints, FIPS, retries…), with the same ini parser that lets a `[constructor]` section
 * replace `Object.keys` for the whole process (see section-warnings.ts). Rolecall's own loader
 * refuses such a file; this keeps the SDK's clients from reading it too: no AWS client is made
 * while either file is one Rolecall refuses. Called where the clients are made, just before
 * their first request reads the files.
 *
 * Read synchronously: two small files, once per client.
 */
export function refuseUnsafeAwsFiles(files = resolveProfileFiles()): void {
  const checks = [
    ['config', files.configFile],
    ['credentials', files.credentialsFile],
  ] as const;
  for (const [which, path] of checks) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // Missing or unreadable: the SDK reads nothing from it either.
      continue;
    }
    const report = sectionWarnings(which, path, text);
    if (report.refused) {
      throw new RolecallError(
        'aws-file-refused',
        `${report.warnings.join(' ')} Rolecall makes no request to AWS until then.`,
        409,
      );
    }
  }
}
