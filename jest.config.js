// ESM all the way: @actions/core 3 and friends ship only ESM.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // Integration tests start real engines; each bounds its own waits.
  testTimeout: 180000,
  globalSetup: '<rootDir>/__tests__/harness/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/harness/global-teardown.js',
  reporters: ['default', '<rootDir>/__tests__/summary-reporter.cjs']
}
