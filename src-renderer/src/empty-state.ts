import type { ProfileInfo } from '../../src-shared/profile';
import type { SsoSessionView } from '../../src-shared/sso-session';

/** The one action that fixes a state, carried out by the view. */
export type FixAction =
  { kind: 'retry'; label: string } | { kind: 'sign-in'; session: string; label: string };

/** A state that leaves the window with nothing to offer, what it means, and its one fix. */
export interface Teaching {
  kind: 'server-off' | 'keychain-locked' | 'no-sign-in' | 'no-profiles';
  title: string;
  /** Words; `commands` and file names in backquotes are shown as code. */
  body: string;
  /** A few lines to copy, when the fix is writing something. */
  example?: string;
  action: FixAction;
  /** Whether moving in from another tool (Leapp, aws-vault) is offered besides the fix. */
  moveIn?: boolean;
}

export const CONFIG_EXAMPLE = [
  '[profile dev]',
  'sso_session = my-sso',
  'sso_account_id = 111122223333',
  'sso_role_name = ReadOnly',
  '',
  '[sso-session my-sso]',
  'sso_start_url = https://my-org.awsapps.com/start',
  'sso_region = eu-west-1',
].join('\n');

/** The words of a failure to reach Rolecall at all (the page's fetch itself failed). */
const UNREACHABLE = /Failed to fetch|NetworkError|did not answer|Load failed/i;
/** The core's words for a keychain it cannot use (keychain-errors.ts). */
const KEYCHAIN = /The OS keychain/;

/**
 * Which teaching state the window is in, most fundamental first: Rolecall unreachable, then the
 * keychain, then no profile at all, then profiles that all wait for a sign-in. Null when the
 * window has something to offer.
 */
export function teachingFor(input: {
  error: string | null;
  profiles: readonly ProfileInfo[];
  sessions: readonly SsoSessionView[];
  /** Whether profiles were ever listed: before that, an empty list means nothing yet. */
  listed: boolean;
}): Teaching | null {
  const { error, profiles, sessions } = input;
  if (error && UNREACHABLE.test(error))
    return {
      kind: 'server-off',
      title: 'Rolecall is not answering',
      body: 'This window talks to Rolecall on this machine, and it did not answer. Start it again (`rolecall serve --ui`, or the desktop app), then try again.',
      action: { kind: 'retry', label: 'Try again' },
    };
  if (error && KEYCHAIN.test(error))
    return {
      kind: 'keychain-locked',
      title: 'The keychain is locked',
      body: error,
      action: { kind: 'retry', label: 'Try again' },
    };
  if (!input.listed) return null;
  if (profiles.length === 0) {
    const session = sessions.find((candidate) => !candidate.signedIn);
    if (session)
      return {
        kind: 'no-sign-in',
        title: `Sign in to ${session.name} to see your roles`,
        body: 'Your IAM Identity Center roles are listed once you are signed in.',
        action: { kind: 'sign-in', session: session.name, label: `Sign in to ${session.name}` },
      };
    return {
      kind: 'no-profiles',
      title: 'No profiles yet',
      body: 'Rolecall loads the profiles of your AWS config file (`~/.aws/config`, or the file `AWS_CONFIG_FILE` names). Add one like this, or run `aws configure sso`, then look again; or bring over what you set up in Leapp or aws-vault.',
      example: CONFIG_EXAMPLE,
      action: { kind: 'retry', label: 'Look again' },
      moveIn: true,
    };
  }
  if (profiles.every((profile) => !profile.loadable && profile.signInFirst)) {
    const session = profiles[0]!.signInFirst!;
    return {
      kind: 'no-sign-in',
      title: `Sign in to ${session} to load a profile`,
      body: 'Every profile here comes from IAM Identity Center, and that session is signed out.',
      action: { kind: 'sign-in', session, label: `Sign in to ${session}` },
    };
  }
  return null;
}
