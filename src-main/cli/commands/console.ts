import { InvalidArgumentError, type Command } from 'commander';
import type { z } from 'zod';
import {
  consoleRegionSchema,
  consoleServiceSchema,
  type ConsoleSignInView,
} from '../../../src-shared/console';
import { slotUrl } from '../../../src-shared/slot-url';
import { formatTimeLeft } from '../../../src-shared/time';
import { RolecallError } from '../../core/errors';
import { connect } from '../client';
import type { CliContext } from '../context';
import { browserProfileNameProblem, openInBrowserProfile } from '../browser-profile';
import { callAnswering } from '../load-answering';
import { openInBrowser } from '../open-url';
import { shellWord } from '../status-view';
import { UsageError } from '../usage-error';

interface ConsoleOptions {
  service?: string;
  destination?: string;
  region?: string;
  print?: boolean;
  browserProfile?: string;
}

/** `rolecall console <profile>`: the AWS console, signed in as the profile, in the browser. */
export function registerConsole(program: Command, context: () => CliContext): void {
  program
    .command('console')
    .description('Open the AWS console in your browser, signed in as a profile.')
    .argument('<profile>', 'profile name from ~/.aws/config (see `rolecall profiles`)')
    .option(
      '--service <service>',
      'open this service’s page (s3, ec2, iam, …)',
      schemaOption(consoleServiceSchema),
    )
    .option(
      '--destination <url>',
      'open this console page (an https URL, or a path like /s3/buckets)',
    )
    .option(
      '--region <region>',
      'the console’s region (default: the profile’s)',
      schemaOption(consoleRegionSchema),
    )
    .option(
      '--print',
      'print the sign-in URL instead of opening it (it signs anyone in for 15 minutes)',
    )
    .option(
      '--browser-profile <name>',
      'open it in a browser profile of its own, kept by Rolecall under this name, so consoles of two accounts can be open side by side (Chrome, Edge, Brave, Chromium or Firefox; ROLECALL_BROWSER picks one)',
      (value: string) => {
        const problem = browserProfileNameProblem(value);
        if (problem !== null) throw new InvalidArgumentError(problem);
        return value;
      },
    )
    .addHelpText(
      'after',
      '\nRolecall loads the profile into its own slot first when it holds no credentials for it. The browser\nis handed a one-time link to the running Rolecall, so the sign-in URL never appears on a command line.\n\nTwo accounts side by side: rolecall console prod --browser-profile prod; rolecall console dev --browser-profile dev',
    )
    .action(async (profile: string, options: ConsoleOptions) => {
      if (options.service !== undefined && options.destination !== undefined)
        throw new UsageError('Give either --service or --destination, not both.');
      if (options.print && options.browserProfile !== undefined)
        throw new UsageError('Give either --print or --browser-profile, not both.');
      const ctx = context();
      const client = await connect(ctx.home, ctx.secrets);
      const signIn = await callAnswering(
        ctx,
        client,
        {
          profile,
          cancelled: `Cancelled opening the console as ${profile}.`,
          mfaCodeGiven: false,
          retryCommand: `rolecall console ${shellWord(profile)}`,
        },
        (signal) =>
          client.call(
            'consoleSignIn',
            {
              profile,
              ...(options.service !== undefined ? { service: options.service } : {}),
              ...(options.destination !== undefined ? { destination: options.destination } : {}),
              ...(options.region !== undefined ? { region: options.region } : {}),
              deliver: options.print ? 'url' : 'link',
            },
            { signal },
          ),
      );

      if (signIn.loadedIntoSlot) {
        ctx.stderr(
          `Loaded ${profile} into its slot ${slotUrl(client.info.url, profile)} to sign in; \`rolecall unload ${shellWord(profile)}\` stops serving it.\n`,
        );
      }
      if (options.print) {
        ctx.stdout(`${signIn.url}\n`);
        ctx.stderr(
          `This URL signs whoever opens it in to the AWS console as ${profile}, until ${signIn.expiresAt} (15 minutes): keep it to yourself.\n`,
        );
      } else if (options.browserProfile !== undefined) {
        const browser = await openInBrowserProfile(
          signIn.url,
          options.browserProfile,
          ctx.home,
          ctx.env,
        );
        ctx.stderr(
          `Opened the AWS console as ${profile} in browser profile ${options.browserProfile} (${browser.path}).\n`,
        );
      } else if (!(await openInBrowser(signIn.url))) {
        throw new RolecallError(
          'no-browser',
          `Could not start a browser; run \`rolecall console ${shellWord(profile)} --print\` and open the URL it prints yourself.`,
        );
      } else {
        ctx.stderr(`Opened the AWS console as ${profile} in your browser.\n`);
      }
      ctx.stderr(sessionWords(signIn));
    });
}

/** When the console session ends, and how it was made where that matters. */
function sessionWords(signIn: ConsoleSignInView): string {
  const ends = signIn.sessionEndsAt
    ? `The console session ends in ${formatTimeLeft(Date.parse(signIn.sessionEndsAt) - Date.now())} (${signIn.sessionEndsAt}).`
    : 'The console session lasts as long as the credentials it was made from.';
  return `${ends}${signIn.note ? ` ${signIn.note}` : ''}\n`;
}

/** An option value checked by its schema, refused in the schema's own words. */
function schemaOption(schema: z.ZodType<string>) {
  return (value: string): string => {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'invalid');
    return parsed.data;
  };
}
