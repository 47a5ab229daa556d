import type { Snapshot } from './snapshot';

/**
 * The loaded profiles among `roots`, and every loaded profile whose credentials are made from one
 * of them, directly or through others (an assumed role on an IAM Identity Center role). Each comes
 * after every profile made from it: the order to unload them in, since a profile that others are
 * made from stays loaded while they are. A loop (the broker refuses one, but a snapshot is only
 * data) stops.
 */
export function loadedMadeFrom(
  snapshot: Pick<Snapshot, 'entries'>,
  roots: Iterable<string>,
): string[] {
  const children = new Map<string, string[]>();
  for (const entry of snapshot.entries) {
    for (const parent of entry.parents ?? []) {
      children.set(parent, [...(children.get(parent) ?? []), entry.profile]);
    }
  }
  const loaded = new Set(snapshot.entries.map((entry) => entry.profile));
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (profile: string) => {
    if (seen.has(profile) || !loaded.has(profile)) return;
    seen.add(profile);
    for (const child of children.get(profile) ?? []) visit(child);
    ordered.push(profile);
  };
  for (const root of roots) visit(root);
  return ordered;
}
