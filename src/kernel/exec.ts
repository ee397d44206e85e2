// execve's loader: maps an executable image into a fresh address space and lays out the initial
// stack as the x86_64 System V ABI describes it (argc, argv, envp, auxv, strings at the top), then
// starts the image's entry function with the stack pointer as its argument. i386 images get the
// i386 ABI's stack: 4-byte words, below 0xc0000000 (a 3G/1G split), a 32-bit TASK_SIZE.
import { AddressSpace, PROT_READ, PROT_WRITE, PAGE_SIZE, roundUp } from '../runtime/memory.js';
import { Cpu, type CFunction } from '../runtime/cpu.js';
import type { Task } from './task.js';
import { TASK_SIZE_32, TASK_SIZE_64 } from './uaccess.js';

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
  /** The image's architecture; i386 images get a 32-bit address space and stack layout. */
  arch?: 'x86_64' | 'i386';
  /** The address of `environ` etc. are the image's business; the kernel only lays out the stack. */
}

/** Loads an executable's bytes; returns an errno (ENOEXEC) for anything it does not recognise. */
export type ImageLoader = (bytes: Uint8Array, path: string) => ExecImage | number;

export const STACK_TOP = 0x7ffffffff000;
export const STACK_LIMIT = 8 * 1024 * 1024;
export const MMAP_BASE = 0x7f0000000000;
/** i386: the stack starts below 0xc0000000 (the kernel owns the top gigabyte), mmap below 0xb8000000. */
export const STACK_TOP_32 = 0xc0000000;
export const MMAP_BASE_32 = 0xb8000000;

const AT = { NULL: 0, PHDR: 3, PAGESZ: 6, ENTRY: 9, UID: 11, EUID: 12, GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, EXECFN: 31 };

/** Builds the new address space and CPU for task t running image. */
export function setupImage(t: Task, image: ExecImage, argv: Uint8Array[], envp: Uint8Array[], execfn: Uint8Array, random: Uint8Array, pageLimit: number): Cpu {
  const i386 = image.arch === 'i386';
  const top = i386 ? STACK_TOP_32 : STACK_TOP;
  const wordSize = i386 ? 4 : 8;
  const mm = new AddressSpace();
  mm.pageLimit = pageLimit;
  for (const s of image.segments) {
    mm.map(s.addr, Math.max(s.size, 1), s.prot | PROT_WRITE, s.name);
    if (s.bytes.length) mm.write(s.addr, s.bytes);
    if (!(s.prot & PROT_WRITE)) mm.protect(s.addr, Math.max(s.size, 1), s.prot);
  }
  // The stack: 8 MiB reserved below STACK_TOP, with a guard page beneath.
  const stackBottom = top - STACK_LIMIT;
  mm.map(stackBottom, STACK_LIMIT, PROT_READ | PROT_WRITE, '[stack]');
  t.setMemory(mm, i386 ? TASK_SIZE_32 : STACK_TOP);

  // Strings at the top: execfn, then envp and argv strings, then platform and the random bytes.
  let p = top - wordSize;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length + 1;
    mm.write(p, bytes);
    mm.w8(p + bytes.length, 0);
    return p;
  };
  const execfnAddr = put(execfn);
  const envAddrs = envp.map(put).reverse().reverse();
  const argAddrs = argv.map(put);
  const platformAddr = put(new TextEncoder().encode(i386 ? 'i686' : 'x86_64'));
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
  let sp = p - words * wordSize;
  sp = Math.floor(sp / 16) * 16;
  let w = sp;
  const word = (v: number) => {
    if (i386) mm.w32(w, v);
    else mm.w64(w, v);
    w += wordSize;
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

const bootstrapEncoder = new TextEncoder();

/**
 * Gives a task that has no image yet (the first process of a run, a tracer's child) a small address
 * space holding execve's path, argv and envp, as a forked shell's memory would; returns the execve
 * arguments that point at them. On an i386 machine that shell is a 32-bit process: its strings sit
 * below 0xc0000000 and its argv/envp are arrays of 4-byte pointers.
 */
export function bootstrapExec(t: Task, path: string, argv: string[], envp: string[], i386 = false): [number, number, number, number, number, number] {
  const mm = new AddressSpace();
  const base = i386 ? 0xbf000000 : 0x7ffc00000000;
  const word = i386 ? 4 : 8;
  const bytes = (s: string) => bootstrapEncoder.encode(s);
  let size = 0x1000 + bytes(path).length + 16 * (argv.length + envp.length + 2);
  for (const s of [...argv, ...envp]) size += bytes(s).length + 1;
  mm.map(base, roundUp(size), PROT_READ | PROT_WRITE, '[bootstrap]');
  let p = base;
  const putStr = (s: string) => {
    const b = bytes(s);
    mm.write(p, b);
    mm.w8(p + b.length, 0);
    const a = p;
    p += b.length + 1;
    return a;
  };
  const pathAddr = putStr(path);
  const argAddrs = argv.map(putStr);
  const envAddrs = envp.map(putStr);
  p = Math.ceil(p / 8) * 8;
  const vec = (addrs: number[]) => {
    const a = p;
    for (const x of [...addrs, 0]) {
      if (word === 4) mm.w32(p, x);
      else mm.w64(p, x);
      p += word;
    }
    return a;
  };
  const argvAddr = vec(argAddrs);
  const envAddr = vec(envAddrs);
  t.setMemory(mm, i386 ? TASK_SIZE_32 : TASK_SIZE_64);
  return [pathAddr, argvAddr, envAddr, 0, 0, 0];
}
