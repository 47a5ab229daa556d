import { describe, expect, it } from 'vitest';
import type { ImportPreviewView, ImportResultView, ImportRowView } from '../../src-shared/import';
import { nextSteps, previewVerdict, rowResult } from './move-in';

const added: ImportRowView = {
  kind: 'IAM user session',
  from: 'Alice',
  name: 'alice',
  outcome: 'new',
  detail: '[profile alice] + access keys into the keychain',
};
const there: ImportRowView = { ...added, outcome: 'already', detail: '' };
const azure: ImportRowView = {
  kind: 'Azure session',
  from: 'Azure dev',
  name: '',
  outcome: 'left-out',
  detail: 'Rolecall serves AWS only',
};

describe('the move-in dialog', () => {
  it('words each row as the command does, before and after the run', () => {
    expect(rowResult(added, false)).toBe(
      'would add: [profile alice] + access keys into the keychain',
    );
    expect(rowResult(added, true)).toBe('added: [profile alice] + access keys into the keychain');
    expect(rowResult(there, false)).toBe('already there');
    expect(rowResult(azure, true)).toBe('not imported: Rolecall serves AWS only');
  });

  it('offers Import only when a run would change something', () => {
    const preview: ImportPreviewView = { from: 'leapp', rows: [added, azure], changes: 2 };
    expect(previewVerdict(preview)).toMatchObject({ canImport: true });
    expect(previewVerdict({ ...preview, rows: [there], changes: 0 })).toEqual({
      text: 'Nothing would change: everything that can come in is there already.',
      canImport: false,
    });
    expect(previewVerdict({ from: 'aws-vault', rows: [], changes: 0 })).toEqual({
      text: 'Found nothing to import from aws-vault.',
      canImport: false,
    });
  });

  it('says to sign in to each session first, then which profile to load', () => {
    const result: ImportResultView = {
      from: 'leapp',
      rows: [],
      changes: 3,
      summary: 'Imported.',
      sessions: ['acme'],
      profiles: ['alice', 'admin'],
      cleanUp: '',
    };
    expect(nextSteps(result)).toEqual([
      'Sign in to acme once (its Sign in button, or `rolecall login acme`).',
      'Then load one of them (alice, admin) from the profile list.',
    ]);
    expect(nextSteps({ ...result, sessions: [], profiles: ['alice'] })).toEqual([
      'Load alice from the profile list.',
    ]);
    expect(nextSteps({ ...result, sessions: [], profiles: [] })).toEqual([]);
  });
});
