import type { ProfileInfo } from './profile';

/**
 * What a profile is made from, in words for every door: an assumed role's chain down to where
 * its first credentials come from, with what that is and whether any link asks for an MFA code —
 * `admin ← base (keys in keychain, MFA)`; for keys themselves, where they are. Null for kinds
 * that are made from nothing Rolecall holds.
 */
export function profileChainWords(
  profile: ProfileInfo,
  profiles: ReadonlyMap<string, ProfileInfo>,
): string | null {
  if (profile.kind === 'static') return chainNotes([profile]) || null;
  if (profile.kind !== 'assume-role') return null;
  const links = profile.chain ?? (profile.sourceProfile ? [profile.sourceProfile] : []);
  const names = [profile.name, ...links];
  if (profile.credentialSource && links.length === 0) names.push(profile.credentialSource);
  const notes = chainNotes([profile, ...links.map((name) => profiles.get(name))]);
  return `${names.join(' ← ')}${notes ? ` (${notes})` : ''}`;
}

/** Where a chain's first credentials come from, and whether any link asks for an MFA code. */
function chainNotes(chain: Array<ProfileInfo | undefined>): string {
  const root = chain.at(-1);
  const notes: string[] = [];
  const where = root?.keysIn ?? chain.find((link) => link?.keysIn)?.keysIn;
  if (where) notes.push(keysWords[where] ?? `keys in ${where}`);
  else if (root && root !== chain[0]) notes.push(sourceWords(root));
  if (chain.some((link) => link?.mfaSerial)) notes.push('MFA');
  return notes.join(', ');
}

/** Every place `keysIn` may name (the config file too, where the AWS CLI also reads keys). */
const keysWords: Readonly<Record<string, string>> = {
  keychain: 'keys in keychain',
  'credentials-file': 'keys in the credentials file',
  'config-file': 'keys in the config file',
};

function sourceWords(profile: ProfileInfo): string {
  switch (profile.kind) {
    case 'sso':
    case 'sso-legacy':
      return 'IAM Identity Center';
    case 'web-identity':
      return 'web identity';
    case 'login-session':
      return 'aws login';
    case 'cognito':
      return 'Amazon Cognito';
    default:
      return profile.kind;
  }
}
