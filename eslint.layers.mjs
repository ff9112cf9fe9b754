// @ts-check
import boundaries from 'eslint-plugin-boundaries';

/**
 * The layers of the design (docs/architecture.md) as
 * a lint rule: which layer may import which. eslint-plugin-boundaries
 * classifies each file by the first pattern it matches (so the narrow
 * workflow modules come before `workflows/**`) and reports every import the
 * policies below do not allow. A type-only import carries no code, so the
 * places that need another layer's shapes (workflows reading the activities'
 * signatures) are allowed it as `kind: 'type'` only.
 */

/** Each file's layer, first match wins. */
const ELEMENTS = [
  { type: 'domain', pattern: 'domain/**/*.ts' },
  // What a workflow can be told: imported by workflows, activities and the API alike.
  { type: 'workflow-messages', pattern: 'workflows/*/messages.ts' },
  // The search-attribute keys and what a partnership writes to them; the API lists by them, scripts register them.
  { type: 'search-attributes', pattern: 'workflows/partnership/search-attributes.ts' },
  // The inventory of patch ids: workflow code only (and the replay tests).
  { type: 'patches', pattern: 'workflows/patches.ts' },
  { type: 'workflow', pattern: 'workflows/**/*.ts' },
  { type: 'activities', pattern: 'activities/**/*.ts' },
  { type: 'api', pattern: 'api/**/*.ts' },
  { type: 'infra', pattern: 'infra/**/*.ts' },
  { type: 'worker', pattern: 'worker/**/*.ts' },
  { type: 'tooling', pattern: ['scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'] },
].map((e) => ({ ...e, mode: /** @type {const} */ ('full') }));

/**
 * Policies saying that files of layer `from` may import `types` (any kind of
 * import), and `typesOnly` only with `import type`.
 * @param {string} from @param {string[]} types @param {string[]} [typesOnly]
 */
const may = (from, types, typesOnly = []) => [
  ...(types.length ? [{ from: { element: { type: from } }, allow: { to: { element: { type: types } } } }] : []),
  ...(typesOnly.length ? [{ from: { element: { type: from } }, allow: { to: { element: { type: typesOnly } }, dependency: { kind: 'type' } } }] : []),
];

const LAYER_MESSAGE = '{{from.type}} may not import {{to.type}} ({{dependency.source}}): see the layer policies in eslint.layers.mjs';
const WORKFLOW_IMPLEMENTATION_MESSAGE =
  '{{from.type}} may not import a workflow implementation ({{dependency.source}}): import its messages from workflows/<capability>/messages.ts (Updates, signals, queries and their types), or start it by its type name (WORKFLOW_TYPES)';

export const layers = [
  {
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': ELEMENTS,
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
      'boundaries/legacy-warnings': false,
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: LAYER_MESSAGE,
          policies: [
            // Pure rules, schemas and types: nothing outside themselves.
            ...may('domain', ['domain']),
            ...may('workflow-messages', ['domain', 'workflow-messages']),
            ...may('search-attributes', ['domain']),
            ...may('patches', []),
            // Deterministic, replayed code: domain and workflow modules; side-effecting layers only for their types.
            ...may('workflow', ['domain', 'workflow', 'workflow-messages', 'search-attributes', 'patches'], ['activities', 'infra']),
            // Side effects: never a workflow implementation, nor the patch inventory.
            ...may('activities', ['domain', 'activities', 'infra', 'workflow-messages', 'search-attributes']),
            // The API also renders the documents the activities produce (activities/documents).
            ...may('api', ['domain', 'api', 'infra', 'activities', 'workflow-messages', 'search-attributes']),
            // Adapters (mail, store, config, Temporal connection): domain only; other layers' shapes as types.
            ...may('infra', ['domain', 'infra'], ['activities', 'api', 'workflow-messages', 'search-attributes']),
            // The worker wires activities and infra and points the bundler at workflows/index.ts by path.
            ...may('worker', ['domain', 'infra', 'activities', 'worker', 'search-attributes', 'workflow-messages']),
            // Scripts, benchmarks and tests may reach anything.
            ...may('tooling', ['domain', 'workflow-messages', 'search-attributes', 'patches', 'workflow', 'activities', 'api', 'infra', 'worker', 'tooling']),
            // The rule this file exists for, said plainly where it is broken.
            { from: { element: { type: ['activities', 'api', 'infra', 'worker'] } }, disallow: { to: { element: { type: ['workflow', 'patches'] } } }, message: WORKFLOW_IMPLEMENTATION_MESSAGE },
          ],
        },
      ],
    },
  },
];
