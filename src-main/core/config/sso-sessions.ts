import type { SsoSessionConfig } from './profile-config';

type IniSection = Record<string, string | undefined>;

export interface SsoSessions {
  /** Sessions with a start URL and a region. */
  complete: Map<string, SsoSessionConfig>;
  /** Sessions that exist but can't be used, with what they lack. */
  incomplete: Map<string, string>;
  warnings: string[];
}

/** Turns the SDK's `loadSsoSessionData` result into sessions a sign-in can use. */
export function readSsoSessions(raw: Record<string, IniSection>, configFile: string): SsoSessions {
  const sessions: SsoSessions = { complete: new Map(), incomplete: new Map(), warnings: [] };
  // [sso-session.] arrives with an empty name; sectionWarnings says it is skipped.
  for (const name of Object.keys(raw).sort()) {
    if (name === '') continue;
    const section = raw[name] ?? {};
    const startUrl = section.sso_start_url;
    const ssoRegion = section.sso_region;
    if (!startUrl || !ssoRegion) {
      const lacking = [!startUrl && 'sso_start_url', !ssoRegion && 'sso_region']
        .filter(Boolean)
        .join(' and ');
      sessions.incomplete.set(name, `its [sso-session ${name}] has no ${lacking}`);
      sessions.warnings.push(
        `[sso-session ${name}] in ${configFile} has no ${lacking}; profiles that use it can't sign in.`,
      );
      continue;
    }
    const session: SsoSessionConfig = { name, startUrl, ssoRegion };
    const scopes = section.sso_registration_scopes
      ?.split(',')
      .map((scope) => scope.trim())
      .filter((scope) => scope !== '');
    if (scopes && scopes.length > 0) session.registrationScopes = scopes;
    sessions.complete.set(name, session);
  }
  return sessions;
}
