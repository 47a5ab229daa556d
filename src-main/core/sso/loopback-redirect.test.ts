import { describe, expect, it } from 'vitest';
import { listenForRedirect } from './loopback-redirect';

describe('loopback redirect listener', () => {
  it('listens on 127.0.0.1 and resolves with the code when the state matches', async () => {
    const redirect = await listenForRedirect('expected-state');
    expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const wrong = await fetch(`${redirect.redirectUri}?code=evil&state=other`);
    expect(wrong.status).toBe(400);
    const right = await fetch(`${redirect.redirectUri}?code=the-code&state=expected-state`);
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('Signed in');
    await expect(redirect.result).resolves.toEqual({ code: 'the-code' });
  });

  it('rejects when the browser comes back with an error', async () => {
    const redirect = await listenForRedirect('s');
    const result = redirect.result.catch((error: Error) => error.message);
    await fetch(`${redirect.redirectUri}?error=access_denied&state=s`);
    expect(await result).toBe('Sign-in was denied (access_denied).');
  });

  it('rejects when the sign-in is cancelled', async () => {
    const controller = new AbortController();
    const redirect = await listenForRedirect('s', controller.signal);
    controller.abort();
    await expect(redirect.result).rejects.toThrow('Sign-in was cancelled.');
  });
});
