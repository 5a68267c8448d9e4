import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PAGE_SECURITY_HEADERS } from './page-response';

/**
 * sample-app/public holds plain files tsc does not copy. From the sources (ts-jest) it sits two
 * folders up; from dist-sample/sample-app/shared/pages (`npm run sample`) four up and back into
 * sample-app/; the working directory covers a compile to anywhere else (test/multi-instance).
 */
const CANDIDATES = [
  join(__dirname, '..', '..', 'public'),
  join(__dirname, '..', '..', '..', '..', 'sample-app', 'public'),
  join(process.cwd(), 'sample-app', 'public'),
];

let publicDir: string | undefined;

export function samplePublicDir(): string {
  return (publicDir ??= CANDIDATES.find((dir) => existsSync(join(dir, 'page.js'))) ?? CANDIDATES[0]);
}

// ES modules must come as JavaScript: with nosniff the browser refuses anything else.
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
// A flat name only: nothing like ../ can reach outside the folder.
const ASSET_NAME = /^[a-z0-9-]+\.(js|css)$/;

/** GET /assets/:file on both samples. Read on every request, so an edited script shows on reload. */
export async function sendAsset(res: Response, name: string): Promise<void> {
  res.set({ ...PAGE_SECURITY_HEADERS, 'Cache-Control': 'no-cache' });
  const match = ASSET_NAME.exec(name);
  const body = match ? await readFile(join(samplePublicDir(), name)).catch(() => null) : null;
  if (!match || !body) {
    res.status(404).type('text/plain').send('Not found');
    return;
  }
  res.status(200).type(TYPES[match[1]]).send(body);
}
