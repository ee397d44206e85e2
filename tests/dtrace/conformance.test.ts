// The D conformance suite, run as the public DTrace suites run theirs: tst.*.d must exit 0 (or the
// status in NAME.d.status) with stdout equal to NAME.d.out byte for byte (and stderr to NAME.d.err
// when present); err.D_TAG.*.d run with -xerrtags must exit 1 with `: [D_TAG] line N:` on stderr.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runD } from './harness.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'conformance');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.d')).sort();

describe('D conformance', () => {
  for (const name of scripts.filter((f) => f.startsWith('tst.'))) {
    test(name, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const args = name === 'tst.macroargs.d' ? ['-s', name, '17'] : ['-s', name];
      const r = runD(args, { [name]: text });
      const statusFile = join(dir, name + '.status');
      const status = existsSync(statusFile) ? Number(readFileSync(statusFile, 'utf8')) : 0;
      const errFile = join(dir, name + '.err');
      const expectedErr = existsSync(errFile) ? readFileSync(errFile, 'utf8') : undefined;
      expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout: readFileSync(join(dir, name + '.out'), 'utf8'), status });
      if (expectedErr !== undefined) expect(r.stderr.replace(/^dtrace: script .*\n/m, '')).toBe(expectedErr);
    });
  }
  for (const name of scripts.filter((f) => f.startsWith('err.'))) {
    test(name, () => {
      const tag = name.split('.')[1]!;
      const r = runD(['-xerrtags', '-s', name], { [name]: readFileSync(join(dir, name), 'utf8') });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^dtrace: failed to compile script ${name.replace(/\./g, '\\.')}: \\[${tag}\\] line [0-9]+: `));
      const errFile = join(dir, name + '.err');
      if (existsSync(errFile)) expect(r.stderr).toBe(readFileSync(errFile, 'utf8'));
    });
  }
});
