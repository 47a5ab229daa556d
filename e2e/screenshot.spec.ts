import { relative, sep } from 'node:path';
import { expect, test } from '@playwright/test';
import { screenshotPath } from './screenshot';

test('screenshots go under the test output unless the documentation asks for them', () => {
  const testInfo = test.info();
  const inOutput = relative(testInfo.outputDir, screenshotPath(testInfo, 'loaded', {}));
  expect(inOutput).toBe('loaded.png');
  expect(screenshotPath(testInfo, 'loaded', { ROLECALL_SCREENSHOTS: 'docs' })).toBe(
    ['docs', 'screenshots', 'loaded.png'].join(sep),
  );
});
