import type { ClassifiedProfile } from './classify-profile';
import { profileProblem } from './profile-info';
import type {
  AssumeRoleProfile,
  MfaDevice,
  ProfileConfig,
  ResolvedProfileFiles,
  RoleSource,
  StaticProfile,
} from './profile-config';

/**
 * The chain pass: follows every assumed role's source_profile down to where its credentials
 * start, the way the AWS CLI does when the role's profile is named (botocore's
 * AssumeRoleProvider), and records for each role where its own source credentials come from, the
 * whole chain for display, or why the chain can't be loaded — a loop named link by link, or the
 * link that is broken and why. Then gives each key profile the MFA device its session uses.
 *
 * Returns the profiles in the order given, with assume-role and static profiles replaced.
 */
export function resolveChains(
  classified: ReadonlyMap<string, ClassifiedProfile>,
  files: ResolvedProfileFiles,
): ProfileConfig[] {
  const resolved = new Map<string, ProfileConfig>();
  for (const [name, { profile }] of classified) {
    resolved.set(
      name,
      profile.kind === 'assume-role' ? followChain(profile, classified, files) : profile,
    );
  }
  giveSessionsTheirMfa(resolved);
  return [...resolved.values()];
}

function followChain(
  top: AssumeRoleProfile,
  classified: ReadonlyMap<string, ClassifiedProfile>,
  files: ResolvedProfileFiles,
): AssumeRoleProfile {
  if (top.notLoadableReason !== undefined) return top;
  const visited = [top.name];
  const chain: string[] = [];
  const broken = (link: string, reason: string): AssumeRoleProfile => ({
    ...top,
    notLoadableReason:
      link === top.name
        ? reason
        : chain.length === 1
          ? `its source_profile ${link} cannot be loaded: ${reason}`
          : `its chain ${[top.name, ...chain].join(' ← ')} breaks at ${link}: ${reason}`,
  });
  let source: RoleSource | undefined;
  let role = top;
  for (;;) {
    if (role !== top && role.notLoadableReason !== undefined) {
      return broken(role.name, role.notLoadableReason);
    }
    if (role.credentialSource !== undefined) {
      source ??= {
        kind: 'credential-source',
        name: role.credentialSource as 'Environment' | 'Ec2InstanceMetadata',
      };
      break;
    }
    const sourceName = role.sourceProfile!;
    const next = classified.get(sourceName);
    if (!next) {
      return broken(
        role.name,
        `its source_profile ${sourceName} is not a profile in ${files.configFile} or ${files.credentialsFile}, nor one whose keys are in the keychain`,
      );
    }
    // botocore's rule: a profile seen before is a loop, except a role whose source_profile is
    // itself and that holds keys to assume it with.
    if (visited.includes(sourceName) && (sourceName !== role.name || !next.hasStaticKeys)) {
      return {
        ...top,
        notLoadableReason: `its source_profile settings loop: ${[...visited, sourceName].join(' → ')}; point one of them at a profile with credentials of its own`,
      };
    }
    visited.push(sourceName);
    chain.push(sourceName);
    if (next.assumesRole && !next.hasStaticKeys) {
      // A chain: that role's own credentials, held by the broker as an entry of its own.
      source ??= { kind: 'parent', profile: sourceName, mfaCarried: false };
      role = next.profile as AssumeRoleProfile;
      continue;
    }
    if (next.assumesRole) {
      // It assumes a role but holds keys: the AWS CLI uses its keys (or what else it holds) and
      // not its role — which is what Rolecall serves for that profile, so its keys sign here.
      const keys = next.asSource;
      if (keys.kind !== 'static') {
        return broken(
          sourceName,
          `it assumes a role and also holds keys, but its ${keys.kind} settings come before its keys, so the AWS CLI uses those; Rolecall serves its role under its name and cannot hold both, so give them profiles of their own`,
        );
      }
      if (keys.notLoadableReason !== undefined) return broken(sourceName, keys.notLoadableReason);
      source ??= { kind: 'keys', profile: sourceName, keysIn: keys.keysIn };
      break;
    }
    const problem = profileProblem(next.profile);
    if (problem !== null) return broken(sourceName, problem);
    source ??= { kind: 'parent', profile: sourceName, mfaCarried: false };
    break;
  }
  return { ...top, source, chain };
}

/**
 * The MFA device of each key profile's session: its own mfa_serial, or — the aws-vault model —
 * the one every role made from it names, so a code is asked once per session rather than at each
 * role's renewal. A role whose parent session carries its own device then sends no code.
 */
function giveSessionsTheirMfa(resolved: Map<string, ProfileConfig>): void {
  const rolesOf = new Map<string, AssumeRoleProfile[]>();
  for (const profile of resolved.values()) {
    if (profile.kind !== 'assume-role' || profile.source?.kind !== 'parent') continue;
    const parent = profile.source.profile;
    rolesOf.set(parent, [...(rolesOf.get(parent) ?? []), profile]);
  }
  // Every key profile, not only those with roles: its own mfa_serial asks for its own session.
  for (const parent of [...resolved.values()]) {
    if (parent.kind !== 'static' || parent.hasSessionToken) continue;
    const name = parent.name;
    const roles = rolesOf.get(name) ?? [];
    const sessionMfa = parent.mfa ?? sharedDevice(roles);
    if (!sessionMfa) continue;
    const withMfa: StaticProfile = { ...parent, sessionMfa };
    resolved.set(name, withMfa);
    for (const role of roles) {
      if (role.mfa?.serial !== sessionMfa.serial) continue;
      resolved.set(role.name, {
        ...role,
        source: { kind: 'parent', profile: name, mfaCarried: true },
      });
    }
  }
}

/** The one MFA device the roles name, with an mfa_process if one of them gives it; else none. */
function sharedDevice(roles: AssumeRoleProfile[]): MfaDevice | undefined {
  const devices = roles.flatMap((role) => (role.mfa ? [role.mfa] : []));
  const serials = new Set(devices.map((device) => device.serial));
  if (serials.size !== 1) return undefined;
  return devices.find((device) => device.process !== undefined) ?? devices[0];
}
