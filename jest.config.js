/** Tests talk to real servers; the Temporal CLI is found (or installed) once in globalSetup. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The cluster suite builds and runs a real Temporal cluster: `npm run test:cluster` (jest.cluster.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 120_000,
  // Two cores: one dev server per workflow test file, two files at a time.
  maxWorkers: 2,
  transform: {
    '^.+\\.ts$': ['ts-jest', {}],
    // any-ascii ships only as an ES module; Jest's CommonJS runtime needs it compiled (Node and the workflow bundler load it as is).
    '^.+/node_modules/any-ascii/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!any-ascii/)'],
};
