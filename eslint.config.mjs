import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const noElectron = { name: 'electron', message: 'Electron belongs in src-main/electron only.' };
const noKeytar = { name: 'keytar', message: 'Use the SecretStore (src-main/core/secrets).' };

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'docs/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs}'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The core is plain Node: it never reaches for Electron, so the headless host runs it as is.
    // keytar is reached only through the SecretStore, so every secret has one door.
    files: [
      'src-main/**/*.ts',
      'src-shared/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'e2e/**/*.ts',
    ],
    ignores: ['src-main/electron/**', 'src-main/core/secrets/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, noKeytar] }] },
  },
  {
    files: ['src-main/core/secrets/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noKeytar] }] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', 'electron', 'node:*'],
              message: 'The renderer talks only to RolecallApi.',
            },
          ],
        },
      ],
    },
  },
);
