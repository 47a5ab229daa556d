import { RolecallError } from '../errors';

/**
 * Which entries need which. An entry whose source works from another profile's credentials (an
 * assumed role and its `source_profile`) depends on that parent entry: the parent is kept while
 * any entry depends on it, whether or not a slot holds it, and a chain that would loop back on
 * itself is refused with the loop in words.
 */
export class EntryDependencies {
  private readonly parents = new Map<string, Set<string>>();
  private readonly children = new Map<string, Set<string>>();

  /** Records that `child` works from `parent`'s credentials; refuses a loop. */
  link(child: string, parent: string): void {
    const loop = this.pathBetween(parent, child);
    if (loop) throw dependencyLoop([child, ...loop]);
    add(this.parents, child, parent);
    add(this.children, parent, child);
  }

  /** Forgets what `child` depends on (it was unloaded, or its source changed). */
  unlink(child: string): void {
    for (const parent of this.parents.get(child) ?? []) remove(this.children, parent, child);
    this.parents.delete(child);
  }

  /** The parents `child` is linked to, in the order they were linked (nearest first). */
  parentsOf(child: string): string[] {
    const parents = this.parents.get(child);
    return parents ? [...parents] : [];
  }

  /** The entries made from `parent`'s credentials. */
  childrenOf(parent: string): string[] {
    const children = this.children.get(parent);
    return children ? [...children] : [];
  }

  /** Whether another entry still works from this one's credentials. */
  isNeeded(profile: string): boolean {
    return (this.children.get(profile)?.size ?? 0) > 0;
  }

  /** The chain from `from` to `to` through recorded dependencies, or null when there is none. */
  private pathBetween(from: string, to: string): string[] | null {
    if (from === to) return [from];
    const seen = new Set<string>([from]);
    const queue: string[][] = [[from]];
    for (let path = queue.shift(); path; path = queue.shift()) {
      for (const next of this.parents.get(path[path.length - 1]!) ?? []) {
        if (next === to) return [...path, next];
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push([...path, next]);
      }
    }
    return null;
  }
}

export function dependencyLoop(loop: string[]): RolecallError {
  return new RolecallError(
    'dependency-loop',
    `Profiles depend on each other in a loop: ${loop.join(' → ')}. Change one of their source_profile settings so the chain ends.`,
    409,
  );
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let values = map.get(key);
  if (!values) map.set(key, (values = new Set()));
  values.add(value);
}

function remove(map: Map<string, Set<string>>, key: string, value: string): void {
  const values = map.get(key);
  if (!values) return;
  values.delete(value);
  if (values.size === 0) map.delete(key);
}
