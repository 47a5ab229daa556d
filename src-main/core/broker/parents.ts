import type { Clock } from '../clock';
import type { AwsCredentials } from '../credentials';
import type { CredentialSource } from '../sources/source';
import { notAParent, parentFailed, parentNotLoadable, parentUnavailable } from './broker-errors';
import { dependencyLoop, type EntryDependencies } from './dependencies';
import { validCredentials, type Entry } from './entry';
import type { FetchRun } from './fetch-run';
import type { RenewalEngine } from './renewal';
import type { SourceResolver } from './restore';

/**
 * What a profile's chain adds to the broker, found before anything is fetched: sources for the
 * parents that have no entry yet, and who is made from whom.
 */
export interface ChainPlan {
  /** Profiles of the chain without an entry yet, and their sources. */
  sources: Map<string, CredentialSource>;
  /** Each profile the plan covers, with the parents its source declares, nearest first. */
  links: Array<[string, string[]]>;
}

export interface ParentsDeps {
  entries: ReadonlyMap<string, Entry>;
  dependencies: EntryDependencies;
  resolveSource: SourceResolver;
  renewal: RenewalEngine;
  clock: Clock;
  /** Makes an entry for a parent the broker did not hold yet. */
  add(profile: string, source: CredentialSource): Entry;
  /** Forgets an entry `add` made for a plan that was then refused. */
  remove(profile: string): void;
  /** A fetch started or stopped waiting for a parent. */
  waitingChanged(): void;
}

/**
 * Profiles made from other profiles (an assumed role and its source_profile). Each parent is an
 * entry of its own — cached, renewed on its own schedule, persisted and shown — linked to the
 * entries made from it in `EntryDependencies`. A fetch gets a parent's credentials from here:
 * the parent's valid credentials as they are, or renewed first (sharing the parent's single
 * flight) when they are missing or about to die. A chain that loops is refused, in words,
 * before anything is fetched.
 */
export class Parents {
  constructor(private readonly deps: ParentsDeps) {}

  /**
   * Resolves the parents `source` declares, and theirs, down to profiles made from nothing
   * Rolecall holds or already held; refuses a loop. Changes nothing.
   */
  async plan(profile: string, source: CredentialSource): Promise<ChainPlan> {
    const plan: ChainPlan = { sources: new Map(), links: [] };
    const visit = async (child: string, childSource: CredentialSource, path: string[]) => {
      const parents = [...new Set(childSource.parents ?? [])];
      plan.links.push([child, parents]);
      for (const parent of parents) {
        const at = path.indexOf(parent);
        if (at >= 0) throw dependencyLoop([...path.slice(at), parent]);

        // Held already: its own links are recorded, and linking refuses a loop through them.
        if (plan.sources.has(parent) || this.deps.entries.has(parent)) continue;
        const parentSource = await this.deps
          .resolveSource(parent)
          .catch((error: unknown) => Promise.reject(parentNotLoadable(child, parent, error)));
        plan.sources.set(parent, parentSource);
        await visit(parent, parentSource, [...path, parent]);
      }
    };
    await visit(profile, source, [profile]);
    return plan;
  }

  /**
   * Makes a plan real: an entry for each new parent, and the links. Refuses (changing nothing) a
   * link that would close a loop through entries held already. Returns the parents that are no
   * longer linked from the profiles the plan covers, for the broker to drop if nothing needs them.
   */
  commit(plan: ChainPlan): { created: Entry[]; unlinked: string[] } {
    const { dependencies, entries } = this.deps;
    const previous = new Map(plan.links.map(([child]) => [child, dependencies.parentsOf(child)]));
    const created: Entry[] = [];
    for (const [profile, source] of plan.sources) {
      // Another load of the same chain may have made it meanwhile.
      if (!entries.has(profile)) created.push(this.deps.add(profile, source));
    }
    try {
      for (const [child] of plan.links) dependencies.unlink(child);
      for (const [child, parents] of plan.links) {
        for (const parent of parents) dependencies.link(child, parent);
      }
    } catch (error) {
      for (const [child] of plan.links) dependencies.unlink(child);
      for (const [child, parents] of previous) {
        for (const parent of parents) dependencies.link(child, parent);
      }
      for (const entry of created) this.deps.remove(entry.profile);
      throw error;
    }
    const linked = new Set(plan.links.flatMap(([, parents]) => parents));
    const unlinked = [...previous.values()].flat().filter((parent) => !linked.has(parent));
    return { created, unlinked };
  }

  /**
   * Links a profile to parents kept from the last run, where they are still held; a link that
   * would loop is left out (the config changed since).
   */
  relink(child: string, parents: readonly string[]): void {
    for (const parent of parents) {
      if (!this.deps.entries.has(parent)) continue;
      try {
        this.deps.dependencies.link(child, parent);
      } catch {
        // A loop: the child's renewal says why when it asks for the parent.
      }
    }
  }

  /**
   * What `FetchContext.parent` answers: the parent's valid credentials, renewed first when they
   * need it (missing, or about to die and due) or when a renewal of the parent is in flight
   * anyway (unless it waits for a person). A renewal a person asked for (a load) also asks again
   * a parent whose last question nobody answered. When renewing the parent fails, what it still
   * holds is used while valid; with nothing valid, rejects with the parent's failure in words
   * that name the parent.
   */
  async credentialsFor(run: FetchRun, profile: string): Promise<AwsCredentials> {
    const child = run.entry;
    const parent = this.deps.entries.get(profile);
    if (!parent || !this.deps.dependencies.parentsOf(child.profile).includes(profile)) {
      throw notAParent(child.profile, profile);
    }
    if (this.deps.renewal.needsRenewalNow(parent, run.explicit)) {
      run.startAwaiting(parent);
      this.deps.waitingChanged();
      try {
        return await this.deps.renewal.renew(parent, {
          explicit: run.explicit,
          ...(run.preAnswer ? { preAnswer: run.preAnswer } : {}),
        });
      } catch (error) {
        // Grace, as for a request: what the parent still holds is good enough to be made from.
        const stillValid = validCredentials(parent, this.deps.clock.now());
        if (stillValid) return stillValid;
        if (parent.needsPerson) run.needsPerson = parent.needsPerson;
        throw parentFailed(child.profile, profile, error);
      } finally {
        run.stopAwaiting(parent);
        this.deps.waitingChanged();
      }
    }
    const credentials = validCredentials(parent, this.deps.clock.now());
    if (credentials) return credentials;
    if (parent.needsPerson) run.needsPerson = parent.needsPerson;
    throw parentUnavailable(child.profile, parent);
  }
}
