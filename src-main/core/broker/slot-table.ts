import type { SlotKind } from '../../../src-shared/snapshot';
import { compareNames } from './entry';

/** Which slot a request addresses: the default one, or the named slot of a profile. */
export type SlotRef = { kind: 'default' } | { kind: 'named'; profile: string };

/**
 * Which profile is in which slot: at most one in the default slot (`GET /`), and any number with
 * a named slot of their own (`/slot/<profile>`). Names only; the entries live elsewhere.
 */
export class SlotTable {
  private defaultProfile: string | null = null;
  private readonly named = new Set<string>();

  /** The profile a slot holds, or null when it is empty. */
  profileIn(slot: SlotRef): string | null {
    if (slot.kind === 'default') return this.defaultProfile;
    return this.named.has(slot.profile) ? slot.profile : null;
  }

  /** Whether any slot holds the profile. */
  holds(profile: string): boolean {
    return this.defaultProfile === profile || this.named.has(profile);
  }

  /** Puts a profile in a slot; returns the profile it replaced in the default slot, if another. */
  fill(profile: string, slot: SlotKind): string | null {
    if (slot === 'named') {
      this.named.add(profile);
      return null;
    }
    const previous = this.defaultProfile;
    this.defaultProfile = profile;
    return previous !== null && previous !== profile ? previous : null;
  }

  /** Empties one slot; returns the profile it held, or null when it was empty. */
  empty(slot: SlotRef): string | null {
    const profile = this.profileIn(slot);
    if (profile === null) return null;
    if (slot.kind === 'default') this.defaultProfile = null;
    else this.named.delete(profile);
    return profile;
  }

  /** Takes a profile out of every slot it is in. */
  remove(profile: string): void {
    if (this.defaultProfile === profile) this.defaultProfile = null;
    this.named.delete(profile);
  }

  /** Empties every named slot; returns the profiles they held. */
  clearNamed(): string[] {
    const profiles = [...this.named];
    this.named.clear();
    return profiles;
  }

  clear(): void {
    this.defaultProfile = null;
    this.named.clear();
  }

  get defaultSlot(): string | null {
    return this.defaultProfile;
  }

  /** Profiles with a named slot, sorted. */
  namedSlots(): string[] {
    return [...this.named].sort(compareNames);
  }
}
