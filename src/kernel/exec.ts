// execve's loader: maps an executable image into a fresh address space and lays out the initial
// stack as the x86_64 System V ABI describes it (argc, argv, envp, auxv, strings at the top), then
// starts the image's entry function with the stack pointer as its argument.
import { AddressSpace, PROT_READ, PROT_WRITE, PAGE_SIZE, roundUp } from '../runtime/memory.js';
import { Cpu, type CFunction } from '../runtime/cpu.js';
import type { Task } from './task.js';

export interface ExecSegment {
  addr: number;
  size: number;
  bytes: Uint8Array;
  prot: number;
  name: string;
}

/** A loaded executable: what the kernel needs to start it. */
export interface ExecImage {
  name: string;
  entry: CFunction;
  lookup(addr: number): CFunction | undefined;
  segments: ExecSegment[];
  /** Where the heap (brk) starts: the page after bss. */
  brkStart: number;
  /** The address of `environ` etc. are the image's business; the kernel only lays out the stack. */
}

/** Loads an executable's bytes; returns an errno (ENOEXEC) for anything it does not recognise. */
export type ImageLoader = (bytes: Uint8Array, path: string) => ExecImage | number;

export const STACK_TOP = 0x7ffffffff000;
export const STACK_LIMIT = 8 * 1024 * 1024;
export const MMAP_BASE = 0x7f0000000000;

const AT = { NULL: 0, PHDR: 3, PAGESZ: 6, ENTRY: 9, UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, EXECFN: 31 };

/** Builds the new address space and CPU for task t running image. */
export function setupImage(t: Task, image: ExecImage, argv: Uint8Array[], envp: Uint8Array[], execfn: Uint8Array, random: Uint8Array, pageLimit: number): Cpu {
  const mm = new AddressSpace();
  mm.pageLimit = pageLimit;
  for (const s of image.segments) {
    mm.map(s.addr, Math.max(s.size, 1), s.prot | PROT_WRITE, s.name);
    if (s.bytes.length) mm.write(s.addr, s.bytes);
    if (!(s.prot & PROT_WRITE)) mm.protect(s.addr, Math.max(s.size, 1), s.prot);
  }
  // The stack: 8 MiB reserved below STACK_TOP, with a guard page beneath.
  const stackBottom = STACK_TOP - STACK_LIMIT;
  mm.map(stackBottom, STACK_LIMIT, PROT_READ | PROT_WRITE, '[stack]');
  t.setMemory(mm, STACK_TOP);

  // Strings at the top: execfn, then envp and argv strings, then platform and the random bytes.
  let p = STACK_TOP - 8;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length + 1;
    mm.write(p, bytes);
    mm.w8(p + bytes.length, 0);
    return p;
  };
  const execfnAddr = put(execfn);
  const envAddrs = envp.map(put).reverse().reverse();
  const argAddrs = argv.map(put);
  const platformAddr = put(new TextEncoder().encode('x86_64'));
  p -= 16;
  mm.write(p, random);
  const randomAddr = p;
  p = Math.floor(p / 16) * 16;

  const auxv: [number, number][] = [
    [AT.HWCAP, 0x178bfbff], [AT.PAGESZ, PAGE_SIZE], [AT.CLKTCK, 100], [AT.ENTRY, image.entry.addr],
    [AT.UID, t.uid], [AT.EUID, t.euid], [AT.GID, t.gid], [AT.EGID, t.egid], [AT.SECURE, 0],
    [AT.RANDOM, randomAddr], [AT.EXECFN, execfnAddr], [AT.PLATFORM, platformAddr], [AT.NULL, 0],
  ];
  const words = 1 + argAddrs.length + 1 + envAddrs.length + 1 + auxv.length * 2;
  let sp = p - words * 8;
  sp = Math.floor(sp / 16) * 16;
  let w = sp;
  const word = (v: number) => {
    mm.w64(w, v);
    w += 8;
  };
  word(argv.length);
  for (const a of argAddrs) word(a);
  word(0);
  for (const e of envAddrs) word(e);
  word(0);
  for (const [k, v] of auxv) {
    word(k);
    word(v);
  }

  const brk = roundUp(image.brkStart);
  t.brkStart = brk;
  t.brk = brk;
  const cpu = new Cpu(mm, { sp, stackLimit: stackBottom + PAGE_SIZE, lookup: (a) => image.lookup(a) });
  cpu.context = t;
  cpu.start(image.entry, [sp]);
  return cpu;
}
