// @ts-check
import tseslint from 'typescript-eslint';
import { layers } from './eslint.layers.mjs';

const NODE_BUILTINS = ['fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process', 'process', 'stream', 'url', 'util', 'worker_threads', 'timers', 'dns'];

/**
 * A workflow's per-run state is one object its workflow function makes (e.g. PartnershipRun, workflows/partnership/run.ts):
 * a module-level variable outlives the run in a reused sandbox and is easy to forget on replay.
 */
const MODULE_STATE = {
  selector: ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration[kind!="const"]',
  message: 'no module-level `let`/`var` in workflow code: keep per-run state in the object the workflow function makes',
};
/** Updates, signals and queries are defined once, where workflows, activities and the API all import them. */
const DEFINE_MESSAGE = {
  selector: 'ImportSpecifier[imported.name=/^define(Update|Signal|Query)$/]',
  message: 'define Updates, signals and queries in workflows/<capability>/messages.ts',
};
/** Search-attribute keys have one module (stable names that the API, scripts and docker-compose register too). */
const DEFINE_KEY = {
  selector: "ImportSpecifier[imported.name='defineSearchAttributeKey']",
  message: 'define search-attribute keys in workflows/partnership/search-attributes.ts',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'data/**', 'coverage/**', '*.config.js', 'eslint.config.mjs', 'eslint.layers.mjs'] },
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
  // Where things are defined: messages in workflows/<capability>/messages.ts, search-attribute keys in one module,
  // and no module-level state in workflow code (later blocks replace the list for the files they name).
  { files: ['activities/**/*.ts', 'api/**/*.ts', 'infra/**/*.ts', 'worker/**/*.ts', 'domain/**/*.ts', 'scripts/**/*.ts'], rules: { 'no-restricted-syntax': ['error', DEFINE_MESSAGE, DEFINE_KEY] } },
  { files: ['workflows/**/*.ts'], rules: { 'no-restricted-syntax': ['error', MODULE_STATE, DEFINE_MESSAGE, DEFINE_KEY] } },
  { files: ['workflows/*/messages.ts'], rules: { 'no-restricted-syntax': ['error', MODULE_STATE, DEFINE_KEY] } },
  { files: ['workflows/partnership/search-attributes.ts'], rules: { 'no-restricted-syntax': ['error', MODULE_STATE, DEFINE_MESSAGE] } },
  {
    // zod's schemas, which workflows import only as types: the shared parts and each capability's.
    files: ['domain/schemas.ts', 'domain/*/schemas.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  // Which layer may import which (domain, workflows, messages, activities, api, infra, worker).
  ...layers,
);
