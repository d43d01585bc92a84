import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom, by project tags (`tags` in each project.json). Every project carries a
 * `type:*` tag; a new library under libs/ needs only `type:lib` (and a `scope:*` saying what it
 * is about) to be importable by apps, tools and other libraries.
 */
const DEPENDENCIES = [
  // Apps (the services we ship as images) depend on libraries, never on other apps.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  // Libraries depend on libraries only: never on an app, a tool or the test harness.
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  // The engine (libs/cache) depends on nothing of ours.
  { sourceTag: 'scope:engine', onlyDependOnLibsWithTags: [] },
  // The test harness (libs/testing) may build on libraries.
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib'] },
  // Tools people run (the platform, the k6 scripts, the benchmarks) use libraries, the test
  // harness (free ports, waits, real redis-server) and the dashboards' queries.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:testing', 'type:config'] },
  // Dashboards and alert rules are generated and checked by code that uses libraries.
  { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
  // The chart's tests.
  { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
];

/** Tests of every project may use the test harness besides, the engine's included. */
const TEST_DEPENDENCIES = DEPENDENCIES.map((rule) => ({
  ...rule,
  onlyDependOnLibsWithTags: [...rule.onlyDependOnLibsWithTags, 'type:testing'],
}));

const TEST_FILES = ['**/test/**/*.ts', '**/e2e/**/*.ts', '**/*.spec.ts', 'deploy-tests/**/*.ts'];

/**
 * One lint config for the workspace: typescript-eslint's recommended rules on every project,
 * and Nx's module boundaries between projects.
 */
export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/dist-spec/**',
      '**/node_modules/**',
      '.nx/**',
      'tmp/**',
      'charts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { depConstraints: DEPENDENCIES }],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': ['error', { depConstraints: TEST_DEPENDENCIES }],
    },
  },
);
