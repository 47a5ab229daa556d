import { EventEmitter } from 'node:events';
import type { SlotKind, Snapshot } from '../../../src-shared/snapshot';
import type { DefaultSlotSummary } from '../runtime/instance-holder';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { AwsCredentials } from '../credentials';
import { Announcer, SnapshotPublisher, type BrokerEvents } from './announcements';
import {
  emptySlotError,
  loadCancelled,
  neededByError,
  notLoaded,
  unansweredError,
  unavailableError,
  unloadedWhileLoading,
} from './broker-errors';
import { EntryDependencies } from './dependencies';
import {
  compareNames,
  entryView,
  newEntry,
  setOverrides,
  validCredentials,
  type Entry,
  type PolicyOverrides,
} from './entry';
import { EntryTimer } from './entry-timer';
import type { PreAnswer } from './fetch-run';
import { LayoutKeeper, layoutOf } from './layout-keeper';
import { LoadsInFlight, type LoadTicket } from './loads-in-flight';
import { Parents } from './parents';
import type { BrokerStore } from './persistence';
import { OpenQuestions } from './questions';
import { defaultRefreshPolicy, type RefreshPolicy } from './refresh-policy';
import { RenewalEngine } from './renewal';
import { readLastRun, type LastRun, type SourceResolver } from './restore';
import { SlotTable, type SlotRef } from './slot-table';
import { TokenEntries } from './token-entries';
import { errorMessage } from '../errors';

export type { BrokerEvents } from './announcements';
export type { PolicyOverrides } from './entry';
export type { SourceResolver } from './restore';
export type { SlotRef } from './slot-table';

export interface BrokerOptions {
  resolveSource: SourceResolver;
  clock?: Clock;
  policy?: RefreshPolicy;
  /** Jitter's random source; tests pin it. */
  random?: () => number;
  /** Where the layout and credentials survive a restart; none in unit tests. */
  store?: BrokerStore;
}

export interface LoadOptions {
  slot?: boolean;
  policy?: PolicyOverrides;
  /** The caller went away: cancel this load, unless another load of the profile waits too. */
  signal?: AbortSignal;
  /** Answers the first MFA question this load's fetch asks, its parents' included. */
  mfaCode?: string;
  /**
   * When a slot already holds the profile with credentials that need no renewal, put those in
   * this slot too instead of running the source again: what a helper that only needs the
   * credentials asks for (one entry serves every slot the profile is in, so nothing differs).
   */
  reuseHeld?: boolean;
}

/** What one load produced: its slot, and the expiry of the credentials it obtained. */
export interface LoadOutcome {
  profile: string;
  slot: SlotKind;
  /** Epoch ms, or null when the credentials do not expire. */
  expiresAt: number | null;
}

/**
 * Owns every loaded credential: one entry per profile, however many slots it is in. Nothing but
 * the broker calls a source. It renews credentials ahead of expiry on one shared timer, backs off
 * when a source fails, keeps serving valid credentials through failures (grace), and answers
 * readers from memory. Readers (ECS routes, CLI, UIs) get credentials or a secret-free snapshot.
 *
 * This class only wires its rooms together (see docs/architecture.md, "the broker's rooms"):
 * `SlotTable` (which profile is in which slot), `RenewalEngine` (one entry's single-flight
 * renewal), `EntryTimer` (when each entry is next due), `Announcer` (events), `LoadsInFlight`,
 * `LayoutKeeper` and `readLastRun` (persistence), `EntryDependencies` (which entry needs which),
 * `Parents` (entries made from other entries) and `OpenQuestions` (what only a person can answer).
 */
