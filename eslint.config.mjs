import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const electronBan = {
  paths: [
    {
      name: 'electron',
      message:
        'Core code is plain Node: only src/main/index.ts and src/main/ipc/bind-electron.ts may import electron.',
    },
  ],
  patterns: [
    {
      group: ['**/ipc/*'],
      message:
        'Features do not reach up into the IPC layer: handler types are in src/shared/api/handlers.ts.',
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // The Electron-free core: everything in src/main except the composition root and the IPC binding.
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/ipc/bind-electron.ts'],
    rules: {
      'no-restricted-imports': ['error', electronBan],
      '@typescript-eslint/no-restricted-imports': ['error', electronBan],
    },
  },
  // Shared code runs in every process: no Electron, no Node built-ins.
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared is imported by the renderer.' }],
          patterns: [{ group: ['node:*'], message: 'src/shared is imported by the renderer.' }],
        },
      ],
    },
  },
  // The renderer reaches main only through window.api.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'ollama'].map((name) => ({
            name,
            message: 'The renderer reaches main only through window.api.',
          })),
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node.' },
            { group: ['**/main/**'], message: 'The renderer reaches main only through window.api.' },
          ],
        },
      ],
    },
  },
  // CommonJS build hooks (electron-builder loads them with require).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Only the preload talks to ipcRenderer / contextBridge.
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
)
