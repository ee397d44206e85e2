// The examples run as shipped: examples/linux-syscall/run.ts (the Linux flow through the library)
// and examples/grading (the specification passes Alice's greet and fails Bob's on exactly the
// requirements he misses, with messages that show his kernel's calls). Their 'ksim' imports are
// pointed at the library's sources.
import { afterAll, describe, expect, test } from 'vitest';
import '../../src/api/vitest.js';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(root, 'tests', 'examples', '.examples-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Copies an example directory with its 'ksim' imports pointed at src/api. */
function localCopy(name: string): string {
  const dir = join(tmp, name);
  cpSync(join(root, 'examples', name), dir, { recursive: true });
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8')
      .replace(/'ksim\/vitest'/g, JSON.stringify(join(root, 'src/api/vitest.js')))
      .replace(/'ksim'/g, JSON.stringify(join(root, 'src/api/index.js')));
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

describe('examples/linux-syscall', () => {
  test('run.ts: greet is 329, logs, and every tracer sees it', async () => {
    const dir = localCopy('linux-syscall');
    const { main } = (await import(join(dir, 'run.ts'))) as typeof import('../../examples/linux-syscall/run.js');
    const { nr, hello, empty } = main(dir);
    expect(nr).toBe(329);
    expect(hello.stdout).toBe('greet returned 5\n');
    expect(hello.dmesg).toBe('[    1.000000] greet: hello, world\n');
    expect(hello.strace).toEqual(['greet("world")                          = 5', '+++ exited with 0 +++']);
    expect(hello.kdump).toMatch(/^ {2}1000 greet_test CALL  greet\(0x[0-9a-f]+\)\n {2}1000 greet_test RET   greet 5\n/m);
    expect(hello.dtrace!.output).toBe('world\n\n');
    expect(empty.stdout).toBe('greet failed: Invalid argument\n');
    expect(empty).toHaveExited(1);
  });
});

describe('examples/grading', () => {
  test('Alice meets every requirement; Bob fails the two he misses, and the messages say why', async () => {
    const dir = localCopy('grading');
    const spec = (await import(join(dir, 'spec.ts'))) as typeof import('../../examples/grading/spec.js');
    const verdicts = (student: string) => {
      const { machine, caller } = spec.prepare(readFileSync(join(dir, 'submissions', `${student}.c`), 'utf8'));
      return spec.requirements.map((r) => {
        try {
          r.check(machine, caller);
          return [r.name, 'pass'];
        } catch (e) {
          return [r.name, (e as Error).message];
        }
      });
    };
    expect(verdicts('alice').every(([, v]) => v === 'pass')).toBe(true);
    const bob = Object.fromEntries(verdicts('bob'));
    expect(bob['returns the length of the name']).toBe('pass');
    expect(bob['a NULL pointer is EFAULT']).toBe('pass');
    expect(bob['an empty name is EINVAL and logs nothing']).toBe('expected the kernel log not to have "greet", but it has:\n  <6:info> greet: hello, ');
    expect(bob['a name of 64 bytes or more is EFAULT']).toBe(`expected a call to greet with errno EFAULT; the calls to greet were:\n  [pid 1000] greet("${'x'.repeat(64)}") = 64`);
  });
});
