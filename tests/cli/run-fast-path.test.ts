// `ksim run PROG` without ksim flags takes bin/run.js's fast path (src/cli/fast-run.ts), which does
// not load oclif; with a flag it goes through oclif. Both must behave the same: output, exit status,
// and the errors (missing program, compile error, signal), and only the fast path skips oclif.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KSIM_BIN, ksimCli } from '../helpers/cli.js';

let dir = '';
// Preloaded into the ksim process: says on exit whether any oclif module was loaded.
let probe = '';

const PROG = `#include <stdio.h>
#include <signal.h>
#include <string.h>
int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("[%s]", argv[i]);
  printf("\\n");
  fflush(stdout);
  if (argc > 1 && strcmp(argv[1], "segv") == 0) raise(SIGSEGV);
  return argc + 2;
}
`;

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fast-'));
  expect(ksimCli(['init', 'm'], work).status).toBe(0);
  dir = path.join(work, 'm');
  fs.writeFileSync(path.join(dir, 'args.c'), PROG);
  fs.writeFileSync(path.join(dir, 'bad.c'), 'int main(void) { return x; }\n');
  expect(ksimCli(['cc', '-o', 'args', 'args.c'], dir).status).toBe(0);
  probe = path.join(work, 'probe.cjs');
  fs.writeFileSync(probe, `process.on('exit', () => process.stderr.write('oclif loaded: ' + Object.keys(require.cache).some((k) => k.includes('@oclif')) + '\\n'));\n`);
}, 60_000);

function ksim(args: string[]) {
  const r = spawnSync(process.execPath, ['--require', probe, KSIM_BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ksim run: the fast path and the oclif path agree', () => {
  const cases: [string, string[], { status: number; stdout: string; stderr: string }][] = [
    ['an image with arguments', ['./args', 'a', '-x', '--uid'], { status: 6, stdout: '[./args][a][-x][--uid]\n', stderr: '' }],
    ['a .c file compiled on the fly', ['args.c', 'b'], { status: 4, stdout: '[/tmp/args][b]\n', stderr: '' }],
    ['a program killed by a signal', ['./args', 'segv'], { status: 139, stdout: '[./args][segv]\n', stderr: 'Segmentation fault (core dumped)\n' }],
    ['a missing program', ['./nope'], { status: 127, stdout: '', stderr: 'ksim: ./nope: No such file or directory\n' }],
    ['a missing .c file', ['nope.c'], { status: 127, stdout: '', stderr: 'ksim run: nope.c: No such file or directory\n' }],
  ];
  for (const [what, argv, want] of cases) {
    it(what, () => {
      const fast = ksim(['run', ...argv]);
      expect(fast).toEqual({ ...want, stderr: `${want.stderr}oclif loaded: false\n` });
      const slow = ksim(['run', '--cpu-limit', '4000', ...argv]);
      expect(slow).toEqual({ ...want, stderr: `${want.stderr}oclif loaded: true\n` });
    });
  }

  it('a compile error: the diagnostic, then the failure, on both paths', () => {
    const fast = ksim(['run', 'bad.c']);
    const slow = ksim(['run', '--uid', '0', 'bad.c']);
    expect(fast.status).toBe(1);
    expect(fast.stderr.split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      `${dir}/bad.c:1:25: error: 'x' undeclared (first use in this function)`,
      `${dir}/bad.c:1:25: note: each undeclared identifier is reported only once for each function it appears in`,
      'ksim run: bad.c: compilation failed',
      'oclif loaded: false',
      '',
    ]);
    expect(slow).toEqual({ ...fast, stderr: fast.stderr.replace('oclif loaded: false', 'oclif loaded: true') });
  });

  it('help and flags still go through oclif', () => {
    const help = ksim(['run', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Run a program on the machine');
    expect(help.stderr).toBe('oclif loaded: true\n');
  });
});
