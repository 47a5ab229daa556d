import type { ProfileInfo } from '../../src-shared/profile';
import { shellWord } from './status-view';

const FILE_WORDS = {
  'credentials-file': 'the AWS credentials file',
  'config-file': 'the AWS config file',
} as const;

/**
 * What `rolecall load` says after loading a profile made from long-lived keys that are still in a
 * file — its own keys, or those its chain starts from — or null. The server says the same in its
 * log at every renewal, which the person at the terminal does not read.
 */
export function keysInFileWarning(profiles: readonly ProfileInfo[], name: string): string | null {
  const byName = new Map(profiles.map((profile) => [profile.name, profile]));
  const profile = byName.get(name);
  if (profile?.kind !== 'static' && profile?.kind !== 'assume-role') return null;
  // The keys belong to the profile the chain ends at (a role may be its own source_profile).
  const owner = profile.chain?.at(-1) ?? profile.name;
  const links = [profile, ...(profile.chain ?? []).flatMap((link) => byName.get(link) ?? [])];
  const where = byName.get(owner)?.keysIn ?? links.find((link) => link.keysIn)?.keysIn;
  if (where !== 'credentials-file' && where !== 'config-file') return null;
  return `Profile ${owner}: its long-lived keys are in ${FILE_WORDS[where]}, where any program you run can read them. Move them into the keychain with \`rolecall keys import ${shellWord(owner)} --remove\`.`;
}
