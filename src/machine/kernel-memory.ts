// Kernel memory across ksim commands. Each command boots the machine's kernel anew, but a real
// kernel keeps its memory until it reboots: a syscall's static counter goes on counting, a list
// kmalloc'd by one call is there at the next. So when a command ends, the kernel C image's data
// and bss and the kernel heap are saved in .ksim/kmem.json, and the next command booting the
// same kernel image (same boot: `ksim reboot` starts afresh; a rebuilt kernel image too) puts
// them back before anything runs. Commands running at the same time each start from the memory
// saved last, and the one ending last is kept. Linux machines' kernel C only (FreeBSD modules run
// MOD_LOAD at every command, see src/kernel/freebsd/kld.ts).
import type { Host } from '../host/host.js';
import type { KernelC, KernelMemorySnapshot } from '../kernel/kc/kernel-c.js';
import { stateDir } from './state.js';

const FILE = 'kmem.json';

interface SavedMemory {
  version: 1;
  bootId: string;
  /** Hash of the kernel image text the memory belongs to. */
  image: string;
  segments: { addr: number; bytes: string }[];
  heap: { next: number; blocks: [number, number][]; free: [number, number][]; bytes: string };
}

/** FNV-1a over a string's UTF-16 code units, as 8 hex digits (identifies a kernel image). */
export function imageFingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(16).padStart(8, '0')}-${text.length}`;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Saves the kernel's memory for the next command of the same boot (nothing without kernel C). */
export function saveKernelMemory(host: Host, dir: string, kc: KernelC, bootId: string, imageText: string): void {
  const snap = kc.snapshotMemory();
  if (!snap) return;
  const saved: SavedMemory = {
    version: 1,
    bootId,
    image: imageFingerprint(imageText),
    segments: snap.segments.map((s) => ({ addr: s.addr, bytes: toBase64(s.bytes) })),
    heap: { next: snap.heap.next, blocks: snap.heap.blocks, free: snap.heap.free, bytes: toBase64(snap.heap.bytes) },
  };
  // Written beside and renamed over: a command killed while saving leaves the previous memory.
  const file = `${stateDir(dir)}/${FILE}`;
  host.fs.writeFile(`${file}.tmp`, JSON.stringify(saved) + '\n');
  host.fs.rename(`${file}.tmp`, file);
}

/**
 * Puts back the memory an earlier command of this boot saved for this kernel image; false when
 * there is none (first command since boot, another image, or an unreadable file).
 */
export function restoreKernelMemory(host: Host, dir: string, kc: KernelC, bootId: string, imageText: string): boolean {
  const file = `${stateDir(dir)}/${FILE}`;
  if (!kc.loaded || !host.fs.exists(file)) return false;
  let saved: SavedMemory;
  try {
    saved = JSON.parse(new TextDecoder().decode(host.fs.readFile(file))) as SavedMemory;
  } catch {
    return false;
  }
  if (saved.version !== 1 || saved.bootId !== bootId || saved.image !== imageFingerprint(imageText)) return false;
  const snap: KernelMemorySnapshot = {
    segments: saved.segments.map((s) => ({ addr: s.addr, bytes: fromBase64(s.bytes) })),
    heap: { next: saved.heap.next, blocks: saved.heap.blocks, free: saved.heap.free, bytes: fromBase64(saved.heap.bytes) },
  };
  kc.restoreMemory(snap);
  return true;
}

/** The file's name in .ksim/, for `ksim reboot` to remove. */
export const KERNEL_MEMORY_FILE = FILE;
