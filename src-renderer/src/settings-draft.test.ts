import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../src-shared/settings';
import { draftOf, patchOf } from './settings-draft';

const view: SettingsView = {
  refreshLeadMinutes: 20,
  notifications: { enabled: true, beforeMinutes: [15, 2] },
  server: { port: 4144, tls: false },
  inEffect: { port: 4144, tls: false },
  launchAtLogin: false,
  file: '/home/u/.config/rolecall/settings.json',
};

describe('the settings form', () => {
  it('sends nothing when nothing changed', () => {
    expect(patchOf(draftOf(view), view)).toEqual({ patch: {}, problems: [] });
  });

  it('sends only the fields that changed, as numbers', () => {
    const draft = { ...draftOf(view), refreshLead: ' 30 ', warnBefore: '10,1', tls: true };
    expect(patchOf(draft, view)).toEqual({
      patch: {
        refreshLeadMinutes: 30,
        notifications: { beforeMinutes: [10, 1] },
        server: { tls: true },
      },
      problems: [],
    });
  });

  it('names every field that is not a whole number', () => {
    const draft = { ...draftOf(view), refreshLead: '2.5', port: 'http', warnBefore: '15, soon' };
    expect(patchOf(draft, view).problems).toEqual([
      'Refresh lead must be a whole number.',
      'Warning time "soon" must be a whole number.',
      'Port must be a whole number.',
    ]);
  });

  it('accepts an empty warning list (no warnings) and leaves launch at login alone where unavailable', () => {
    const headless = { ...view, launchAtLogin: null };
    const draft = { ...draftOf(headless), warnBefore: '', launchAtLogin: true };
    expect(patchOf(draft, headless).patch).toEqual({ notifications: { beforeMinutes: [] } });
  });
});
