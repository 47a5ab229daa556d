import {
  assertReadable,
  type LegacySsoProfile,
  type ProfileCatalog,
  type SsoProfile,
} from '../config/profiles';
import { RolecallError } from '../errors';
import type { SsoSessionRef } from './types';

/** The session a config profile signs in through. */
export function sessionOfProfile(
  profile: SsoProfile | LegacySsoProfile,
  catalog: ProfileCatalog,
): SsoSessionRef {
  if (profile.kind === 'sso-legacy')
    return { name: null, startUrl: profile.startUrl, region: profile.ssoRegion };
  const section = catalog.ssoSessions.find((session) => session.name === profile.ssoSession);
  return {
    name: profile.ssoSession,
    startUrl: profile.startUrl,
    region: profile.ssoRegion,
    ...(section?.registrationScopes ? { registrationScopes: section.registrationScopes } : {}),
  };
}

/**
 * Every session a user can sign in to: each `[sso-session]` section, plus each distinct start URL
 * of legacy profiles.
 */
export function listSessions(catalog: ProfileCatalog): SsoSessionRef[] {
  const sessions: SsoSessionRef[] = catalog.ssoSessions.map((section) => ({
    name: section.name,
    startUrl: section.startUrl,
    region: section.ssoRegion,
    ...(section.registrationScopes ? { registrationScopes: section.registrationScopes } : {}),
  }));
  const legacy = new Map<string, SsoSessionRef>();
  for (const profile of catalog.profiles) {
    if (profile.kind === 'sso-legacy' && !legacy.has(profile.startUrl)) {
      legacy.set(profile.startUrl, {
        name: null,
        startUrl: profile.startUrl,
        region: profile.ssoRegion,
      });
    }
  }
  return [...sessions, ...legacy.values()];
}

/**
 * The session `rolecall login [name]` means: the named sso-session (or a legacy start URL), or
 * the only one there is.
 */
export function pickSession(catalog: ProfileCatalog, name: string | undefined): SsoSessionRef {
  assertReadable(catalog);
  const sessions = listSessions(catalog);
  const configFile = catalog.files.configFile;
  if (name !== undefined) {
    // A start URL names the legacy profiles' session first: an [sso-session] with the same URL
    // is another session (its token is kept under its name), reached by its name.
    const found =
      sessions.find((session) => session.name === name) ??
      sessions.find((session) => session.name === null && session.startUrl === name) ??
      sessions.find((session) => session.startUrl === name);
    if (found) return found;
    const known = sessions.map((session) => session.name ?? session.startUrl).join(', ') || 'none';
    throw new RolecallError(
      'sso-session-unknown',
      `There is no sso-session ${name} in ${configFile} (known: ${known}). Add an [sso-session ${name}] section with sso_start_url and sso_region.`,
      404,
    );
  }
  if (sessions.length === 1) return sessions[0]!;
  if (sessions.length === 0) {
    throw new RolecallError(
      'sso-session-unknown',
      `${configFile} has no IAM Identity Center session. Add an [sso-session <name>] section with sso_start_url and sso_region.`,
      404,
    );
  }
  throw new RolecallError(
    'sso-session-ambiguous',
    `Several sessions are configured (${sessions.map((session) => session.name ?? session.startUrl).join(', ')}); name the one to use.`,
    400,
  );
}
