// `ksim demo`: the Linux "add a system call" tutorial end to end on a throwaway machine: add a row
// to syscall_64.tbl, write the SYSCALL_DEFINE, build, compile a test program, run it, then look at
// it with dmesg, strace, ktrace/kdump and dtrace. Every step runs the real ksim command and shows
// what a reader would type and see.
import { Flags } from '@oclif/core';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KsimCommand } from '../cli/base.js';

const SYSCALL_C = `SYSCALL_DEFINE1(hello, char __user *, msg)
{
  char buf[256];
  long copied = strncpy_from_user(buf, msg, sizeof(buf));
  if (copied < 0 || copied == sizeof(buf))
    return -EFAULT;
  printk(KERN_INFO "hello syscall called with \\"%s\\"\\n", buf);
  return 0;
}
`;

const TEST_C = `/* Calls the hello syscall (#329) with the first argument. */
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#define SYS_hello 329

int main(int argc, char **argv)
{
  if (argc <= 1) {
    printf("usage: %s MESSAGE\\n", argv[0]);
    return -1;
  }
  printf("Making system call with \\"%s\\".\\n", argv[1]);
  long res = syscall(SYS_hello, argv[1]);
  printf("System call returned %ld.\\n", res);
  return res;
}
`;

export default class Demo extends KsimCommand {
  static override description = 'Run the Linux add-a-syscall tutorial end to end on a throwaway machine';
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --keep'];
  static override flags = {
    keep: Flags.boolean({ description: 'keep the demo machine directory and print where it is' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Demo);
    const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-demo-'));
    const dir = path.join(work, 'demo');
    let failed = false;
    const say = (text: string) => this.out(`\n\x1b[1m# ${text}\x1b[0m\n`);
    const show = (cmd: string) => this.out(`$ ${cmd}\n`);
    const ksim = (args: string[], cwd: string, shown = `ksim ${args.map(quote).join(' ')}`, filter?: (s: string) => string): number => {
      show(shown);
      const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
      const out = (r.stdout ?? '') + (r.stderr ?? '');
      this.out(filter ? filter(out) : out);
      return r.status ?? 1;
    };
    try {
      say('1. A Linux 4.7.1 x86_64 machine: its syscall table ends at 328');
      ksim(['init', 'demo', '--release', '4.7.1'], work);
      const tbl = path.join(dir, 'arch/x86/entry/syscalls/syscall_64.tbl');
      say('2. Add the syscall: a row in the table, and its code in the kernel sources');
      show(`printf '329\\tcommon\\thello\\tsys_hello\\n' >> arch/x86/entry/syscalls/syscall_64.tbl`);
      fs.appendFileSync(tbl, '329\tcommon\thello\tsys_hello\n');
      show('cat kernel/hello.c');
      fs.writeFileSync(path.join(dir, 'kernel/hello.c'), SYSCALL_C);
      this.out(SYSCALL_C);
      say('3. Build the kernel (no reboot needed)');
      failed ||= ksim(['build'], dir) !== 0;
      say('4. Compile a test program with ksim cc and run it');
      fs.writeFileSync(path.join(dir, 'test.c'), TEST_C);
      failed ||= ksim(['cc', '-o', 'test', 'test.c'], dir) !== 0;
      failed ||= ksim(['run', './test', 'Hello World!'], dir) !== 0;
      say('5. The kernel log: printk from the syscall');
      ksim(['dmesg'], dir, 'ksim dmesg | tail -n 1', (s) => s.trimEnd().split('\n').slice(-1)[0] + '\n');
      say('6. strace: the syscall decoded from its own signature');
      ksim(['strace', './test', 'hi'], dir);
      say('7. ktrace and kdump: FreeBSD\'s trace file and its reader');
      ksim(['ktrace', './test', 'hi'], dir);
      ksim(['kdump'], dir);
      say('8. dtrace: a D probe on the new syscall');
      ksim(['dtrace', '-q', '-n', 'syscall::hello:entry { printf("%s\\n", copyinstr(arg0)); }', '-c', './test hi'], dir);
      say('9. A string too long for the 256-byte buffer: -EFAULT');
      ksim(['run', './test', 'x'.repeat(300)], dir, "ksim run ./test $(head -c 300 /dev/zero | tr '\\0' x)", (s) => s.replace(/x{300}/, 'xxx…'));
    } finally {
      if (flags.keep) this.out(`\nThe demo machine is in ${dir}\n`);
      else fs.rmSync(work, { recursive: true, force: true });
    }
    if (failed) process.exit(1);
  }
}

function quote(a: string): string {
  return /^[\w./=-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
