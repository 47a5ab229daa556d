import { describe, expect, it } from 'vitest';
import { listenForRedirect } from './loopback-redirect';

describe('loopback redirect listener', () => {
  it('listens on 127.0.0.1, takes the code when the state matches, and answers once told how it ended', async () => {
    const redirect = await listenForRedirect('expected-state');
    try {
      expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
      const wrong = await fetch(`${redirect.redirectUri}?code=evil&state=other`);
      expect(wrong.status).toBe(400);
      let pageShown = false;
      const browser = fetch(`${redirect.redirectUri}?code=the-code&state=expected-state`).then(
        async (response) => ((pageShown = true), response.text()),
      );
      const answer = await redirect.result;
      expect(answer.code).toBe('the-code');
      // The browser waits while the code is exchanged: nothing is claimed before that ends.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(pageShown).toBe(false);
      await answer.finish({ signedIn: true, session: 'corp' });
      expect(await browser).toContain('Signed in to corp.');
    } finally {
      await redirect.close();
    }
  });

  it('tells the browser the sign-in failed when the exchange after the redirect fails', async () => {
    const redirect = await listenForRedirect('s');
    try {
      const browser = fetch(`${redirect.redirectUri}?code=c&state=s`).then((r) => r.text());
      const answer = await redirect.result;
      await answer.finish({ error: 'Could not finish the sign-in: <Invalid client provided>' });
      const page = await browser;
      expect(page).toContain('Sign-in failed');
      expect(page).toContain('&lt;Invalid client provided&gt;');
      expect(page).not.toContain('Signed in');
    } finally {
      await redirect.close();
    }
  });

  it('tells a waiting browser the sign-in did not finish when it stops listening', async () => {
    const redirect = await listenForRedirect('s');
    const browser = fetch(`${redirect.redirectUri}?code=c&state=s`).then((r) => r.text());
    await redirect.result;
    await redirect.close();
    expect(await browser).toContain('The sign-in did not finish');
  });

  it('rejects when the browser comes back with an error, and says so on the page', async () => {
    const redirect = await listenForRedirect('s');
    try {
      const result = redirect.result.catch((error: Error) => error.message);
      const page = await fetch(
        `${redirect.redirectUri}?error=access_denied&error_description=No+assignment&state=s`,
      ).then((r) => r.text());
      expect(await result).toBe('Sign-in was denied (access_denied: No assignment).');
      expect(page).toContain('Sign-in failed');
    } finally {
      await redirect.close();
    }
  });

  it('rejects when the sign-in is cancelled', async () => {
    const controller = new AbortController();
    const redirect = await listenForRedirect('s', controller.signal);
    controller.abort();
    await expect(redirect.result).rejects.toThrow('Sign-in was cancelled.');
    await redirect.close();
  });
});
