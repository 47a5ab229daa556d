import { describe, expect, it } from 'vitest';
import { settingsPatchSchema, type SettingsView } from '../../src-shared/settings';
import { draftOf, patchOf, recheck, refreshLeadWarning } from './settings-draft';

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
    expect(patchOf(draftOf(view), view)).toEqual({ patch: {}, problems: {}, other: [] });
  });

  it('sends only the fields that changed, as numbers', () => {
    const draft = { ...draftOf(view), refreshLead: ' 30 ', warnBefore: '10,1', tls: true };
    expect(patchOf(draft, view)).toEqual({
      patch: {
        refreshLeadMinutes: 30,
        notifications: { beforeMinutes: [10, 1] },
        server: { tls: true },
      },
      problems: {},
      other: [],
    });
  });

  it('says beside each field what is not a whole number', () => {
    const draft = { ...draftOf(view), refreshLead: '2.5', port: 'http', warnBefore: '15, soon' };
    expect(patchOf(draft, view).problems).toEqual({
      refreshLead: 'Enter the refresh lead as a whole number of minutes, like 20.',
      warnBefore:
        'Enter whole minutes separated by commas, like 15, 2; “soon” is not a whole number.',
      port: 'Enter the port as a whole number, like 4144.',
    });
  });

  it('refuses beside its field, in a sentence, what the core would refuse', () => {
    const draft = {
      ...draftOf(view),
      refreshLead: '0',
      port: '65536',
      warnBefore: '1, 2, 3, 4, 5, 6',
    };
    const { patch, problems, other } = patchOf(draft, view);
    expect(problems).toEqual({
      refreshLead: 'Refresh lead must be at least 1 minute.',
      warnBefore: 'At most 5 warning times.',
      port: 'Port must be 65535 or less.',
    });
    expect(other).toEqual([]);
    // The same schema as the core's: whatever passes here passes there.
    expect(settingsPatchSchema.safeParse(patch).success).toBe(false);
    const fine = patchOf({ ...draft, refreshLead: '5', port: '1024', warnBefore: '5' }, view);
    expect(fine.problems).toEqual({});
    expect(settingsPatchSchema.safeParse(fine.patch).success).toBe(true);
  });

  it('names no internal field or call in any problem', () => {
    const draft = { ...draftOf(view), refreshLead: '721', port: '80', warnBefore: '0' };
    const texts = Object.values(patchOf(draft, view).problems);
    expect(texts).toHaveLength(3);
    for (const text of texts)
      expect(text).not.toMatch(/updateSettings|server\.port|refreshLeadMinutes|beforeMinutes|:/);
  });

  it('neither checks nor sends warning times while warnings are off (their field is disabled)', () => {
    for (const warnBefore of ['15, soon', '0', '10, 1']) {
      expect(patchOf({ ...draftOf(view), notify: false, warnBefore }, view)).toEqual({
        patch: { notifications: { enabled: false } },
        problems: {},
        other: [],
      });
    }
  });

  it('accepts an empty warning list (no warnings) and leaves launch at login alone where unavailable', () => {
    const headless = { ...view, launchAtLogin: null };
    const draft = { ...draftOf(headless), warnBefore: '', launchAtLogin: true };
    expect(patchOf(draft, headless).patch).toEqual({ notifications: { beforeMinutes: [] } });
  });
});

describe('problems while editing', () => {
  it('go once their field is right or disabled, change with it, and none is added before Save', () => {
    const bad = { ...draftOf(view), port: '80', warnBefore: 'soon' };
    const shown = patchOf(bad, view).problems;
    expect(Object.keys(shown)).toEqual(['warnBefore', 'port']);
    expect(recheck(shown, { ...bad, port: '4150' }, view)).toEqual({
      warnBefore: shown.warnBefore,
    });
    expect(recheck(shown, { ...bad, port: '70000' }, view).port).toBe(
      'Port must be 65535 or less.',
    );
    expect(recheck(shown, { ...bad, notify: false }, view)).toEqual({ port: shown.port });
    expect(recheck({}, { ...bad, refreshLead: '2.' }, view)).toEqual({});
    expect(recheck({ port: shown.port }, { ...bad, refreshLead: '2.' }, view)).toEqual({
      port: shown.port,
    });
  });
});

describe('the refresh lead warning', () => {
  it('warns under the 15 minutes at which AWS SDKs fetch again', () => {
    expect(refreshLeadWarning('5')).toBe(
      'Under 15 minutes, AWS SDKs fetch credentials again before Rolecall renews them, and keep asking on every request until it does.',
    );
    expect(refreshLeadWarning(' 14 ')).not.toBeNull();
    expect(refreshLeadWarning('1')).not.toBeNull();
  });

  it('says nothing from 15 on, or while the lead is not a valid number (that is a problem)', () => {
    expect(refreshLeadWarning('15')).toBeNull();
    expect(refreshLeadWarning('20')).toBeNull();
    expect(refreshLeadWarning('0')).toBeNull();
    expect(refreshLeadWarning('abc')).toBeNull();
    expect(refreshLeadWarning('')).toBeNull();
  });
});
