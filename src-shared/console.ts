import { z } from 'zod';

/**
 * Opening the AWS console as a profile: what a door (the CLI, the window, the tray) asks for and
 * what it gets back. The sign-in URL is built in the process that holds the credentials; see
 * src-main/core/console.
 */

/** An AWS region as the console's `?region=` takes it: us-east-1, cn-north-1, us-gov-west-1. */
export const consoleRegionSchema = z
  .string()
  .regex(/^[a-z]{2,}(?:-[a-z]+)+-\d{1,2}$/, 'region must be an AWS region such as us-east-1');

/** A console page by its path: `s3`, `ec2`, `cloudwatch`, `iam`. */
export const consoleServiceSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'service must be the name of a console page such as s3, ec2 or iam (lower-case letters, digits and dashes)',
  );

/** A page of the console: an https URL on the console's domain, or a path under it (`/s3/buckets`). */
export const consoleDestinationSchema = z
  .string()
  .min(1, 'destination must not be empty')
  .max(2048, 'destination must be at most 2048 characters');

/**
 * How the caller takes the sign-in: `url`, the federation sign-in URL itself (to print it); or
 * `link`, a one-time link to the running server that sends the browser on to it, so the sign-in
 * URL never appears on a command line (the browser opener's).
 */
export const consoleDeliverySchema = z.enum(['url', 'link']);
export type ConsoleDelivery = z.infer<typeof consoleDeliverySchema>;

/** A console sign-in: a URL that signs whoever opens it in as the profile. */
export interface ConsoleSignInView {
  profile: string;
  /** What was asked for: the sign-in URL, or the one-time link to it. A secret either way. */
  url: string;
  delivered: ConsoleDelivery;
  /** RFC 3339: the URL (or link) works until then, and not after. */
  expiresAt: string;
  /** RFC 3339 end of the console session it opens, where Rolecall knows it. */
  sessionEndsAt: string | null;
  /** How the console session was made, in a sentence, where it differs from a plain role's. */
  note?: string;
  /** The profile was loaded, into its own slot, to get its credentials. */
  loadedIntoSlot: boolean;
}

/** Where the desktop window asks main to open the console in the browser (no URL comes back). */
export const openConsoleChannel = 'rolecall-desktop:open-console';

/** What the desktop window and tray get back once the browser was asked to open the console. */
export interface ConsoleOpenedView {
  profile: string;
  sessionEndsAt: string | null;
  note?: string;
  loadedIntoSlot: boolean;
}
