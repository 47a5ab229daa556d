import { RolecallError } from '../../errors';
import type { DiscoveredRole } from '../types';

export const DEFAULT_PROFILE_NAME_FORMAT = '{AccountName}/{RoleName}';

const placeholders: Record<string, (role: DiscoveredRole) => string> = {
  AccountName: (role) => role.accountName,
  AccountId: (role) => role.accountId,
  RoleName: (role) => role.roleName,
  EmailAddress: (role) => role.emailAddress ?? '',
};

/** The profile name of a discovered role, from a format such as `{AccountName}/{RoleName}`. */
export function profileNameFor(role: DiscoveredRole, format = DEFAULT_PROFILE_NAME_FORMAT): string {
  const name = format.replace(/\{([A-Za-z]+)\}/g, (_, key: string) => {
    const value = placeholders[key];
    if (!value) {
      throw new RolecallError(
        'bad-name-format',
        `The profile name format ${JSON.stringify(format)} uses {${key}}; use {AccountName}, {AccountId}, {RoleName} or {EmailAddress}.`,
        400,
      );
    }
    return value(role);
  });
  // Names travel in URLs, logs and menus: no control characters.
  return [...name]
    .map((char) => (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f ? '_' : char))
    .join('');
}
