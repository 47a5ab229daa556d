import { describe, expect, it } from 'vitest';
import { brokerEventWords } from './event-words';

const at = Date.parse('2026-01-01T00:40:05Z');
const expiresAt = Date.parse('2026-01-01T01:00:00Z');

describe('brokerEventWords', () => {
  it('says a failed first load is not retried, as a sentence after the cause', () => {
    expect(
      brokerEventWords['refresh-failed']({
        profile: 'dev',
        error: 'kinit: no Kerberos ticket; run kinit',
        failures: 1,
        nextAttemptAt: null,
        stillServing: false,
        expiresAt: null,
      }),
    ).toBe(
      'Loading dev failed: kinit: no Kerberos ticket; run kinit. It will not be retried: run `rolecall load dev` again once the cause is fixed.',
    );
  });

  it('says when a failed renewal is retried and what is served meanwhile', () => {
    const renewal = {
      profile: 'dev',
      error: 'credential_process for profile dev exited with code 1. Fix the command.',
      failures: 2,
      nextAttemptAt: at,
    };
    expect(brokerEventWords['refresh-failed']({ ...renewal, stillServing: true, expiresAt })).toBe(
      'Renewing dev failed: credential_process for profile dev exited with code 1. Fix the command. Next attempt at 2026-01-01T00:40:05.000Z; the current credentials are served until 2026-01-01T01:00:00.000Z.',
    );
    expect(
      brokerEventWords['refresh-failed']({ ...renewal, stillServing: true, expiresAt: null }),
    ).toContain('; the current credentials are still served.');
    expect(
      brokerEventWords['refresh-failed']({ ...renewal, stillServing: false, expiresAt }),
    ).toContain('; nothing is served for dev until a renewal succeeds.');
  });

  it('says when renewed credentials expire, or that they do not', () => {
    expect(brokerEventWords.refreshed({ profile: 'dev', expiresAt })).toBe(
      'Renewed dev; valid until 2026-01-01T01:00:00.000Z.',
    );
    expect(brokerEventWords.refreshed({ profile: 'dev', expiresAt: null })).toBe(
      'Renewed dev; the credentials do not expire.',
    );
  });
});
