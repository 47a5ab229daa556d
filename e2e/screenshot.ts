import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';

/**
 * Where a screenshot of a screen goes: under the test's own output folder (test-results/) by
 * default, so a test run never changes the repository; into docs/screenshots/ only when the
 * documentation's screenshots are being retaken (`npm run screenshots` sets the variable).
 */
export function screenshotPath(
  testInfo: Pick<TestInfo, 'outputPath'>,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const file = `${name}.png`;
  return env.ROLECALL_SCREENSHOTS === 'docs'
    ? join('docs', 'screenshots', file)
    : testInfo.outputPath(file);
}

export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(testInfo, name), fullPage: true });
}
