import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readAwsProfiles } from '../config/aws-file';
import { classifyCognito } from '../config/classify-cognito';
import type { CognitoAuthFlow } from '../config/profile-config';
import { readAwsFile } from '../config/read-aws-file';
import { RolecallError } from '../errors';
import { replaceFile } from '../keys/replace-file';

/** What `rolecall cognito add` writes into the profile's section. No secret is ever among them. */
export interface CognitoSettings {
  userPoolId: string;
  clientId: string;
  username: string;
  identityPoolId: string;
  roleArn?: string;
  authFlow: CognitoAuthFlow;
  region: string;
}

/** Names a `[profile …]` header carries without quoting, as the AWS CLI and the SDKs read them. */
const PLAIN_NAME = /^[\w\-@+.%:/]+$/;

/**
 * Why these settings cannot make a profile Rolecall loads, as one sentence, or null. The same
 * checks as reading the file afterwards, so what is written always loads.
 */
export function cognitoSettingsProblem(
  profile: string,
  settings: CognitoSettings,
  configFile: string,
): string | null {
  if (!PLAIN_NAME.test(profile)) {
    return `The profile name ${JSON.stringify(profile)} needs quoting in ${configFile}; use letters, digits and - _ @ + . % : / only, or write the section by hand.`;
  }
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === 'string' && (/[\r\n]/.test(value) || value !== value.trim())) {
      return `The ${key} has spaces around it or a line break in it; give it without.`;
    }
  }
  const classified = classifyCognito(
    {
      cognito_user_pool_id: settings.userPoolId,
      cognito_client_id: settings.clientId,
      cognito_username: settings.username,
      cognito_identity_pool_id: settings.identityPoolId,
      cognito_auth_flow: settings.authFlow,
      ...(settings.roleArn ? { role_arn: settings.roleArn } : {}),
    },
    { name: profile },
    configFile,
  );
  return classified.notLoadableReason
    ? `Profile ${profile} could not be loaded like this: ${classified.notLoadableReason}.`
    : null;
}

/** The section's text, lines ending as the file's own lines do. */
export function cognitoSection(profile: string, settings: CognitoSettings, eol: string): string {
  const lines = [
    profile === 'default' ? '[default]' : `[profile ${profile}]`,
    `region = ${settings.region}`,
    `cognito_user_pool_id = ${settings.userPoolId}`,
    `cognito_client_id = ${settings.clientId}`,
    `cognito_username = ${settings.username}`,
    `cognito_identity_pool_id = ${settings.identityPoolId}`,
    ...(settings.roleArn ? [`role_arn = ${settings.roleArn}`] : []),
    ...(settings.authFlow !== 'USER_SRP_AUTH' ? [`cognito_auth_flow = ${settings.authFlow}`] : []),
  ];
  return lines.map((line) => `${line}${eol}`).join('');
}

/**
 * The file with the section added at its end: every byte before it as it was, a line ending
 * after the last line if it had none, and one empty line between.
 */
export function withSection(bytes: Uint8Array, section: (eol: string) => string): Buffer {
  const text = Buffer.from(bytes);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text.length === 0) return Buffer.from(section(eol));
  const last = text[text.length - 1];
  const ended = last === 0x0a || last === 0x0d;
  return Buffer.concat([text, Buffer.from(`${ended ? '' : eol}${eol}${section(eol)}`)]);
}

/**
 * Adds the profile's section to the AWS config file, keeping the rest of it byte for byte (an
 * atomic replace with the same mode and owner; see replace-file.ts), or creates the file (owner
 * only) when there is none. Refused when the file already defines the profile, or is one
 * Rolecall refuses to read.
 */
export async function addCognitoProfile(
  configFile: string,
  profile: string,
  settings: CognitoSettings,
): Promise<'added' | 'created'> {
  const problem = cognitoSettingsProblem(profile, settings, configFile);
  if (problem !== null) throw new RolecallError('invalid-cognito-settings', problem, 400);
  const file = await readForAdding(configFile, profile);
  const section = (eol: string) => cognitoSection(profile, settings, eol);
  if (file.state === 'missing') {
    await mkdir(dirname(configFile), { recursive: true, mode: 0o700 });
    const handle = await open(configFile, 'wx', 0o600);
    try {
      await handle.writeFile(section('\n'));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return 'created';
  }
  await replaceFile(configFile, file.bytes, withSection(file.bytes, section));
  return 'added';
}

/**
 * The config file's bytes, when a section for `profile` can be added to it: refused while the
 * file cannot be read, is one Rolecall refuses, or already defines the profile.
 */
export async function readForAdding(
  configFile: string,
  profile: string,
): Promise<{ state: 'missing' } | { state: 'read'; bytes: Uint8Array }> {
  const file = await readAwsFile(configFile);
  if (file.state === 'unreadable') {
    throw new RolecallError(
      'aws-file-unreadable',
      `Could not read ${configFile} (${file.problem}), so nothing was added to it.`,
      409,
    );
  }
  const read = readAwsProfiles('config', configFile, file);
  if (read.state === 'refused') {
    throw new RolecallError(
      'aws-file-refused',
      `${read.refusal} Nothing was added; fix the file first.`,
      409,
    );
  }
  if (read.profiles.has(profile)) {
    throw new RolecallError(
      'profile-exists',
      `${configFile} already has a section for profile ${profile}, so nothing was changed; choose another name, or edit that section by hand.`,
      409,
    );
  }
  return file;
}
