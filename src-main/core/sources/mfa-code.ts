import type { Question } from '../../../src-shared/input-request';
import type { MfaDevice } from '../config/profile-config';
import { credentialProcessEnv } from './child-env';
import { runCommand } from './run-command';
import { SourceError, type FetchContext } from './source';
import { splitCommand } from './split-command';

/**
 * An authenticator app or a hardware key prompt may wait for a touch; a minute is what a
 * credential_process gets too.
 */
const MFA_PROCESS_TIMEOUT_MS = 60_000;
/** A code is a line of digits; anything bigger is not a code. */
const MFA_PROCESS_MAX_OUTPUT = 4096;
/** AWS's codes are six digits; STS accepts up to eight for other token kinds. */
const CODE = /^[0-9]{6,8}$/;
/**
 * How many refused codes one fetch takes before it fails. Every retry waits for a person's new
 * answer, so this is no loop of its own; it stops a wrong device (a code that can never work)
 * from asking forever.
 */
export const MAX_REFUSED_CODES = 3;

export interface MfaCodeOptions {
  /** The profile whose credentials wait for the code, for messages. */
  profile: string;
  device: MfaDevice;
  /** The environment mfa_process starts from; Rolecall's own secrets are always removed. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** What a source that may prove an MFA device knows (the options of assume-role and session-token). */
export interface MfaSourceOptions {
  profile: string;
  /** The device to prove; none: the call is made without MFA. */
  mfa?: MfaDevice;
  env?: NodeJS.ProcessEnv;
}

/** The MFA parameters of an STS call, named as STS names them. */
export interface MfaParameters {
  SerialNumber: string;
  TokenCode: string;
}

/**
 * Makes an STS call with the MFA parameters when the source names a device (a code as
 * `withMfaCode` gets it, asked again when refused), and without them when it names none.
 */
export async function callWithMfa<T>(
  source: MfaSourceOptions,
  context: FetchContext | undefined,
  isRefused: (error: unknown) => boolean,
  call: (mfa?: MfaParameters) => Promise<T>,
): Promise<T> {
  const device = source.mfa;
  if (!device) return call();
  if (!context) throw new Error('an MFA code can only be asked within a fetch');
  return withMfaCode(
    { profile: source.profile, device, ...(source.env ? { env: source.env } : {}) },
    context,
    isRefused,
    (code) => call({ SerialNumber: device.serial, TokenCode: code }),
  );
}

/**
 * Makes one STS call that needs an MFA code, with a code from, in order: the profile's
 * `mfa_process` (split without a shell, like credential_process; it prints the code), else a
 * person (`context.ask`, one question per device, shared by every fetch waiting on it). When AWS
 * refuses a code (`isRefused`), a person is asked again with the reason — once per refusal — and
 * the call made again with the new code.
 */
export async function withMfaCode<T>(
  options: MfaCodeOptions,
  context: FetchContext,
  isRefused: (error: unknown) => boolean,
  call: (code: string) => Promise<T>,
): Promise<T> {
  const fromProcess = options.device.process !== undefined;
  let code = fromProcess
    ? await codeFromProcess(options, context)
    : await askForCode(options, context);
  for (let refused = 0; ; refused += 1) {
    try {
      return await call(code);
    } catch (error) {
      if (!isRefused(error)) throw error;
      if (refused + 1 >= MAX_REFUSED_CODES) {
        throw new SourceError(
          options.profile,
          'denied',
          `Profile ${options.profile}: AWS refused ${MAX_REFUSED_CODES} MFA codes in a row for ${options.device.serial}. Check that mfa_serial names the device you read the codes from, then load the profile again.`,
          { cause: error },
        );
      }
      const by = refused === 0 && fromProcess ? ' mfa_process printed' : '';
      code = await askForCode(
        options,
        context,
        `AWS refused the code${by}: it is wrong, or was already used. Enter the next code the device shows.`,
      );
    }
  }
}

/** Asks a person for a code, and asks again (once per answer) when the answer is no code. */
async function askForCode(
  options: MfaCodeOptions,
  context: FetchContext,
  retryReason?: string,
): Promise<string> {
  const { serial } = options.device;
  const question: Question = {
    key: `mfa:${serial}`,
    kind: 'mfa-code',
    prompt: `Enter the code your MFA device ${serial} shows`,
    mfaSerial: serial,
    ...(retryReason !== undefined ? { retryReason } : {}),
  };
  for (let answers = 0; ; answers += 1) {
    const answer = (await context.ask(question)).trim();
    if (CODE.test(answer)) return answer;
    if (answers + 1 >= MAX_REFUSED_CODES) {
      throw new SourceError(
        options.profile,
        'denied',
        `Profile ${options.profile}: no MFA code was given for ${serial} (an MFA code is the 6 digits the device shows). Load the profile again to enter one.`,
      );
    }
    question.retryReason = 'That is not an MFA code: enter the 6 digits the device shows.';
  }
}

/** Runs the profile's mfa_process and takes the code it prints. */
async function codeFromProcess(options: MfaCodeOptions, context: FetchContext): Promise<string> {
  const { profile, device } = options;
  const who = `mfa_process of profile ${device.from}`;
  const split = splitCommand(device.process!);
  const fail = (why: string, stderr = '') =>
    new SourceError(
      profile,
      'exit',
      `Profile ${profile}: the ${who} ${why}${stderr === '' ? '' : ` Its stderr ended with: ${stderr}`}`,
    );
  if (!split.ok) {
    throw new SourceError(
      profile,
      'spawn-failed',
      `Profile ${profile}: the ${who} can't be run: ${split.problem}. Rolecall runs it without a shell, like credential_process; put shell syntax in a script and point mfa_process at it.`,
    );
  }
  const outcome = await runCommand({
    argv: split.argv,
    env: credentialProcessEnv(options.env ?? process.env),
    timeoutMs: options.timeoutMs ?? MFA_PROCESS_TIMEOUT_MS,
    maxStdoutBytes: MFA_PROCESS_MAX_OUTPUT,
    stderrTailBytes: 1024,
    signal: context.signal,
  });
  switch (outcome.kind) {
    case 'cancelled':
      throw new SourceError(
        profile,
        'cancelled',
        `Profile ${profile}: the ${who} was stopped, because nothing waits for its code any more.`,
      );
    case 'spawn-failed':
      throw new SourceError(
        profile,
        'spawn-failed',
        `Profile ${profile}: the ${who} could not start (${outcome.error.code ?? outcome.error.message}: ${split.argv[0]}). Fix mfa_process in your AWS config.`,
      );
    case 'timed-out':
      throw fail(
        `printed no code within ${Math.round((options.timeoutMs ?? MFA_PROCESS_TIMEOUT_MS) / 1000)} seconds, so Rolecall stopped it. It gets no input and no terminal.`,
        outcome.stderr,
      );
    case 'output-too-large':
      throw fail('printed more than an MFA code; it must print the code alone.', outcome.stderr);
    case 'signaled':
      throw fail(`was killed by signal ${outcome.signal}.`, outcome.stderr);
    case 'exited': {
      if (outcome.code !== 0) {
        throw fail(
          `exited with code ${outcome.code}. Fix mfa_process in your AWS config.`,
          outcome.stderr,
        );
      }
      const code = outcome.stdout.trim();
      // The output is never quoted: it is meant to be a one-time code, but may be anything.
      if (!CODE.test(code)) {
        throw fail(
          'printed something other than an MFA code; it must print only the 6 digits the device shows.',
        );
      }
      return code;
    }
  }
}
