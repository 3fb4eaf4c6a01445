// ESM all the way: @actions/core 3 and friends ship only ESM.
const typescript = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] }
}

export default {
  // End-to-end tests start real engines; each bounds its own waits.
  testTimeout: 180000,
  reporters: ['default', '<rootDir>/__tests__/summary-reporter.cjs'],
  projects: [
    // No root, no Docker, seconds: runs anywhere.
    { ...typescript, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    // dist/ run as the runner runs it, against real engines: root on Linux.
    {
      ...typescript,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/harness/global-setup.js',
      globalTeardown: '<rootDir>/__tests__/harness/global-teardown.js'
    }
  ]
}
