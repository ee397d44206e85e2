import { it } from 'vitest';
import { parseC } from '../../src/cc/frontend.js';
import { predefinedMacros } from '../../src/toolchain/cc.js';
import * as fs from 'node:fs';
it('x', () => {
  for (const f of fs.readdirSync('/work/main/libc').filter(f => f.endsWith('.c'))) {
  const r = parseC('/work/main/libc/' + f, { readFile: (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } }, includeDirs: ['/work/main/libc', '/work/main/include'], predefined: predefinedMacros({arch:'x86_64', os:'linux'}, false) });
  console.log('CASE', f, !!r.unit, r.diagnostics.slice(0,3).map(d => `${d.loc?.file}:${d.loc?.line}:${d.loc?.col} ${d.message}`));
  }
});
