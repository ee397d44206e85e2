// Every ```ts block of docs/api.md and docs/adding-a-syscall.md runs as written: 'ksim' and
// 'ksim/vitest' imports point at the library's sources, each block is a module of its own, and
// its expect() calls are the test.
import { describe, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(root, 'tests', 'api', '.docs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function blocks(doc: string): { line: number; code: string }[] {
  const text = readFileSync(join(root, 'docs', doc), 'utf8');
  const out: { line: number; code: string }[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ line: text.slice(0, m.index).split('\n').length, code: m[1]! });
  return out;
}

function runnable(code: string): string {
  return code
    .replace(/from 'ksim\/vitest'/g, `from ${JSON.stringify(join(root, 'src/api/vitest.js'))}`)
    .replace(/import 'ksim\/vitest'/g, `import ${JSON.stringify(join(root, 'src/api/vitest.js'))}`)
    .replace(/from 'ksim'/g, `from ${JSON.stringify(join(root, 'src/api/index.js'))}`);
}

for (const doc of ['api.md', 'adding-a-syscall.md']) {
  describe(doc, () => {
    const found = blocks(doc);
    test('has examples', () => {
      if (found.length === 0) throw new Error(`${doc} has no ts examples`);
    });
    for (const [i, b] of found.entries()) {
      test(`example ${i + 1} (line ${b.line})`, async () => {
        const file = join(tmp, `${doc.replace(/\W/g, '_')}-${i + 1}.ts`);
        writeFileSync(file, runnable(b.code));
        await import(file);
      });
    }
  });
}
