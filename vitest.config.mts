import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'src-main/**/*.test.ts',
            'src-shared/**/*.test.ts',
            'src-renderer/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src-main/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          environment: 'node',
          // Integration tests start real processes and talk to the real keychain.
          testTimeout: 30_000,
          hookTimeout: 30_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
