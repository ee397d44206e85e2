// ksim's userland (userland/*.c) built for FreeBSD and run on a FreeBSD machine, through FreeBSD's
// own calls: pipe2 + dup2 for a pipeline, fstatat and getdirentries for ls, __sysctl for uname,
// mkdirat/unlinkat, __getcwd and chdir.
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { bootFb, makeFreebsd, runFb } from './harness.js';
import { compileProgram } from '../../src/toolchain/cc.js';
import { nodeSysroot } from '../../src/toolchain/node-sysroot.js';
import { formatDiagnostics } from '../../src/cc/diagnostics.js';

const sys = nodeSysroot();
const USERLAND = path.resolve(__dirname, '../../userland');

describe('the userland on a FreeBSD machine', () => {
  it('sh runs a pipeline, ls, uname, mkdir/rm and cd/pwd with FreeBSD syscalls', () => {
    const b = bootFb(makeFreebsd());
    for (const name of ['sh', 'echo', 'wc', 'ls', 'uname', 'mkdir', 'rm', 'pwd', 'cat']) {
      const r = compileProgram([`${USERLAND}/${name}.c`], (p) => sys.readFile(p), sys, { target: { arch: 'x86_64', os: 'freebsd' } });
      if (!r.image) throw new Error(formatDiagnostics(r.diagnostics, (f) => r.sources.get(f)));
      b.machine.vfs.writeFile(`/bin/${name}`, r.image, 0o755);
    }
    const r = runFb(b, ['/bin/sh', '-c', 'echo hello world | wc -w; uname -s; uname -r; mkdir /tmp/d; echo x > /tmp/d/f; ls /tmp/d; cat /tmp/d/f; rm /tmp/d/f; ls /tmp/d; cd /tmp/d; pwd']);
    expect(r.stdout).toBe(`2\nFreeBSD\n${b.machine.kernel.identity.release}${b.machine.kernel.identity.localversion}\nf\nx\n/tmp/d\n`);
    expect(r.status).toBe(0);
  });
});
