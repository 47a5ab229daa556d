import { defineConfig } from '@playwright/test';

/**
 * End-to-end specs drive the real web UI in Chromium against a real `rolecall serve --ui`.
 * Debian's Chromium is used where Playwright cannot download its own browser.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: process.env.ROLECALL_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1100, height: 760 },
  },
});
