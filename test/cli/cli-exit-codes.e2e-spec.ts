// Invariant: scripts can branch on the CLI's exit code and parse its --json output: 0 for
// success, 2 for a usage error, 3 for missing or broken configuration (with what to set),
// 4 for a store that cannot be reached (with its address), and never a stack trace.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../libs/cli/src/cli-context';
import { jsonOf, runCli } from '../support/cli-process';

jest.setTimeout(120_000);

const key = () => randomBytes(32).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'cli-exit-'));
const sqlite = `sqlite:${join(dir, 'mfa.sqlite')}`;
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

describe('nestjs-mfa exit codes and --json errors', () => {
  it('answers help with 0, and an unknown command with 2 and a JSON error', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toMatch(/migrate/);

    const unknown = await runCli(['--json', 'frobnicate']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(jsonOf<ErrorJson>(unknown).error).toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/frobnicate/),
    });
    expect(unknown.stderr).toBe('');
  });

  it('refuses with 3 and says what to set when the database or the keys are missing', async () => {
    const noDatabase = await runCli(['keys', 'status', '--json'], { MFA_ENCRYPTION_KEYS: `k1:${key()}` });
    expect(noDatabase.code).toBe(EXIT.config);
    expect(jsonOf<ErrorJson>(noDatabase).error).toMatchObject({
      code: 'CONFIG_NO_DATABASE',
      message: expect.stringContaining('MFA_DATABASE_URL'),
    });

    const noKeys = await runCli(['keys', 'status'], { MFA_DATABASE_URL: sqlite });
    expect(noKeys.code).toBe(EXIT.config);
    expect(noKeys.stderr).toContain('MFA_ENCRYPTION_KEYS');
    noStack(noKeys.stderr);

    const badKey = await runCli(['--json', 'keys', 'status'], {
      MFA_DATABASE_URL: sqlite,
      MFA_ENCRYPTION_KEYS: 'k1:short',
    });
    expect(badKey.code).toBe(EXIT.config);
    expect(jsonOf<ErrorJson>(badKey).error.message).toMatch(/must be 32 bytes/);
    expect(badKey.stdout).not.toContain('short');
  });

  it('refuses with 4 and names the address of a store it cannot reach', async () => {
    const down = await runCli(['keys', 'status'], {
      MFA_DATABASE_URL: 'postgres://mfa:secret-pw@127.0.0.1:1/mfa',
      MFA_ENCRYPTION_KEYS: `k1:${key()}`,
    });
    expect(down.code).toBe(EXIT.store);
    expect(down.stderr).toContain('postgres://127.0.0.1:1/mfa');
    expect(down.stderr).not.toContain('secret-pw');
    noStack(down.stderr);
  });

  it('refuses with 3 and names the package to install when the database driver is missing', async () => {
    const env = {
      MFA_DATABASE_URL: 'postgres://mfa@127.0.0.1:1/mfa',
      MFA_ENCRYPTION_KEYS: `k1:${key()}`,
      MFA_TEST_HIDE_MODULES: 'pg',
      NODE_OPTIONS: `--require ${join(__dirname, '../support/hide-modules.hook.js')}`,
    };
    for (const args of [
      ['--json', 'keys', 'status'],
      ['--json', 'migrate'],
    ]) {
      // Outside any node_modules: TypeORM also looks for a driver under the working directory.
      const missing = await runCli(args, env, dir);
      expect(missing.code).toBe(EXIT.config);
      expect(jsonOf<ErrorJson>(missing).error).toMatchObject({
        code: 'DRIVER_NOT_INSTALLED',
        message: expect.stringContaining('npm install pg'),
      });
    }
  });

  it('reads a --config module exporting an async function, as MfaModule.forRoot options', async () => {
    const config = join(dir, 'mfa.config.js');
    writeFileSync(
      config,
      `module.exports = async () => ({ encryption: { keys: [{ id: 'main', key: ${JSON.stringify(key())} }] },
        database: { type: 'better-sqlite3', database: ${JSON.stringify(join(dir, 'config.sqlite'))} } });`,
    );
    const status = await runCli(['--config', config, '--json', 'keys', 'status']);
    expect(status.code).toBe(EXIT.ok);
    expect(jsonOf(status)).toMatchObject({ currentKeyId: 'main', total: 0, allOnCurrentKey: true });

    const missing = await runCli(['--config', join(dir, 'nope.js'), 'keys', 'status']);
    expect(missing.code).toBe(EXIT.config);
    expect(missing.stderr).toContain('does not exist');
  });

  it('refuses policy validate with 3 when a given config does not load, falling back only when none is given', async () => {
    const policy = join(dir, 'policy.json');
    // Meetable only where the config has `webauthn` options: the broken config below does.
    writeFileSync(
      policy,
      JSON.stringify({ services: { billing: { operations: { refund: { require: 'webauthn' } } } } }),
    );
    const broken = join(dir, 'broken.config.js');
    writeFileSync(broken, "module.exports = { webauthn: { rpId: 'example.com' }, ");
    for (const [args, env] of [
      [['--config', broken], {}],
      [[], { MFA_CONFIG: broken }],
    ] as const) {
      const run = await runCli([...args, '--json', 'policy', 'validate', policy], env);
      expect(run.code).toBe(EXIT.config);
      expect(jsonOf<ErrorJson>(run).error).toMatchObject({
        code: 'CONFIG_UNLOADABLE',
        message: expect.stringContaining(`The config file ${broken} does not load`),
      });
      noStack(run.stderr);
    }
    const missing = await runCli(['--config', join(dir, 'gone.json'), 'policy', 'validate', policy]);
    expect(missing.code).toBe(EXIT.config);
    expect(missing.stderr).toContain('does not exist');

    // No config at all: checked as a deployment without passkeys, which cannot meet the step.
    const absent = await runCli(['--json', 'policy', 'validate', policy]);
    expect(absent.code).toBe(EXIT.refused);
    expect(jsonOf<ErrorJson>(absent).error.code).toBe('POLICY_INVALID');
  });

  it('refuses an option value it cannot use with 2', async () => {
    const bad = await runCli(['--json', 'keys', 'rotate', '--batch-size', '0'], {
      MFA_DATABASE_URL: sqlite,
      MFA_ENCRYPTION_KEYS: `k1:${key()}`,
    });
    expect(bad.code).toBe(EXIT.usage);
    expect(jsonOf<ErrorJson>(bad).error.message).toMatch(/--batch-size/);
  });
});
