// ESLint flat config: typescript-eslint's recommended rules over the whole project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'courses/dist/', 'courses/**/assets/**', '**/*.min.js', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', console: 'readonly', navigator: 'readonly', location: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', XMLHttpRequest: 'readonly', Blob: 'readonly', URL: 'readonly', Date: 'readonly', Math: 'readonly', JSON: 'readonly' } },
  },
);
