import { describe, expect, it } from 'vitest';
import { EntryDependencies } from './dependencies';

describe('EntryDependencies', () => {
  it('keeps a parent needed while any child depends on it', () => {
    const dependencies = new EntryDependencies();
    dependencies.link('admin', 'base');
    dependencies.link('audit', 'base');
    expect(dependencies.isNeeded('base')).toBe(true);
    expect(dependencies.parentsOf('admin')).toEqual(['base']);
    dependencies.unlink('admin');
    expect(dependencies.isNeeded('base')).toBe(true);
    dependencies.unlink('audit');
    expect(dependencies.isNeeded('base')).toBe(false);
    expect(dependencies.parentsOf('admin')).toEqual([]);
  });

  it('refuses a chain that loops back on itself, naming the loop', () => {
    const dependencies = new EntryDependencies();
    dependencies.link('admin', 'ops');
    dependencies.link('ops', 'base');
    expect(() => dependencies.link('base', 'admin')).toThrow(
      'Profiles depend on each other in a loop: base → admin → ops → base. Change one of their source_profile settings so the chain ends.',
    );
    expect(() => dependencies.link('self', 'self')).toThrow('loop: self → self.');
    // The refused links were not recorded.
    expect(dependencies.isNeeded('admin')).toBe(false);
    expect(dependencies.parentsOf('base')).toEqual([]);
  });
});
