// ksim.test.ts: the libc on ksim itself. Test programs are compiled by ksim's C compiler together
// with the libc, run on ksim's runtime (tests/libc/ksim-run.ts), and must print what the same
// program prints when gcc builds it against glibc. Heavy programs (printf's float sweep, malloc's
// stress, strtod's sweep) take ksim 10-90 s and are left to the host-gcc tests in libc.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { buildAll, hostGccAvailable, runProgram, type Builds } from './host-build.js';
import { compileLibc, runOnKsim } from './ksim-run.js';
import type { CObject } from '../../src/cc/link.js';

const programs = ['headers', 'strings', 'sort', 'strtol', 'getopt', 'math', 'setjmp'];
const haveGcc = hostGccAvailable();

(haveGcc ? describe : describe.skip)('ksim libc compiled by ksim cc, against glibc', () => {
  let builds: Builds;
  let libc: CObject[];

  beforeAll(async () => {
    libc = compileLibc();
    builds = await buildAll(programs, { ksimLibc: false });
  }, 120_000);

  afterAll(() => builds?.dispose());

  for (const name of programs) {
    it(`${name}.c prints what glibc's build prints`, async () => {
      const expected = await runProgram(builds.glibc(name), { output: 'file' });
      const actual = runOnKsim(libc, name);
      expect(actual.fault).toBeUndefined();
      expect(actual.output).toBe(expected.stdout);
      expect(actual.exitStatus).toBe(expected.status);
    });
  }
});

if (!haveGcc) {
  describe('ksim libc compiled by ksim cc, against glibc', () => {
    it.skip('needs the host gcc to produce glibc\'s output to compare with', () => {});
  });
}
