// @ts-check
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process', 'process', 'stream', 'url', 'util', 'worker_threads', 'timers', 'dns'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'data/**', 'coverage/**', '*.config.js', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node built-ins, activities only as types.
    // Files sit at a layer's root or one capability folder down (workflows/partners/…), hence both depths.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.flatMap((name) => [
            { name, message: 'workflow and domain code must stay deterministic and I/O-free' },
            { name: `node:${name}`, message: 'workflow and domain code must stay deterministic and I/O-free' },
          ]),
          patterns: [
            { group: ['activities', 'infra', 'api', 'worker'].flatMap((layer) => [`../${layer}/*`, `../../${layer}/*`]), allowTypeImports: true, message: 'import side-effecting modules only as types here' },
            { group: ['zod'], message: 'keep zod out of the workflow bundle; use the inferred types' },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/schemas.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
