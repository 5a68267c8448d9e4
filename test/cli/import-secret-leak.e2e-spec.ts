// Invariant: a malformed import file never shows its content back. A parser's message quotes
// the text around the fault (a TOTP secret, a backup code); the CLI reports a fixed text and
// a position only, on stderr and under --json alike, so nothing secret reaches a CI log.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../libs/cli/src/cli-context';
import { jsonOf, runCli } from '../support/cli-process';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'import-leak-'));
const SECRET = 'JBSWY3DPEHPK3PXPKRSXG5CTMVRXEZLU';
const CODE = 'ZQ7RM-4KX2P';
const env = {
  MFA_DATABASE_URL: `sqlite:${join(dir, 'mfa.sqlite')}`,
  MFA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  MFA_OPERATOR: 'ops',
};

// Every 5-character piece of the secret: a message that quotes part of it shows one of them.
const pieces = (secret: string) => Array.from({ length: secret.length - 4 }, (_, i) => secret.slice(i, i + 5));
const expectNoneOf = (secret: string, text: string) => {
  for (const piece of pieces(secret)) expect(text).not.toContain(piece);
};

const malformed: Array<[string, string, string]> = [
  ['a bare secret in JSON', 'bare.json', `[{"userId":"u1","secret": ${SECRET}}]`],
  ['a bare backup code in JSON', 'code.json', `[{"userId":"u1","secret":"${SECRET}","backupCodes":[${CODE}]}]`],
  ['a JSON file cut in the secret', 'cut.json', `[{"userId":"u1","secret":"${SECRET}`],
  ['a stray character after the secret', 'stray.json', `[{"userId":"u1","secret":"${SECRET}"x}]`],
  ['a CSV quote never closed', 'open.csv', `userId,secret\nu1,"${SECRET}\n`],
  ['a CSV quote closed mid-field', 'closing.csv', `userId,secret\nu1,"${SECRET}"${CODE}\n`],
  ['a CSV row with a field too many', 'wide.csv', `userId,secret\nu1,${SECRET},${CODE}\n`],
];

describe('import of a malformed file', () => {
  it.each(malformed)('refuses %s with a position, never the content', async (_, name, content) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    for (const json of [true, false]) {
      const run = await runCli([...(json ? ['--json'] : []), 'import', 'file', file], env);
      expect(run.code).toBe(EXIT.refused);
      const shown = run.stdout + run.stderr;
      expect(shown).toMatch(/not valid JSON|CSV file cannot be read/);
      expectNoneOf(SECRET, shown);
      expectNoneOf(CODE, shown);
      if (json) expect(jsonOf<{ error: { code: string } }>(run).error.code).toBe('IMPORT_FILE_INVALID');
    }
  });

  it('still says where a JSON file breaks', async () => {
    const file = join(dir, 'where.json');
    writeFileSync(file, `[{"userId":"u1","secret":"${SECRET}" "label":"x"}]`);
    const run = await runCli(['--json', 'import', 'file', file], env);
    expect(jsonOf<{ error: { message: string } }>(run).error.message).toMatch(/near position \d+/);
  });
});
