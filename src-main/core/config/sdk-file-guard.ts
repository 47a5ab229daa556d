import { resolveProfileFiles } from './config-paths';
import { refusalsNow, refusedFilesError } from './profiles';

/**
 * The AWS SDK's clients read the AWS config and credentials files for settings of their own
 * (endpoints, FIPS, retries…) with the SDK's own ini parser, which folds the settings under a
 * broken header into the section above and lets a `[constructor]` section replace `Object.keys`
 * for the whole process (see sdk-unsafe-sections.ts). So no AWS client is used while either file
 * is one Rolecall refuses, and the error is the same sentence every other use of the files gets.
 * Called where the clients are made, just before their first request reads the files.
 *
 * Read synchronously: two small files, once per client.
 */
export function refuseUnsafeAwsFiles(files = resolveProfileFiles()): void {
  const refusals = refusalsNow(files);
  if (refusals.length > 0) throw refusedFilesError(refusals);
}
