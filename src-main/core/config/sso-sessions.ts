import type { IniValue } from './ini-reader';
import type { SsoSessionConfig } from './profile-config';

type IniSection = Readonly<Record<string, IniValue | undefined>>;

export interface SsoSessions {
  /** Sessions with a start URL and a region. */
  complete: Map<string, SsoSessionConfig>;
  /** Sessions that exist but can't be used, with what they lack. */
  incomplete: Map<string, string>;
  warnings: string[];
}

/** Turns the `[sso-session <name>]` sections of the config file into sessions a sign-in can use. */
export function readSsoSessions(
  raw: ReadonlyMap<string, IniSection>,
  configFile: string,
): SsoSessions {
  const sessions: SsoSessions = { complete: new Map(), incomplete: new Map(), warnings: [] };
  for (const name of [...raw.keys()].sort(byCodeUnits)) {
    const section = raw.get(name)!;
    const startUrl = text(section.sso_start_url);
    const ssoRegion = text(section.sso_region);
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
    const scopes = text(section.sso_registration_scopes)
      ?.split(',')
      .map((scope) => scope.trim())
      .filter((scope) => scope !== '');
    if (scopes && scopes.length > 0) session.registrationScopes = scopes;
    sessions.complete.set(name, session);
  }
  return sessions;
}

/** A setting's text; an indented block of sub-settings is no text. */
function text(value: IniValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
