import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program';

/**
 * docs/cli.md against the program itself: every command (and subcommand, such as `keys import`)
 * has a section, every option and argument is in it, and no code in the page names an option its
 * command does not have. So the page can't fall behind `--help`, or drift from it.
 */
const doc = readFileSync(join(__dirname, '../../docs/cli.md'), 'utf8');
const program = buildProgram(() => {
  throw new Error('listing commands needs no context');
});
const commands = new Map(
  program.commands.flatMap((command) => [
    [command.name(), command] as const,
    ...command.commands.map((sub) => [`${command.name()} ${sub.name()}`, sub] as const),
  ]),
);

/** `rolecall keys import dev` → `keys import`; `rolecall load dev` → `load`. */
function commandNamed(code: string): string | null {
  const [, first, second] = /^rolecall ([\w-]+)(?: ([\w-]+))?/.exec(code) ?? [];
  if (!first) return null;
  return second && commands.has(`${first} ${second}`) ? `${first} ${second}` : first;
}

/** `### \`rolecall load\`` → the text under it, up to the next heading. */
function sections(): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of doc.split(/^(?=#{1,3} )/m)) {
    const heading = /^### `rolecall ([\w-]+(?: [\w-]+)?)`\n/.exec(part);
    if (heading) found.set(heading[1]!, part.slice(heading[0].length));
  }
  return found;
}

function codeSpans(text: string): string[] {
  return [...text.matchAll(/(`+)([^`]+?)\1/g)].map((match) => match[2]!.trim());
}

/** The options a piece of code names: `--every`, `-s`. */
function flagsIn(code: string): string[] {
  return [...code.matchAll(/(?:^|[\s[|(,])(--?[a-zA-Z][\w-]*)/g)].map((match) => match[1]!);
}

function knows(command: Command, flag: string): boolean {
  return (
    flag === '--help' ||
    flag === '-h' ||
    command.options.some((option) => option.long === flag || option.short === flag)
  );
}

describe('docs/cli.md', () => {
  const bySection = sections();

  it('has a section for every command, and none for a command that does not exist', () => {
    expect([...bySection.keys()].sort()).toEqual([...commands.keys()].sort());
  });

  it.each([...commands.keys()])('names every option and argument of rolecall %s', (name) => {
    const command = commands.get(name)!;
    const text = bySection.get(name) ?? '';
    const spans = codeSpans(text);
    for (const option of command.options) {
      const long = option.long!;
      expect(
        spans.some((span) => flagsIn(span).includes(long)),
        `${long} of rolecall ${name}`,
      ).toBe(true);
    }
    for (const argument of command.registeredArguments) {
      expect(text, `<${argument.name()}> of rolecall ${name}`).toContain(`<${argument.name()}>`);
    }
  });

  it('names, in code, only options the command it is about has', () => {
    const wrong: string[] = [];
    for (const [name, text] of bySection) {
      for (const span of codeSpans(text)) {
        // `rolecall load dev --slot` is about load wherever it stands; a bare `--every 5s` is
        // about the section's command.
        const about = commandNamed(span) ?? (span.startsWith('-') ? name : null);
        const command = about ? commands.get(about) : undefined;
        if (!about || !command) continue;
        // After ` -- ` come the options of the command `rolecall exec` runs, not its own.
        const own = span.replace(`rolecall ${about}`, '').split(' -- ')[0]!;
        for (const flag of flagsIn(own)) {
          if (!knows(command, flag))
            wrong.push(`${name}: \`${span}\` (${flag} is not an option of ${about})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
