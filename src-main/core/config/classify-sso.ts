import type { ResolvedProfileFiles } from './profile-config';
import type { Classified, TextSettings } from './classify-profile';
import type { ProfileBase } from './classify-role';
import type { SsoSessions } from './sso-sessions';

/**
 * An IAM Identity Center profile: `sso_session` naming an [sso-session], or the four legacy
 * settings in the profile itself. A profile with a session but no account and role is still an
 * `sso` profile: `rolecall login` lists its roles.
 */
export function classifySso(
  name: string,
  merged: TextSettings,
  base: ProfileBase,
  fileOf: (key: string) => string,
  files: ResolvedProfileFiles,
  sessions: SsoSessions,
): Classified {
  const unsupported = (reason: string, warning?: string): Classified => ({
    profile: { ...base, kind: 'unsupported', reason },
    warnings: warning === undefined ? [] : [warning],
  });
  const where = (key: string) => `Profile ${name} in ${fileOf(key)}`;
  const accountAndRole = {
    ...(merged.sso_account_id ? { accountId: merged.sso_account_id } : {}),
    ...(merged.sso_role_name ? { roleName: merged.sso_role_name } : {}),
  };

  const ssoSession = merged.sso_session;
  if (ssoSession !== undefined) {
    const session = sessions.complete.get(ssoSession);
    if (!session) {
      const incomplete = sessions.incomplete.get(ssoSession);
      // An incomplete session was already warned about once, for all the profiles using it.
      if (incomplete !== undefined) return unsupported(incomplete);
      return unsupported(
        `its sso_session ${ssoSession} has no [sso-session ${ssoSession}] section in ${files.configFile}`,
        `${where('sso_session')} names sso_session ${ssoSession}, but there is no [sso-session ${ssoSession}] section in ${files.configFile}.`,
      );
    }
    // The SDK refuses a profile that contradicts its session (fromSSO: "Conflicting SSO ...").
    for (const [key, value] of [
      ['sso_start_url', session.startUrl],
      ['sso_region', session.ssoRegion],
    ] as const) {
      if (merged[key] !== undefined && merged[key] !== value) {
        return unsupported(
          `its ${key} differs from the one in [sso-session ${ssoSession}]`,
          `${where(key)} sets ${key} to something other than its [sso-session ${ssoSession}] does; remove it from the profile.`,
        );
      }
    }
    return {
      profile: {
        ...base,
        kind: 'sso',
        ssoSession,
        startUrl: session.startUrl,
        ssoRegion: session.ssoRegion,
        ...accountAndRole,
      },
      warnings: [],
    };
  }

  // Without sso_session, the SDK needs all four settings in the profile (validateSsoProfile).
  const { sso_start_url: startUrl, sso_region: ssoRegion } = merged;
  const { sso_account_id: accountId, sso_role_name: roleName } = merged;
  if (startUrl && ssoRegion && accountId && roleName) {
    return {
      profile: { ...base, kind: 'sso-legacy', startUrl, ssoRegion, accountId, roleName },
      warnings: [],
    };
  }
  const lacking = ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name']
    .filter((key) => !merged[key])
    .join(', ');
  return unsupported(
    `it is an IAM Identity Center profile without ${lacking}`,
    `${where('sso_start_url')} is an IAM Identity Center profile without ${lacking}; add them, or point it at an [sso-session] with sso_session.`,
  );
}
