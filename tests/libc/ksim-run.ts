// ksim-run.ts: builds C programs with ksim's own compiler against ksim's libc and runs them on ksim's
// runtime (src/cc, src/runtime), for the libc tests. Until `ksim run` is wired to the kernel, the
// few Linux x86_64 system calls these test programs make are answered here: write, read (end of
// file), fstat (stdout is a pipe), ioctl (not a terminal), brk, mmap, munmap, the signal-mask calls,
// getpid/gettid, exit and exit_group. Anything else fails with ENOSYS.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileC, linkProgram, type CompileOptions } from '../../src/cc/compile.js';
import type { CObject } from '../../src/cc/link.js';
import { formatDiagnostics } from '../../src/cc/diagnostics.js';
import { parseC as frontend } from '../../src/cc/frontend.js';
import { loadImage } from '../../src/cc/image.js';
import { Cpu } from '../../src/runtime/cpu.js';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../src/runtime/memory.js';
import { userIntrinsics } from '../../src/runtime/user-intrinsics.js';
import { repoRoot, programsDir } from './host-build.js';

const includeDir = join(repoRoot, 'include');
const libcDir = join(repoRoot, 'libc');

const options: CompileOptions = {
  target: { arch: 'x86_64', os: 'linux' },
  mode: 'user',
  parse: (file, text) => {
    const r = frontend(file, {
      readFile: (p) => (p === file ? text : existsSync(p) ? readFileSync(p, 'utf8') : undefined),
      includeDirs: [includeDir],
      predefined: { __x86_64__: '1', __linux__: '1' },
    });
    return { unit: r.unit, diagnostics: r.diagnostics };
  },
};

function compileFiles(files: string[]): CObject[] {
  const r = compileC(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })), options);
  if (!r.objects) throw new Error(`ksim cc failed:\n${formatDiagnostics(r.diagnostics)}`);
  return r.objects;
}

/** Compiles the whole libc with ksim's cc (once per test file). */
export function compileLibc(): CObject[] {
  return compileFiles(readdirSync(libcDir).filter((f) => f.endsWith('.c')).map((f) => join(libcDir, f)));
}

export interface KsimRun {
  /** Everything written to fd 1 and 2, in order. */
  output: string;
  exitStatus: number | null;
  fault?: string;
}

const STACK_TOP = 0x7ffffffff000;
const STACK_SIZE = 8 << 20;
const MMAP_TOP = 0x7f0000000000;
const PAGE = 4096;
const ENOSYS = 38;
const ENOTTY = 25;

const pageUp = (n: number) => Math.ceil(n / PAGE) * PAGE;

/** Links programs/<name>.c with the libc objects and runs it as `test` with an empty stdin. */
export function runOnKsim(libc: CObject[], name: string): KsimRun {
  const program = compileFiles([join(programsDir, name + '.c')]);
  const linked = linkProgram([...libc, ...program], { entry: '_start' });
  if (!linked.text) throw new Error(`ksim link failed:\n${formatDiagnostics(linked.diagnostics)}`);
  const image = loadImage(linked.text, userIntrinsics as never);

  const mem = new AddressSpace();
  for (const s of image.segments) {
    mem.map(s.addr, Math.max(s.size, 1), PROT_READ | PROT_WRITE, s.name);
    if (s.bytes.length) mem.write(s.addr, s.bytes);
  }
  mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE, '[stack]');
  const sp = layOutStack(mem, ['test'], ['PATH=/bin:/usr/bin', 'HOME=/nonexistent-home']);
  const cpu = new Cpu(mem, { sp: sp - 256, stackLimit: STACK_TOP - STACK_SIZE + PAGE, lookup: (a) => image.lookup(a) });
  cpu.start(image.entry, [sp]);

  let brk = image.brkStart;
  let mmapNext = MMAP_TOP;
  let output = '';
  const latin1 = new TextDecoder('latin1');
  for (;;) {
    cpu.budget = 1_000_000;
    const why = cpu.run();
    if (why === 'yield') continue;
    if (why === 'exit') return { output, exitStatus: Number(cpu.rv ?? 0) | 0 };
    if (why === 'fault') return { output, exitStatus: null, fault: `${cpu.fault!.signal} ${cpu.fault!.message}` };
    const a = cpu.trapArgs.map((v) => Number(v));
    let rv: number;
    switch (cpu.trapNr) {
      case 0: // read: stdin is empty
        rv = 0;
        break;
      case 1: // write
        output += latin1.decode(mem.read(a[1]!, a[2]!));
        rv = a[2]!;
        break;
      case 5: // fstat: a pipe, st_blksize 4096
        mem.fill(a[1]!, 0, 144);
        mem.w32(a[1]! + 24, 0o010600);
        mem.w64(a[1]! + 56, PAGE);
        rv = 0;
        break;
      case 9: {
        // mmap (anonymous only)
        const len = pageUp(a[1]!);
        mmapNext -= len;
        mem.map(mmapNext, len, PROT_READ | PROT_WRITE, 'anon');
        rv = mmapNext;
        break;
      }
      case 11: // munmap
        mem.unmap(a[0]!, pageUp(a[1]!));
        rv = 0;
        break;
      case 12: // brk
        if (a[0]! > brk) {
          if (pageUp(a[0]!) > pageUp(brk)) mem.map(pageUp(brk), pageUp(a[0]!) - pageUp(brk), PROT_READ | PROT_WRITE, '[heap]');
          brk = a[0]!;
        }
        rv = brk;
        break;
      case 13: // rt_sigaction
      case 14: // rt_sigprocmask
        rv = 0;
        break;
      case 16: // ioctl: no terminal here
        rv = -ENOTTY;
        break;
      case 39: // getpid
      case 186: // gettid
        rv = 1;
        break;
      case 60: // exit
      case 231: // exit_group
        return { output, exitStatus: a[0]! & 0xff };
      default:
        rv = -ENOSYS;
    }
    cpu.rv = rv;
  }
}

/** Writes argc, argv, envp and an empty auxv below the stack top (x86_64 layout); returns sp. */
function layOutStack(mem: AddressSpace, argv: string[], envp: string[]): number {
  const encoder = new TextEncoder();
  let strings = STACK_TOP - PAGE;
  const address = (s: string) => {
    const bytes = encoder.encode(s + '\0');
    const at = strings;
    mem.write(at, bytes);
    strings += bytes.length;
    return at;
  };
  const words = [argv.length, ...argv.map(address), 0, ...envp.map(address), 0, 0, 0];
  const sp = STACK_TOP - 2 * PAGE;
  words.forEach((w, i) => mem.w64(sp + 8 * i, w));
  return sp;
}
