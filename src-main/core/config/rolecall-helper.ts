/**
 * Whether a credential_process command runs Rolecall's own `credential-process` helper — as
 * `rolecall credential-process`, through a path to the rolecall binary or the packaged app, or as
 * `node …/cli.js credential-process` — and if so for which profile. Such a profile asks Rolecall
 * for credentials rather than giving it any, so Rolecall cannot load it.
 *
 * Returns null when the command is something else, else the `--profile` it names (undefined when
 * it names none).
 */
export function rolecallHelperProfile(argv: readonly string[]): { profile?: string } | null {
  const at = argv.indexOf('credential-process');
  if (at <= 0 || !argv.slice(0, at).some(namesRolecall)) return null;
  const rest = argv.slice(at + 1);
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index]!;
    if (word === '--profile' && index + 1 < rest.length) return { profile: rest[index + 1]! };
    if (word.startsWith('--profile=')) return { profile: word.slice('--profile='.length) };
  }
  return {};
}

function namesRolecall(word: string): boolean {
  const base = (word.split(/[\\/]/).pop() ?? '').toLowerCase();
  // The built CLI is out/main/cli.js, run by node; the binary may carry .exe, .cmd, .AppImage….
  return base === 'cli.js' || base.replace(/\.[^.]*$/, '') === 'rolecall' || base === 'rolecall';
}
