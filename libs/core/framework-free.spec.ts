// Invariant: the core never imports a web framework, so both adapters stay thin shells over it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('libs/core is framework-free', () => {
  const files = sourceFiles(join(__dirname, 'src'));

  it('has source files to check', () => expect(files.length).toBeGreaterThan(10));

  it.each(files.map((f) => [f.slice(f.indexOf('libs/core')), f]))('%s imports no @nestjs/* or express', (_rel, file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
    const framework = imports.filter((m) => m.startsWith('@nestjs/') || m === 'express' || m.startsWith('express/') || m.includes('libs/nest'));
    expect(framework).toEqual([]);
  });
});
