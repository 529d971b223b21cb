// ESLint (flat config): typescript-eslint's type-checked recommended rules over all TypeScript in the repository
// (`npm run lint`, run by .ci/run). Each rule turned off below says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'extension/esbuild.js', 'bin/**', 'collector/**'] },
  {
    files: ['{core,rules,cli,scripts,bench,test,webview}/**/*.ts', 'extension/src/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Control characters are what the code looks for (core/text/visible, shell and XML quoting, log decoding): matching them is the point.
      'no-control-regex': 'off',
      // `_unused` names a parameter kept for its position, or a property dropped by destructuring.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      // Tests read parsed output documents (SARIF, JSON reports, webview state) by path and assert on what they find there.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // mocha's `this.timeout` and assert.throws(fn) pass methods as values by design.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
