import type { Command } from 'commander';
import { RolecallError } from '../../core/errors';
import { SOURCE_PROFILE_ENV } from '../../core/sources/source-profile-env';
import type { EcsCredentialsBody } from '../../core/server/ecs-format';
import { connect, type ServerClient } from '../client';
import type { CliContext } from '../context';
import { abortOnInterrupt, onProcessInterrupt } from '../interrupt';
import { withProfileSuggestion } from '../profile-check';
import { whileAnswering } from '../while-answering';

/** The credential_process JSON (Version 1) every AWS SDK and the AWS CLI understand. */
export interface ProcessCredentialsOutput {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
  Expiration?: string;
}

export function toProcessOutput(body: EcsCredentialsBody): ProcessCredentialsOutput {
  const output: ProcessCredentialsOutput = {
    Version: 1,
    AccessKeyId: body.AccessKeyId,
    SecretAccessKey: body.SecretAccessKey,
  };
  if (body.Token) output.SessionToken = body.Token;
  if (body.Expiration) output.Expiration = body.Expiration;
  return output;
}

/**
 * Credentials held are answered in milliseconds, and then no door is needed; one poll of a door
 * later (see QUESTION_POLL_MS) the request waits for something, and the door opens.
 */
const DOOR_AFTER_MS = 300;

export function registerCredentialProcess(program: Command, context: () => CliContext): void {
  program
    .command('credential-process')
    .description(
      "Print a profile's credentials as credential_process JSON, taken from the running server.",
    )
    .requiredOption(
      '--profile <profile>',
      'profile whose slot to read; loaded into its slot if it is not yet',
    )
    .addHelpText(
      'after',
      '\nIn ~/.aws/config, for tools that only understand profiles:\n  [profile dev-via-rolecall]\n  credential_process = rolecall credential-process --profile dev\n\nAn MFA code the profile needs is asked on the terminal (/dev/tty), once however many helpers wait.',
    )
    .action((options: { profile: string }) => credentialProcess(context(), options.profile));
}

/** Prints the profile's credentials from the running server, loading the profile if needed. */
export async function credentialProcess(ctx: CliContext, profile: string): Promise<void> {
  const caller = ctx.env[SOURCE_PROFILE_ENV];
  if (caller !== undefined) {
    throw new RolecallError(
      'loop',
      `Profile ${caller}'s credential_process calls \`rolecall credential-process\`, which would ask Rolecall for itself. Give Rolecall a profile with a real source, and point other profiles at it.`,
      508,
    );
  }
  const client = await connect(ctx.home, ctx.secrets);
  const body = await abortOnInterrupt(
    ctx.onInterrupt ?? onProcessInterrupt,
    `Cancelled getting credentials for ${profile}.`,
    (signal, stop) =>
      // Its stdout belongs to the tool that runs it: questions are asked on the terminal, and
      // when ten helpers wait on one question, nine wait without a word. The terminal is a
      // door while the credentials are read too: a request for credentials that expired
      // while their renewal waits for a code is held for that renewal, and the code is what
      // lets it go on.
      whileAnswering(
        ctx,
        client,
        {
          profile,
          askOn: 'controlling',
          quietWhileOthersAsk: true,
          openAfterMs: DOOR_AFTER_MS,
        },
        stop,
        () => credentialsLoadingIfNeeded(client, profile, signal),
      ),
  ).catch((failure: unknown) => withProfileSuggestion(client, profile, failure));
  ctx.stdout(`${JSON.stringify(toProcessOutput(body), null, 2)}\n`);
}

/**
 * The slot's credentials; when the profile is not in its slot yet (404) or has nothing valid to
 * serve (503: expired, or its renewal waits for a person), a load fills the slot, or joins the
 * renewal already under way, and the slot is read again.
 */
async function credentialsLoadingIfNeeded(
  client: ServerClient,
  profile: string,
  signal: AbortSignal,
): Promise<EcsCredentialsBody> {
  try {
    return await client.credentials(profile, { signal });
  } catch (error) {
    if (!(error instanceof RolecallError) || (error.status !== 404 && error.status !== 503))
      throw error;
  }
  // Credentials another slot holds for the profile (the default slot, say) fill its own slot
  // without running its source again, however many helpers start at once.
  await client.call('loadProfile', { profile, slot: true, reuseHeld: true }, { signal });
  return client.credentials(profile, { signal });
}
