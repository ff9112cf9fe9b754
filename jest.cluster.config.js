/**
 * `npm run test:cluster`: the cluster suite (test/cluster) on a real Temporal
 * cluster built from the Go module proxy and a PostgreSQL server of its own
 * (scripts/cluster/). One file at a time: each file owns a whole cluster.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  // A cold build of the Temporal server happens in globalSetup, not inside a test's timeout.
  testTimeout: 300_000,
  maxWorkers: 1,
};
