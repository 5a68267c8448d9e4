import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The sample reads MFA_ENCRYPTION_KEY and SESSION_SECRET. Outside production it creates
 * them once under sample-app/.data so `npm run sample` needs no setup. Production must
 * set both: the library itself refuses to boot without a key.
 */
export function devSecret(name: 'MFA_ENCRYPTION_KEY' | 'SESSION_SECRET', dataDir: string): string {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  if (process.env.NODE_ENV === 'production') throw new Error(`${name} must be set in production.`);
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `${name.toLowerCase()}.txt`);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}