export class Broker extends EventEmitter<BrokerEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly slots = new SlotTable();
  private readonly loads = new LoadsInFlight();
  private readonly dependencies = new EntryDependencies();
  private readonly clock: Clock;
  private readonly resolveSource: SourceResolver;
  private policy: RefreshPolicy;
  private readonly random: () => number;
  private readonly store: BrokerStore | null;
  private readonly announcer: Announcer;
  private readonly timer: EntryTimer;
  private readonly renewal: RenewalEngine;
  private readonly layout: LayoutKeeper;
  private readonly publisher: SnapshotPublisher;
  /** How many changes snapshots have shown so far (see Snapshot.revision). */
  private revision = 0;
  private readonly questions: OpenQuestions;
  private readonly parents: Parents;
  /** Bearer tokens (OAuth2, ...): entries of another kind, on the same timer and policy. */
  readonly tokens: TokenEntries;

  constructor(options: BrokerOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.resolveSource = options.resolveSource;
    this.policy = options.policy ?? defaultRefreshPolicy;
    this.random = options.random ?? Math.random;
    this.store = options.store ?? null;
    this.publisher = new SnapshotPublisher(
      () => this.listenerCount('changed') > 0,
      () => this.emit('changed', this.snapshot()),
    );
    this.announcer = new Announcer(this.clock, this);
    this.timer = new EntryTimer(
      this.clock,
      this.announcer,
      (profile) => this.wake(profile),
      (name) => this.tokens.wake(name),
    );
    this.tokens = new TokenEntries({
      clock: this.clock,
      random: this.random,
      policy: () => this.policy,
      timer: { plan: (name, at) => this.timer.planToken(name, at) },
      renewed: (name) => this.emit('token-renewed', { name }),
      failed: (name, error) => this.emit('token-failed', { name, error }),
      changed: () => {
        this.emit('tokens-changed');
        // The window and the tray show tokens from the same snapshot as the profiles.
        this.publish();
      },
    });
    this.layout = new LayoutKeeper(this.store, () => this.publish());
    this.renewal = new RenewalEngine(
      this.clock,
      this.random,
      {
        isCurrent: (entry) => this.entries.get(entry.profile) === entry,
        // What a slot holds, or another entry is made from, is retried; a first load that failed
        // is forgotten by its load.
        retries: (entry) =>
          this.slots.holds(entry.profile) || this.dependencies.isNeeded(entry.profile),
        accepted: (entry) => {
          this.timer.plan(entry);
          this.store?.saveCredentials(entry.profile, {
            credentials: entry.credentials!,
            obtainedAt: entry.obtainedAt!,
            refreshCount: entry.refreshCount,
          });
          this.announcer.renewed(entry);
          this.resumeChildren(entry);
        },
        failed: (entry) => this.announcer.failed(entry),
        inFlightChanged: (entry, inFlight) => {
          if (!inFlight && this.entries.get(entry.profile) !== entry) return;
          if (!inFlight) this.timer.plan(entry);
          this.publish();
        },
      },
      {
        parent: (run, profile) => this.parents.credentialsFor(run, profile),
        ask: (run, question) => this.questions.ask(run, question),
      },
    );
    this.questions = new OpenQuestions(this.clock, () => this.policy.questionTimeoutMs, {
      opened: (key) => {
        this.waitingChanged();
        const view = this.questions.view(key);
        if (view) this.announcer.questionAsked(view);
      },
      closed: (question, how, waiting) => {
        this.announcer.questionClosed(question, how, waiting);
        this.waitingChanged();
      },
      waitersChanged: () => this.waitingChanged(),
      unanswered: (run, question, how) =>
        unansweredError(run.entry, question, how, {
          now: this.clock.now(),
          timeoutMs: this.policy.questionTimeoutMs,
        }),
      waitingOn: (key) => this.waitingOn(key),
    });
    this.parents = new Parents({
      entries: this.entries,
      dependencies: this.dependencies,
      resolveSource: this.resolveSource,
      renewal: this.renewal,
      clock: this.clock,
      add: (profile, source) => {
        const entry = newEntry(profile, source, this.policy);
        this.entries.set(profile, entry);
        return entry;
      },
      remove: (profile) => this.entries.delete(profile),
      waitingChanged: () => this.waitingChanged(),
    });
  }

  /**
   * Runs the profile's source and puts the result in the default slot or the profile's own slot.
   * The source is resolved again on every explicit load, so a fixed ~/.aws/config takes effect.
   * An unload (or an emptied slot) during the load wins: the load fails and fills nothing. A load
   * whose caller leaves (`signal`) is cancelled; the fetch stops only when no other load of the
   * profile waits for it. Resolves once the new layout is written (see `snapshot().notSaved`).
   */
  async load(profile: string, options: LoadOptions = {}): Promise<LoadOutcome> {
    const slot: SlotKind = options.slot ? 'named' : 'default';
    if (options.reuseHeld && !options.policy && options.mfaCode === undefined) {
      const held = this.heldForReuse(profile);
      if (held) {
        this.fill(profile, slot);
        this.publish();
        await this.saveLayout();
        return { profile, slot, expiresAt: held.expiresAt ?? null };
      }
    }
    const ticket = this.loads.start(profile, slot, this.clock.now());
    const cancel = () => this.cancelLoad(ticket);
    options.signal?.addEventListener('abort', cancel, { once: true });
    if (options.signal?.aborted) cancel();
    // Resolving reads local files only; the first snapshot event comes with the fetch.
    try {
      const source = await ticket.race(this.resolveSource(profile));
      // The whole chain is resolved, and a loop refused, before anything is fetched.
      const plan = await ticket.race(this.parents.plan(profile, source));
      const entry = this.entries.get(profile) ?? newEntry(profile, source, this.policy);
      entry.source = source;
      entry.sourceError = null;
      if (options.policy) setOverrides(entry, options.policy, this.policy);
      // The entry is visible (as `refreshing`) while its first fetch runs, and concurrent loads of
      // the same profile find it and share that fetch.
      this.entries.set(profile, entry);
      const { unlinked } = this.parents.commit(plan);
      for (const parent of unlinked) this.dropUnused(parent);
      const preAnswer: PreAnswer | undefined =
        options.mfaCode === undefined ? undefined : { code: options.mfaCode, used: false };
      // The slot is filled in the fetch's own callback, so no snapshot between the two shows
      // fresh credentials in no slot, and no cancellation can come between them.
      const filled = this.renewal
        .renew(entry, { explicit: true, ...(preAnswer ? { preAnswer } : {}) })
        .then((credentials) => {
          if (ticket.complete()) {
            this.loads.finish(ticket);
            this.fill(profile, slot);
            this.publish();
          }
          return credentials;
        });
      // A load joining a fetch that already waits for an MFA code answers it with its own.
      if (preAnswer && entry.run) this.questions.offer(entry.run);
      const credentials = await ticket.race(filled);
      await this.saveLayout();
      return { profile, slot, expiresAt: credentials.expiresAt ?? null };
    } catch (error) {
      this.loads.finish(ticket);
      this.dropUnused(profile);
      this.publish();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
  }

  /**
   * Stores credentials handed over the ECS API (`PUT /`, `PUT /slot/<p>`). They have no source,
   * so they are served until they expire and are never refreshed.
   */
  put(profile: string, credentials: AwsCredentials, options: { slot?: boolean } = {}): void {
    const entry = this.entries.get(profile) ?? newEntry(profile, null, this.policy);
    entry.source = null;
    this.entries.set(profile, entry);
    this.renewal.accept(entry, credentials);
    this.fill(profile, options.slot ? 'named' : 'default');
    void this.saveLayout();
    this.publish();
  }

  /**
   * Removes a profile from every slot, and cancels its loads still running. Returns false when it
   * was neither loaded nor loading.
   */
  unload(profile: string): boolean {
    const cancelled = this.loads.cancel(profile, null, unloadedWhileLoading).length > 0;
    if (!this.entries.has(profile) && !cancelled) return false;
    this.slots.remove(profile);
    this.dropUnused(profile);
    void this.saveLayout();
    this.publish();
    return true;
  }

  /**
   * Empties one slot (`DELETE /`, `DELETE /slot/<p>`), leaving the profile in any other slot it is
   * in, and cancels loads into that slot. Returns the profile that was there (or was loading),
   * or null when the slot was already empty.
   */
  emptySlot(slot: SlotRef): string | null {
    const cancelled =
      slot.kind === 'default'
        ? this.loads.cancel(null, 'default', unloadedWhileLoading)
        : this.loads.cancel(slot.profile, 'named', unloadedWhileLoading);
    const profile = this.slots.empty(slot);
    if (profile === null && cancelled.length === 0) return null;
    for (const name of new Set([...cancelled, ...(profile === null ? [] : [profile])])) {
      this.dropUnused(name);
    }
    void this.saveLayout();
    this.publish();
    return profile ?? cancelled[0]!;
  }

  /** Empties every named slot (`DELETE /slot`), and cancels loads into one. Returns how many. */
  clearNamed(): number {
    const cancelled = this.loads.cancel(null, 'named', unloadedWhileLoading);
    const profiles = this.slots.clearNamed();
    for (const profile of new Set([...profiles, ...cancelled])) this.dropUnused(profile);
    if (profiles.length > 0 || cancelled.length > 0) {
      void this.saveLayout();
      this.publish();
    }
    return profiles.length;
  }

  /** Empties every slot and cancels every load still running. */
  unloadAll(): void {
    this.loads.cancel(null, null, unloadedWhileLoading);
    this.slots.clear();
    for (const profile of [...this.entries.keys()]) this.forget(profile);
    void this.saveLayout();
    this.publish();
  }

  /**
   * Resolves once the layout as of now is written (or has failed to be: `snapshot().notSaved`
   * says so). Callers that tell a user a change is done wait for this first.
   */
  layoutWritten(): Promise<void> {
    return this.layout.written();
  }

  /** Renews a profile now, sharing any renewal already in flight (an explicit reload). */
  async reload(profile: string): Promise<void> {
    const entry = this.entries.get(profile);
    if (!entry) throw notLoaded(profile);
    await this.renewal.renew(entry, { explicit: true });
  }

  /**
   * Answers a question waiting for a person: every renewal waiting on it goes on with the
   * answer. A wrong answer comes back as the same question, with its `retryReason`.
   */
  answerInput(key: string, answer: string): void {
    this.questions.answer(key, answer);
  }

  /**
   * Declines a question: every renewal waiting on it fails, saying nobody answered; what is
   * valid is served until it expires, and nothing asks again until a load needs it.
   */
  dismissInput(key: string): void {
    this.questions.dismiss(key);
  }

  /** The profiles made from this one's credentials, which keep it loaded while they are. */
  dependentsOf(profile: string): string[] {
    return this.dependencies.childrenOf(profile);
  }

  /**
   * Refuses to unload a profile that is loaded only as the parent of others — no slot holds it
   * and no load of it runs — naming the profiles made from it.
   */
  assertUnloadable(profile: string): void {
    if (this.slots.holds(profile) || this.loads.has(profile)) return;
    const dependents = this.dependentsOf(profile);
    if (dependents.length > 0) throw neededByError(profile, dependents);
  }

  /** The profile a slot holds, or null when it is empty. */
  profileIn(slot: SlotRef): string | null {
    return this.slots.profileIn(slot);
  }

  /**
   * The credentials a slot serves. Credentials that are expired or inside the mandatory window
   * wait (bounded) for a renewal first; what is still valid after that is served (grace), and
   * what is not gets a 503 that says how to recover. An empty slot is a 404.
   */
  async credentialsFor(slot: SlotRef): Promise<{ profile: string; credentials: AwsCredentials }> {
    const profile = this.slots.profileIn(slot);
    const entry = profile === null ? undefined : this.entries.get(profile);
    if (profile === null || !entry) throw emptySlotError(slot);

    if (this.renewal.needsRenewalNow(entry))
      await this.renewal.waitAtMost(this.renewal.renew(entry), entry.policy.onDemandWaitMs);

    const credentials = validCredentials(entry, this.clock.now());
    if (credentials) return { profile, credentials };
    const waitingFor = entry.inflight ? entry.run?.waitingFor() : null;
    throw unavailableError(entry, waitingFor ? this.questions.question(waitingFor) : undefined);
  }

  /**
   * What `credentialsFor` would answer at once, without waiting for anything: valid credentials
   * that need no renewal first. Null when it would wait, refuse, or the slot is empty. The server
   * answers from this synchronously, which is nearly every request.
   */
  servableNow(slot: SlotRef): { profile: string; credentials: AwsCredentials } | null {
    const profile = this.slots.profileIn(slot);
    const entry = profile === null ? undefined : this.entries.get(profile);
    if (profile === null || !entry || this.renewal.needsRenewalNow(entry)) return null;
    const credentials = validCredentials(entry, this.clock.now());
    return credentials ? { profile, credentials } : null;
  }

  /** The credentials held for a profile, whatever their state; for listings, not for serving. */
  peek(profile: string): AwsCredentials | undefined {
    return this.entries.get(profile)?.credentials ?? undefined;
  }

  /**
   * The default slot's profile, expiry and state, read without building a snapshot: what a shell
   * prompt shows, asked before every command line. Null when the slot is empty.
   */
  defaultSlotSummary(): DefaultSlotSummary | null {
    const profile = this.slots.defaultSlot;
    if (profile === null) return null;
    const entry = this.entries.get(profile);
    if (!entry) return { profile, expiresAt: null, state: null };
    const { expiresAt, state } = entryView(entry, this.clock.now());
    return { profile, expiresAt, state };
  }

  snapshot(): Snapshot {
    const now = this.clock.now();
    const entries = [...this.entries.values()]
      .sort((a, b) => compareNames(a.profile, b.profile))
      .map((entry) => entryView(entry, now, this.dependencies.parentsOf(entry.profile)));
    const loading = this.loads.views();
    const notSaved = this.layout.notSaved;
    const inputRequests = this.questions.size > 0 ? this.questions.views() : [];
    const tokens = this.tokens.views();
    return {
      defaultProfile: this.slots.defaultSlot,
      slots: this.slots.namedSlots(),
      entries,
      ...(loading.length > 0 ? { loading } : {}),
      ...(notSaved !== null ? { notSaved } : {}),
      ...(inputRequests.length > 0 ? { inputRequests } : {}),
      ...(tokens.length > 0 ? { tokens } : {}),
      revision: this.revision,
    };
  }

  /**
   * Brings back the slots and credentials of the last run. Valid credentials are served at once
   * and renewed on schedule; expired or missing ones are renewed right away (requests wait for it).
   */
  async restore(): Promise<void> {
    if (!this.store) return;
    const lastRun = await readLastRun({
      store: this.store,
      resolveSource: this.resolveSource,
      policy: this.policy,
      now: () => this.clock.now(),
      random: this.random,
    });
    if (!lastRun) return;
    for (const entry of lastRun.entries) this.entries.set(entry.profile, entry);
    await this.linkRestored(lastRun);
    for (const entry of this.entries.values()) this.timer.plan(entry);
    if (lastRun.defaultProfile !== null && this.entries.has(lastRun.defaultProfile)) {
      this.slots.fill(lastRun.defaultProfile, 'default');
    }
    for (const profile of lastRun.slots) {
      if (this.entries.has(profile)) this.slots.fill(profile, 'named');
    }
    // Entries in no slot stay when another is made from them.
    for (const profile of [...this.entries.keys()]) this.dropUnused(profile);
    this.publish();
  }

  /**
   * Applies a changed refresh policy (from the settings) to every entry, keeping per-profile
   * overrides. Healthy entries are re-planned from when their credentials were obtained, as if
   * the policy had always been this one; failing entries keep their backoff.
   */
  setPolicy(policy: RefreshPolicy): void {
    this.policy = policy;
    for (const entry of this.entries.values()) {
      setOverrides(entry, entry.overrides, policy);
      if (this.renewal.replan(entry)) this.timer.plan(entry);
    }
    this.publish();
  }

  /** Stops the timer; in-flight fetches finish but nothing new starts. */
  stop(): void {
    this.timer.stop();
  }

  /** The timer's call: announce what is due, and renew what is due. */
  private wake(profile: string): void {
    const entry = this.entries.get(profile);
    if (!entry) return;
    const changed = this.announcer.announceExpiry(entry);
    if (
      !entry.inflight &&
      !entry.run &&
      entry.nextRefreshAt !== null &&
      entry.nextRefreshAt <= this.clock.now() &&
      entry.source
    ) {
      // Failures are already recorded by the renewal engine; the timer has no caller to tell.
      this.renewal.renew(entry).catch(noop);
      return;
    }
    this.timer.plan(entry);
    if (changed) this.publish();
  }

  /** Valid credentials of a profile some slot holds, that need no renewal now; else null. */
  private heldForReuse(profile: string): AwsCredentials | null {
    const entry = this.entries.get(profile);
    if (!entry || !this.slots.holds(profile) || this.renewal.needsRenewalNow(entry)) return null;
    return validCredentials(entry, this.clock.now());
  }

  /** Puts a loaded profile in its slot; a profile pushed out of the default slot may go. */
  private fill(profile: string, slot: SlotKind): void {
    const replaced = this.slots.fill(profile, slot);
    if (replaced !== null) this.dropUnused(replaced);
  }

  /**
   * Forgets an entry that nothing needs any more — no slot holds it, no load is running for it,
   * no other entry depends on it — so its credentials leave memory and keychain, and a fetch
   * still running for it stops.
   */
  private dropUnused(profile: string): void {
    if (
      this.slots.holds(profile) ||
      this.loads.has(profile) ||
      this.dependencies.isNeeded(profile)
    ) {
      return;
    }
    this.forget(profile);
  }

  /** Forgets an entry, then whichever of its parents nothing else needs. */
  private forget(profile: string): void {
    const entry = this.entries.get(profile);
    if (!entry) return;
    this.entries.delete(profile);
    const parents = this.dependencies.parentsOf(profile);
    this.dependencies.unlink(profile);
    this.timer.cancel(profile);
    entry.run?.abort();
    this.store?.deleteCredentials(profile);
    for (const parent of parents) this.dropUnused(parent);
  }

  /**
   * Links restored entries to their parents as the AWS config says now, adding parents that
   * are new to it. A chain that no longer resolves (a parent left the config, or it now loops)
   * leaves the entry serving what it holds until it expires, its renewals saying why.
   */
  private async linkRestored(lastRun: LastRun): Promise<void> {
    for (const entry of lastRun.entries) {
      const saved = lastRun.parents.get(entry.profile) ?? [];
      if (!entry.source) {
        this.parents.relink(entry.profile, saved);
        continue;
      }
      if (!entry.source.parents?.length) continue;
      try {
        const { created } = this.parents.commit(
          await this.parents.plan(entry.profile, entry.source),
        );
        for (const parent of created) parent.nextRefreshAt = this.clock.now();
      } catch (error) {
        entry.source = null;
        entry.sourceError = errorMessage(error);
        entry.lastError = entry.sourceError;
        entry.nextRefreshAt = null;
        this.parents.relink(entry.profile, saved);
      }
    }
  }

  /**
   * A parent was renewed: the entries made from it that stopped because nobody answered the
   * parent's question (not their own) are renewed again now.
   */
  private resumeChildren(parent: Entry): void {
    if (!this.dependencies.isNeeded(parent.profile)) return;
    for (const profile of this.dependencies.childrenOf(parent.profile)) {
      const child = this.entries.get(profile);
      if (!child?.needsPerson || child.needsPerson === profile || child.inflight) continue;
      child.needsPerson = null;
      child.nextRefreshAt = this.clock.now();
      this.timer.plan(child);
    }
  }

  /**
   * Who waits for a person changed. The timer looks again at the entries renewing, so their
   * expiry is announced while they wait; the snapshot shows who waits.
   */
  private waitingChanged(): void {
    for (const entry of this.entries.values()) if (entry.run) this.timer.plan(entry);
    this.publish();
  }

  /** The profiles whose renewal waits for the question `key`, directly or through a parent. */
  private waitingOn(key: string): string[] {
    const waiting: string[] = [];
    for (const entry of this.entries.values()) {
      if (entry.run?.waitsFor(key)) waiting.push(entry.profile);
    }
    return waiting.sort(compareNames);
  }

  /** A load whose caller left: cancelled, and its entry dropped if nothing else needs it. */
  private cancelLoad(ticket: LoadTicket): void {
    this.loads.finish(ticket);
    ticket.cancel(loadCancelled(ticket.profile));
    this.dropUnused(ticket.profile);
    this.publish();
  }

  private saveLayout(): Promise<void> {
    return this.layout.save(() =>
      layoutOf(this.entries.values(), this.slots, (profile) =>
        this.dependencies.parentsOf(profile),
      ),
    );
  }

  /** Every change to what a snapshot shows comes through here, and counts as a revision. */
  private publish(): void {
    this.revision += 1;
    this.publisher.publish();
  }
}

function noop(): void {}
