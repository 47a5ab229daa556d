import { profileNameProblem } from '../../../src-shared/profile-name';
import type { LongLivedKeys } from '../keys/key-store';
import { profileHeader, slugName, uniqueName, type Candidate, type LeftOut } from './import-plan';
import type { LeappSession, LeappWorkspace } from './leapp-workspace';

/** Leapp keeps an IAM user's keys in the OS keychain under this service, one item each. */
export const LEAPP_KEYCHAIN_SERVICE = 'Leapp';

export function leappAccessKeyIdAccount(sessionId: string): string {
  return `${sessionId}-iam-user-aws-session-access-key-id`;
}

export function leappSecretAccessKeyAccount(sessionId: string): string {
  return `${sessionId}-iam-user-aws-session-secret-access-key`;
}

/** Leapp's own name for the profile a session gets when none is chosen. */
const LEAPP_DEFAULT_PROFILE = 'default';

const SESSION_KINDS: Record<string, string> = {
  awsIamUser: 'IAM user session',
  awsIamRoleChained: 'IAM role chained session',
  awsSsoRole: 'IAM Identity Center role',
  awsIamRoleFederated: 'IAM role federated session (SAML)',
  azure: 'Azure session',
};

const LEFT_OUT_REASONS: Record<string, string> = {
  awsIamRoleFederated:
    'Rolecall does not sign in through a SAML identity provider; make an IAM Identity Center profile or a credential_process profile for this role instead',
  azure: 'Rolecall serves AWS credentials only',
};

/** Reads one item of Leapp's keychain service; null when there is none. */
export type LeappSecretReader = (account: string) => Promise<string | null>;

/**
 * What of a Leapp workspace comes into Rolecall, and what stays out with its reason.
 *
 * - Each IAM Identity Center integration becomes an `[sso-session]` (start URL and region) named
 *   after its alias.
 * - Each IAM user session becomes a profile with its region and MFA device (`mfa_serial`), its
 *   keys moved from Leapp's keychain items into Rolecall's.
 * - Each chained role becomes `role_arn` + `source_profile` (the profile its parent session
 *   became), with its role session name and region.
 * - An Identity Center role becomes a profile only where Leapp gave it a named profile of its
 *   own, or a chained role is made from it; the others are listed by signing in to the session.
 * - A session's profile name is its Leapp named profile when that names this session alone (and
 *   is not Leapp's `default`); otherwise the session's name, made fit for a profile name.
 */
