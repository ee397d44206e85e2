// `ksim shell -c` on an i386 machine (`ksim init --arch i386`, Linux 2.6.32): the /bin programs
// come from dist/userland/i386-linux. Runs bin/run.js from dist/ (built by `npm run build`, which
// also builds dist/userland/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../../bin/run.js');
let work = '';
let dir = '';

function ksim(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-i386-shell-'));
  dir = path.join(work, 'old');
  expect(ksim(['init', 'old', '--arch', 'i386'], work).status).toBe(0);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('ksim shell on an i386 machine', () => {
  it('runs the i386 userland: a pipeline, uname, ls and cat, and exits with the last status', () => {
    fs.writeFileSync(path.join(dir, 'note.txt'), 'from the host\n');
    const r = ksim(['shell', '-c', 'echo hi | wc -c; uname -r; uname -m; ls /bin | grep -c .; cat note.txt; cat missing; echo $?; exit 4']);
    expect(r.stdout).toBe('3\n2.6.32\ni386\n26\nfrom the host\n1\n');
    expect(r.stderr).toBe('cat: missing: No such file or directory\n');
    expect(r.status).toBe(4);
  });

  it('has the tracers: strace, ktrace + kdump and dtrace of an i386 program, from its own argv', () => {
    fs.writeFileSync(path.join(dir, 'h.c'), '#include <stdio.h>\n#include <unistd.h>\nint main(int argc, char **argv) { printf("%s %d\\n", argv[1], getpid() > 0); return 0; }\n');
    expect(ksim(['cc', '-o', 'h', 'h.c']).status).toBe(0);
    const s = ksim(['shell', '-c', 'strace -e trace=execve,getpid,write ./h hello']);
    expect(s.stdout).toBe('hello 1\n');
    // The command starts as an i386 process execs it: its environment below 3 GiB.
    expect(s.stderr).toMatch(/^execve\("\.\/h", \["\.\/h", "hello"\], 0xb[0-9a-f]{7} \/\* \d+ vars \*\/\) = 0\ngetpid\(\) += \d+\nwrite\(1, "hello 1\\n", 8\) += 8\n\+\+\+ exited with 0 \+\+\+\n$/);
    const k = ksim(['shell', '-c', 'ktrace -t c ./h again >/dev/null && kdump | grep getpid']);
    expect(k.stdout).toMatch(/^ +(\d+) h +CALL  getpid\n +\1 h +RET   getpid \1\/0x[0-9a-f]+\n$/);
    const d = ksim(['shell', '-c', `dtrace -q -n 'syscall::getpid:entry { printf("%s called getpid\\n", execname); }' -c './h x'`]);
    expect(d.stdout).toBe('h called getpid\nx 1\n\n');
  });
});
