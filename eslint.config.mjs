import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core is plain Node: it must never reach for Electron, so the headless host runs it as is.
    files: ['src-main/core/**/*.ts', 'src-main/cli/**/*.ts', 'src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Electron belongs in src-main/electron only.' }] }],
    },
  },
  {
    // keytar is reached only through the SecretStore, so every secret has one door.
    files: ['**/*.{ts,tsx}'],
    ignores: ['src-main/core/secrets/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'keytar', message: 'Use the SecretStore (src-main/core/secrets).' }] }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src-main/**', 'electron', 'node:*'], message: 'The renderer talks only to RolecallApi.' }] }],
    },
  },
);
