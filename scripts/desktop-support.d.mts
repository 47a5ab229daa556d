// Types of desktop-support.mjs, for its tests (the script itself runs as plain JavaScript).

export interface SandboxFacts {
  platform: NodeJS.Platform;
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns, trimmed; null where it is absent. */
  restrictUnprivilegedUserns: string | null;
  /** Owner and mode of chrome-sandbox beside the Electron binary; null when it is missing. */
  sandboxHelper: { uid: number; mode: number } | null;
  /** The text of each file in /etc/apparmor.d. */
  appArmorProfiles: string[];
  electronPath: string;
  /** What `npm start` passes on to Electron. */
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function missingDisplay(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null;
export function sandboxBlockedByAppArmor(
  facts: SandboxFacts,
): { reason: string; fix: string } | null;
export function readSandboxFacts(
  electronPath: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): SandboxFacts;
export function headlessArguments(args: string[]): string[];
export function profileAttachments(text: string): string[];
export function globMatches(glob: string, path: string): boolean;
