import { describe, expect, it } from 'vitest';
import { closestName } from './closest-name';

const commands = [
  'serve',
  'status',
  'load',
  'unload',
  'login',
  'logout',
  'profiles',
  'env',
  'token',
];

describe('closestName', () => {
  it('finds what a typo meant', () => {
    expect(closestName('lod', commands)).toBe('load');
    expect(closestName('stauts', commands)).toBe('status');
    expect(closestName('devv', ['dev', 'prod'])).toBe('dev');
    expect(closestName('Dev', ['dev', 'prod'])).toBe('dev');
    expect(closestName('prof', commands)).toBe('profiles');
  });

  it('prefers the nearest of several', () => {
    expect(closestName('logn', commands)).toBe('login');
    expect(closestName('prod-admn', ['prod-admin', 'prod-audit', 'dev-admin'])).toBe('prod-admin');
  });

  it('suggests nothing for a different word, or a prefix of several', () => {
    expect(closestName('frobnicate', commands)).toBeUndefined();
    expect(closestName('lo', commands)).toBeUndefined();
    expect(closestName('x', ['dev', 'prod'])).toBeUndefined();
    expect(closestName('dev', [])).toBeUndefined();
  });
});
