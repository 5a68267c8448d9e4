/** CommonJS Jest: the project targets NestJS 11, which is CommonJS (see README). */
// tsconfig sets isolatedModules, so ts-jest transpiles each file alone (fast; `npm run typecheck` checks types).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The browser client writes its relative imports as `./x.js` so its ESM build loads in a browser.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/skipped-suites.reporter.js'],
  // A suite that fails half-way may leak a database pool; CI must still end (and go red), not hang.
  forceExit: true,
};
