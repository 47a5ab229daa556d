import type { ProfileBase } from './classify-role';
import type { CognitoAuthFlow, CognitoProfile } from './profile-config';

type TextSettings = Readonly<Record<string, string | undefined>>;

/** Every setting of a Cognito profile; the AWS CLI ignores them all. */
export const COGNITO_KEYS = [
  'cognito_user_pool_id',
  'cognito_client_id',
  'cognito_username',
  'cognito_identity_pool_id',
  'cognito_auth_flow',
] as const;

export const COGNITO_AUTH_FLOWS: readonly CognitoAuthFlow[] = [
  'USER_SRP_AUTH',
  'USER_PASSWORD_AUTH',
];

/** `<region>_<id>`, as Cognito writes user pool IDs. */
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9a-zA-Z]+$/;
/** `<region>:<uuid>`, as Cognito writes identity pool IDs. */
const IDENTITY_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+):[0-9a-f-]+$/;
const ROLE_ARN = /^arn:[\w-]+:iam::\d{12}:role\/\S+$/;

/** The region a user pool or identity pool ID begins with. */
export function regionOfPool(id: string): string | undefined {
  return USER_POOL_ID.exec(id)?.[1] ?? IDENTITY_POOL_ID.exec(id)?.[1];
}

/**
 * A profile with `cognito_user_pool_id`: a person signs in to the user pool (SRP by default, or
 * USER_PASSWORD_AUTH), and the identity pool turns the ID token into AWS credentials (enhanced
 * flow, or with `role_arn` the basic flow through STS). Each problem is a fragment read after
 * "Profile X cannot be loaded: ".
 */
export function classifyCognito(
  merged: TextSettings,
  base: ProfileBase,
  definedIn: string,
): CognitoProfile {
  const value = (key: string) => merged[key]?.trim() || undefined;
  const userPoolId = value('cognito_user_pool_id') ?? '';
  const clientId = value('cognito_client_id') ?? '';
  const username = value('cognito_username') ?? '';
  const identityPoolId = value('cognito_identity_pool_id');
  const roleArn = value('role_arn');
  const flow = value('cognito_auth_flow') ?? 'USER_SRP_AUTH';
  const profile: CognitoProfile = {
    ...base,
    kind: 'cognito',
    userPoolId,
    clientId,
    username,
    authFlow: COGNITO_AUTH_FLOWS.includes(flow as CognitoAuthFlow)
      ? (flow as CognitoAuthFlow)
      : 'USER_SRP_AUTH',
    definedIn,
    ...(identityPoolId ? { identityPoolId } : {}),
    ...(roleArn ? { roleArn } : {}),
  };
  const problem = cognitoProblem(profile, flow, definedIn);
  if (problem) profile.notLoadableReason = problem;
  return profile;
}

function cognitoProblem(
  profile: CognitoProfile,
  flow: string,
  definedIn: string,
): string | undefined {
  const missing = (
    [
      ['cognito_client_id', profile.clientId],
      ['cognito_username', profile.username],
    ] as const
  ).find(([, given]) => given === '');
  if (!USER_POOL_ID.test(profile.userPoolId)) {
    return `its cognito_user_pool_id in ${definedIn} is ${JSON.stringify(profile.userPoolId)}, not a user pool ID (<region>_<id>, e.g. eu-west-1_AbCdEf123)`;
  }
  if (missing) return `it has no ${missing[0]} in ${definedIn}`;
  if (!COGNITO_AUTH_FLOWS.includes(flow as CognitoAuthFlow)) {
    return `its cognito_auth_flow in ${definedIn} is ${JSON.stringify(flow)}; write USER_SRP_AUTH (the default) or USER_PASSWORD_AUTH`;
  }
  if (profile.identityPoolId === undefined) {
    return `it names no cognito_identity_pool_id in ${definedIn}, and AWS credentials come from an identity pool; add the identity pool that trusts this user pool`;
  }
  if (!IDENTITY_POOL_ID.test(profile.identityPoolId)) {
    return `its cognito_identity_pool_id in ${definedIn} is ${JSON.stringify(profile.identityPoolId)}, not an identity pool ID (<region>:<uuid>)`;
  }
  if (profile.roleArn !== undefined && !ROLE_ARN.test(profile.roleArn)) {
    return `its role_arn in ${definedIn} is ${JSON.stringify(profile.roleArn)}, not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`;
  }
  return undefined;
}
