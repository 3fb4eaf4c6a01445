// One lint configuration for the source, the tests and the scripts: typescript-eslint's
// type-checked recommended rules; Prettier owns formatting, so eslint-config-prettier turns off
// the rules it would fight.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '__tests__/fixtures/docker-machine/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      // The type-checking project: source, tests and scripts together.
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      // Errors are thrown as Error; a catch that re-reads `.message` says so with a cast.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-floating-promises': 'error'
    }
  },
  {
    // No source file over 250 lines: a longer one is split where its parts meet.
    files: ['src/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 250 }] }
  },
  {
    // Plain JavaScript (harness modules loaded before any transform, the release server): no types to check.
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked
  },
  prettier
)
