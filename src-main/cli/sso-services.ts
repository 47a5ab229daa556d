import { loadSettings } from '../core/settings/settings';
import { createSsoServices, type SsoServices } from '../core/sso/sso-services';
import type { CliContext } from './context';

/** The IAM Identity Center services as the user's settings configure them. */
export async function ssoServicesFor(ctx: CliContext): Promise<SsoServices> {
  const { settings, warnings } = await loadSettings(ctx.home);
  for (const warning of warnings) ctx.stderr(`warning: ${warning}\n`);
  return createSsoServices({ home: ctx.home, secrets: ctx.secrets, settings });
}
