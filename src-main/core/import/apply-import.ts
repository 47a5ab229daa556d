import { RolecallError } from '../errors';
import type { KeyStore } from '../keys/key-store';
import { appendBlock, renderBlock, type ConfigAsItIs } from './config-block';
import type { ImportPlan } from './import-plan';

/**
 * Carries out a plan: the keys into Rolecall's keychain first, each read back before going on
 * (as `rolecall keys import` does), then the config sections appended in one block. A run that
 * stops half way leaves nothing the next run would add twice: it finds what is there already.
 */
export async function applyImport(
  plan: ImportPlan,
  config: ConfigAsItIs,
  store: KeyStore,
  origin: string,
  now: Date,
): Promise<void> {
  for (const { profile, keys } of plan.keys) {
    await store.set(profile, keys);
    const readBack = await store.get(profile);
    if (
      readBack?.accessKeyId !== keys.accessKeyId ||
      readBack.secretAccessKey !== keys.secretAccessKey
    ) {
      throw new RolecallError(
        'keychain-not-confirmed',
        `The keychain did not give back the keys of profile ${profile} just stored, so the import stopped there; check your keychain and run this again.`,
        503,
      );
    }
  }
  if (plan.sections.length > 0) {
    await appendBlock(config, renderBlock(plan.sections, origin, now));
  }
}
