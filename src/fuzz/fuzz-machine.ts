// The machine the syscall fuzzer runs on: an in-memory host (no host files are mounted, so fuzzed
// unlink/rename/open calls cannot touch the user's disk), the stock kernel plus a custom row (a
// kernel C syscall; numbers past the table are fuzzed too), and the fuzzee program compiled
// once. Host-side glue for `ksim fuzz` and the tests; the fuzzer itself is src/fuzz/syscalls.ts.
import { memoryHost } from '../host/memory-fs.js';
import { bootMachine, type Machine } from '../machine/boot.js';
import { buildMachine, type BuiltKernel } from '../machine/build.js';
import { initMachine } from '../machine/init.js';
import type { MachineConfig } from '../machine/config.js';
import { BufferConsole, type Console } from '../kernel/console.js';
import { VirtualClock } from '../kernel/clock.js';
import { compileKernel, compileProgram, loadExecutable, loadKernelImage } from '../toolchain/cc.js';
import { nodeSysroot } from '../toolchain/node-sysroot.js';
import { linuxSignature } from '../kernel/linux/signatures.js';
import { formatDiagnostics } from '../cc/diagnostics.js';
import { tblPath } from '../machine/tbl.js';
import { FUZZEE_PATH, FUZZEE_SOURCE } from './syscalls.js';

/** A custom syscall in kernel C, so the fuzzer reaches kernel C handlers and their copy helpers. */
export const FUZZ_KERNEL_C = `#include <linux/kernel.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>

SYSCALL_DEFINE2(fuzz_echo, const char __user *, msg, int, len)
{
\tchar buf[64];
\tlong n;
\tif (len < 0 || len > 63)
\t\treturn -EINVAL;
\tn = strncpy_from_user(buf, msg, len + 1);
\tif (n < 0)
\t\treturn n;
\tprintk(KERN_INFO "fuzz_echo: %s\\n", buf);
\treturn n;
}
`;

/** Output is thrown away: a fuzzer writes a lot to fds 1 and 2. */
class NullConsole extends BufferConsole implements Console {
  override write(): void {}
}


/** Builds the fuzz machine once; the returned function boots a fresh copy of it. */
export function fuzzMachineFactory(): () => Machine {
  const sys = nodeSysroot();
  const host = memoryHost({ cwd: '/work' });
  host.fs.mkdir('/work', true);
  const dir = '/work/m';
  const config: MachineConfig = initMachine(host, dir, {});
  host.fs.appendFile(`${dir}/${tblPath('x86_64')}`, '548\tcommon\tfuzz_echo\tsys_fuzz_echo\n');
  host.fs.writeFile(`${dir}/kernel/fuzz.c`, FUZZ_KERNEL_C);
  const r = buildMachine(host, dir, config, {
    compile: (files, cfg) => {
      const k = compileKernel(files, { arch: cfg.arch, os: cfg.os }, sys);
      return { image: k.image, functions: k.functions, diagnostics: k.diagnostics };
    },
  });
  if (!r.built) throw new Error(`fuzz machine: kernel build failed:\n${formatDiagnostics(r.diagnostics, (f) => r.sources.get(f))}`);
  const built: BuiltKernel = r.built;
  const files: Record<string, string> = { '/src/fuzzee.c': FUZZEE_SOURCE };
  const prog = compileProgram(['/src/fuzzee.c'], (p) => files[p] ?? sys.readFile(p), sys, { target: { arch: 'x86_64', os: 'linux' }, machineIncludeDirs: [] });
  if (!prog.image) throw new Error(formatDiagnostics(prog.diagnostics, (f) => files[f] ?? prog.sources.get(f)));
  const image = prog.image;
  return () => {
    const m = bootMachine({
      host,
      config,
      built,
      console: new NullConsole(),
      clock: new VirtualClock(1_000_000_000),
      images: { loadExecutable, loadKernel: loadKernelImage, signature: linuxSignature },
      firstPid: 100,
      randomSeed: 1,
      limits: { memPages: (64 * 1024 * 1024) / 4096, nproc: 16 },
    });
    m.vfs.writeFile(FUZZEE_PATH, image, 0o755);
    return m;
  };
}
