import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { readAwsProfiles } from '../config/aws-file';
import { readIni } from '../config/ini-reader';
import { readAwsFile } from '../config/read-aws-file';
import { RolecallError } from '../errors';
import { replaceFile } from '../keys/replace-file';
import type { ExistingSections, SectionDraft } from './import-plan';

/** The AWS config file as it is now: its bytes (to append to) and its sections (to compare with). */
export interface ConfigAsItIs {
  path: string;
  /** null: there is no file yet. */
  bytes: Uint8Array | null;
  sections: ExistingSections;
}

/**
 * Reads the AWS config file the way the AWS CLI does. A file Rolecall refuses to read is refused
 * here too, before anything is imported: sections appended to a file nobody can read would not
 * be read either.
 */
export async function readConfigAsItIs(path: string): Promise<ConfigAsItIs> {
  const file = await readAwsFile(path);
  if (file.state === 'missing') return { path, bytes: null, sections: new Map() };
  if (file.state === 'unreadable') {
    throw new RolecallError(
      'config-unreadable',
      `Could not read the AWS config file ${path} (${file.problem}), so nothing was imported.`,
      500,
    );
  }
  const read = readAwsProfiles('config', path, file);
  if (read.state === 'refused') {
    throw new RolecallError('config-refused', `${read.refusal} Nothing was imported.`, 422);
  }
  const ini = readIni(file.bytes);
  const sections = new Map<string, Map<string, string>>();
  if (ini.ok) {
    for (const section of ini.sections) {
      const settings = new Map<string, string>();
      for (const [name, option] of section.options) {
        if (typeof option.value === 'string') settings.set(name, option.value);
      }
      sections.set(section.name.trim(), settings);
    }
  }
  return { path, bytes: file.bytes, sections };
}

/** The block the sections are appended as: a comment saying where they came from, then each. */
export function renderBlock(sections: SectionDraft[], origin: string, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  const lines = [`# Added by \`rolecall import ${origin}\` on ${day}.`];
  for (const [index, section] of sections.entries()) {
    if (index > 0) lines.push('');
    lines.push(`[${section.header}]`);
    for (const [name, value] of section.settings) lines.push(`${name} = ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Appends the block at the end of the config file, every byte before it as it was: the file is
 * replaced atomically (as `rolecall keys import --remove` replaces it), and not at all if it
 * changed since it was read. A missing file is created, readable by its owner only.
 */
export async function appendBlock(config: ConfigAsItIs, block: string): Promise<void> {
  if (config.bytes === null) {
    await mkdir(dirname(config.path), { recursive: true, mode: 0o700 });
    let handle;
    try {
      handle = await open(config.path, 'wx', 0o600);
    } catch (error) {
      throw new RolecallError(
        'file-not-rewritten',
        `Could not create ${config.path} (${(error as NodeJS.ErrnoException).code ?? String(error)}), so no profile was added.`,
        500,
        { cause: error },
      );
    }
    try {
      await handle.writeFile(block);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return;
  }
  const before = Buffer.from(config.bytes);
  const text = before.toString('utf8');
  const separator = text.length === 0 ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  await replaceFile(config.path, before, Buffer.concat([before, Buffer.from(separator + block)]));
}
