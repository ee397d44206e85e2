// A custom syscall written in TypeScript in a machine's kernel/ directory (defineSyscall), bound by
// its table row like kernel C, running from a C program and decoded by strace from its signature.
import { describe, expect, it } from 'vitest';
import { ksimCli as ksim } from '../helpers/cli.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';



describe('TypeScript syscalls in kernel/*.ts', () => {
  it('build binds them, programs call them, strace decodes them, printk logs', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-ts-'));
    expect(ksim(['init', 'm', '--release', '4.7.1'], work).status).toBe(0);
    const dir = path.join(work, 'm');
    fs.appendFileSync(path.join(dir, 'arch/x86/entry/syscalls/syscall_64.tbl'), '329\tcommon\tadd\tsys_add\n');
    fs.writeFileSync(
      path.join(dir, 'kernel/add.ts'),
      `import { defineSyscall } from 'ksim';
export const add = defineSyscall({
  name: 'add',
  args: [['long', 'a'], ['long', 'b']],
  handler: (ctx, [a, b]) => {
    ctx.printk(\`\\x016add: \${a} + \${b}\\n\`);
    return Number(a) + Number(b);
  },
});
`,
    );
    const b = ksim(['build'], dir);
    expect(b.stderr).toBe('');
    expect(b.stdout).toContain('  TS      1 TypeScript syscall(s)\n  BIND    329 add -> sys_add\n');
    fs.writeFileSync(path.join(dir, 'add.c'), '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("%ld\\n", syscall(329, 2, 3)); return 0; }\n');
    expect(ksim(['cc', '-o', 'add', 'add.c'], dir).status).toBe(0);
    expect(ksim(['run', './add'], dir).stdout).toBe('5\n');
    expect(ksim(['strace', '-e', 'trace=add', './add'], dir).stderr).toBe('add(2, 3)                               = 5\n+++ exited with 0 +++\n');
    expect(ksim(['dmesg'], dir).stdout).toMatch(/\] add: 2 \+ 3\n$/);
  }, 120_000);

  it('a module with a syntax error fails the build with the file and line', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-ts-'));
    ksim(['init', 'm'], work);
    const dir = path.join(work, 'm');
    fs.writeFileSync(path.join(dir, 'kernel/bad.ts'), 'export const x = (;\n');
    const r = ksim(['build'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kernel\/bad\.ts:1:19: error: Expression expected\./);
  }, 60_000);
});
