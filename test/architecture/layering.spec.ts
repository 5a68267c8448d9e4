// Invariant: the core and the shared HTTP layer import no web framework, and each adapter
// imports only its own framework — so the adapters stay thin shells over one core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

const isNest = (m: string) => m.startsWith('@nestjs/') || m.includes('libs/nest');
const isExpress = (m: string) => m === 'express' || m.startsWith('express/') || m.includes('libs/express');

const RULES: Array<[string, (m: string) => boolean]> = [
  ['libs/core/src', (m) => isNest(m) || isExpress(m) || m.includes('libs/http') || m.includes('libs/typeorm') || m === 'typeorm'],
  ['libs/http/src', (m) => isNest(m) || isExpress(m)],
  ['libs/express/src', isNest],
  ['libs/redis/src', (m) => isNest(m) || isExpress(m)],
  ['libs/typeorm/src', (m) => isNest(m) || isExpress(m)],
  ['libs/nest/src', isExpress],
];

describe.each(RULES)('%s', (dir, forbidden) => {
  const files = sourceFiles(join(root, dir));

  it('has source files to check', () => expect(files.length).toBeGreaterThan(0));

  it.each(files.map((f) => [relative(root, f), f]))('%s stays in its layer', (_rel, file) => {
    expect(importsOf(file).filter(forbidden)).toEqual([]);
  });
});