export async function leappCandidates(
  workspace: LeappWorkspace,
  readSecret: LeappSecretReader,
): Promise<{ candidates: Candidate[]; leftOut: LeftOut[] }> {
  const candidates: Candidate[] = [];
  const leftOut: LeftOut[] = [];
  const taken = new Set<string>();

  const ssoSessionNames = new Map<string, string>();
  for (const integration of workspace.ssoIntegrations) {
    if (!integration.portalUrl || !integration.region) {
      leftOut.push({
        kind: 'IAM Identity Center integration',
        from: integration.alias,
        reason: 'Leapp has no start URL or region for it',
      });
      continue;
    }
    const name = uniqueName(slugName(integration.alias), new Set(ssoSessionNames.values()));
    ssoSessionNames.set(integration.id, name);
    candidates.push({
      kind: 'IAM Identity Center integration',
      from: integration.alias,
      name,
      section: {
        header: `sso-session ${name}`,
        settings: [
          ['sso_start_url', integration.portalUrl],
          ['sso_region', integration.region],
          ['sso_registration_scopes', 'sso:account:access'],
        ],
      },
    });
  }
  for (const integration of workspace.azureIntegrations) {
    leftOut.push({
      kind: 'Azure integration',
      from: integration.alias,
      reason: LEFT_OUT_REASONS.azure!,
    });
  }

  const byId = new Map(workspace.sessions.map((session) => [session.sessionId, session]));
  const parents = new Set(
    workspace.sessions.flatMap((session) =>
      session.type === 'awsIamRoleChained' && session.parentSessionId
        ? [session.parentSessionId]
        : [],
    ),
  );
  const profileUse = new Map<string, number>();
  for (const session of workspace.sessions) {
    if (session.profileId)
      profileUse.set(session.profileId, (profileUse.get(session.profileId) ?? 0) + 1);
  }
  const ownProfile = (session: LeappSession): string | null => {
    const name = session.profileId ? workspace.profileNames.get(session.profileId) : undefined;
    if (name === undefined || name === LEAPP_DEFAULT_PROFILE) return null;
    if ((profileUse.get(session.profileId!) ?? 0) !== 1) return null;
    return profileNameProblem(name) === null ? name : null;
  };

  // Parents before children, so a chain's source_profile always names a profile decided first.
  const profileNames = new Map<string, string>();
  const ordered = orderParentsFirst(workspace.sessions, byId);
  const unnamedSsoRoles = new Map<string, number>();
  for (const session of ordered) {
    const kind = SESSION_KINDS[session.type] ?? `${session.type} session`;
    const reason = LEFT_OUT_REASONS[session.type];
    if (reason !== undefined) {
      leftOut.push({ kind, from: session.sessionName, reason });
      continue;
    }
    if (!(session.type in SESSION_KINDS)) {
      leftOut.push({
        kind,
        from: session.sessionName,
        reason: 'Rolecall does not know this kind of Leapp session',
      });
      continue;
    }
    const own = ownProfile(session);
    if (session.type === 'awsSsoRole' && own === null && !parents.has(session.sessionId)) {
      const integration = session.awsSsoConfigurationId ?? '';
      unnamedSsoRoles.set(integration, (unnamedSsoRoles.get(integration) ?? 0) + 1);
      continue;
    }
    const name = uniqueName(own ?? slugName(session.sessionName), taken);
    const region: Array<[string, string]> = session.region ? [['region', session.region]] : [];
    const candidate = await sessionCandidate(session, kind, name, region);
    if ('reason' in candidate) {
      leftOut.push({ kind, from: session.sessionName, reason: candidate.reason });
      taken.delete(name);
      continue;
    }
    profileNames.set(session.sessionId, name);
    candidates.push(candidate);
  }

  for (const [integrationId, count] of unnamedSsoRoles) {
    const session = ssoSessionNames.get(integrationId);
    leftOut.push({
      kind: 'IAM Identity Center roles',
      from: `${count} role${count === 1 ? '' : 's'} without a named profile`,
      reason: session
        ? `Rolecall lists them itself after \`rolecall login ${session}\` (see \`rolecall profiles\`)`
        : 'their integration does not come in',
    });
  }
  return { candidates, leftOut };

  async function sessionCandidate(
    session: LeappSession,
    kind: string,
    name: string,
    region: Array<[string, string]>,
  ): Promise<Candidate | { reason: string }> {
    const from = session.sessionName;
    const header = profileHeader(name);
    switch (session.type) {
      case 'awsIamUser': {
        const keys = await leappKeys(session.sessionId);
        if (keys === null) return { reason: "Leapp's keychain holds no access keys for it" };
        const mfa: Array<[string, string]> = session.mfaDevice
          ? [['mfa_serial', session.mfaDevice]]
          : [];
        return { kind, from, name, keys, section: { header, settings: [...region, ...mfa] } };
      }
      case 'awsIamRoleChained': {
        const parent = session.parentSessionId
          ? profileNames.get(session.parentSessionId)
          : undefined;
        const parentSession = session.parentSessionId
          ? byId.get(session.parentSessionId)
          : undefined;
        if (!session.roleArn) return { reason: 'Leapp has no role ARN for it' };
        if (parent === undefined) {
          return {
            reason: parentSession
              ? `it is made from ${parentSession.sessionName}, which does not come in`
              : 'the session it is made from is no longer in Leapp',
          };
        }
        const sessionName: Array<[string, string]> = session.roleSessionName
          ? [['role_session_name', session.roleSessionName]]
          : [];
        return {
          kind,
          from,
          name,
          needs: [parent],
          section: {
            header,
            settings: [
              ['role_arn', session.roleArn],
              ['source_profile', parent],
              ...sessionName,
              ...region,
            ],
          },
        };
      }
      default: {
        // awsSsoRole. Leapp writes its role ARN as arn:aws:iam::<account>/<role name>.
        const ssoSession = session.awsSsoConfigurationId
          ? ssoSessionNames.get(session.awsSsoConfigurationId)
          : undefined;
        const match = /^arn:aws[\w-]*:iam::(\d{12})[:/](?:role\/)?(?:.*\/)?([^/]+)$/.exec(
          session.roleArn ?? '',
        );
        if (ssoSession === undefined) return { reason: 'its integration does not come in' };
        if (!match) return { reason: 'Leapp has no account and role for it' };
        return {
          kind,
          from,
          name,
          needs: [ssoSession],
          section: {
            header,
            settings: [
              ['sso_session', ssoSession],
              ['sso_account_id', match[1]!],
              ['sso_role_name', match[2]!],
              ...region,
            ],
          },
        };
      }
    }
  }

  async function leappKeys(sessionId: string): Promise<LongLivedKeys | null> {
    const accessKeyId = await readSecret(leappAccessKeyIdAccount(sessionId));
    const secretAccessKey = await readSecret(leappSecretAccessKeyAccount(sessionId));
    if (!accessKeyId || !secretAccessKey) return null;
    return { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim() };
  }
}

function orderParentsFirst(
  sessions: LeappSession[],
  byId: ReadonlyMap<string, LeappSession>,
): LeappSession[] {
  const ordered: LeappSession[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (session: LeappSession): void => {
    if (placed.has(session.sessionId) || visiting.has(session.sessionId)) return;
    visiting.add(session.sessionId);
    const parent = session.parentSessionId ? byId.get(session.parentSessionId) : undefined;
    if (parent) place(parent);
    visiting.delete(session.sessionId);
    placed.add(session.sessionId);
    ordered.push(session);
  };
  sessions.forEach(place);
  return ordered;
}
