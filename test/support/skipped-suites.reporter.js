/**
 * Jest reporter (jest.config.js): a run without the database URLs is green on SQLite alone, which
 * reads like "everything passed". It ends by naming what did not run and the variable that turns
 * it on; with every variable set it prints nothing. Plain JS: Jest loads reporters untransformed.
 */
const SUITES = [
  { what: 'PostgreSQL suites', needs: { MFA_TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/test' } },
  { what: 'MariaDB suites', needs: { MFA_TEST_MARIADB_URL: 'mysql://root@127.0.0.1:3306/test' } },
  {
    what: 'Redis suites (lockout race, fail-closed, session cache across instances)',
    needs: { MFA_TEST_REDIS_URL: 'redis://127.0.0.1:6379' },
  },
  {
    what: 'two-instance harness (test/multi-instance)',
    // Its own databases: it must not share tables or Redis keys with the suites above.
    needs: {
      MFA_TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/mfa_multi',
      MFA_TEST_REDIS_URL: 'redis://127.0.0.1:6379/7',
    },
  },
];

function skippedLines(env) {
  return SUITES.flatMap(({ what, needs }) => {
    const missing = Object.entries(needs).filter(([name]) => !env[name]);
    return missing.length
      ? [`skipped: ${what} (set ${missing.map(([name, example]) => `${name}=${example}`).join(' ')})`]
      : [];
  });
}

class SkippedSuitesReporter {
  onRunComplete(_contexts, results) {
    // Only a run that reached test/ could have run these; `npx jest libs/` skipped nothing of theirs.
    if (!results.testResults.some((r) => r.testFilePath.includes('/test/'))) return;
    const lines = skippedLines(process.env);
    // stderr, like Jest's own summary, so the lines land right under it.
    if (lines.length) process.stderr.write(`${lines.join('\n')}\n`);
  }
}

module.exports = SkippedSuitesReporter;
module.exports.skippedLines = skippedLines;
