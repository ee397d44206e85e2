// Kernel memory across ksim commands. Each command boots the machine's kernel anew, but a real
// kernel keeps its memory until it reboots: a syscall's static counter goes on counting, a list
// kmalloc'd by one call is there at the next, a loaded module's variables keep their values. So
// when a command ends, the writable segments of the kernel C image and of the loaded modules, and
// the kernel heap, are saved in .ksim/kmem.json; the next command of the same boot that has the
// very same images loaded (the kernel image of the last `ksim build`, the modules `ksim kldload`
// left loaded, replayed at boot) puts them back before any process runs. `ksim reboot` forgets
// them; a rebuilt kernel image or a different set of modules starts from fresh memory. Commands
// running at the same time each start from the memory saved last, and the one ending last is kept.
import type { Host } from '../host/host.js';
import type { KernelC, KernelMemorySnapshot } from '../kernel/kc/kernel-c.js';
import { stateDir } from './state.js';

export const KERNEL_MEMORY_FILE = 'kmem.json';

/** State outside kernel memory that belongs with it (FreeBSD's malloc(9) accounting). */
export interface KernelMemoryExtra {
  save(): unknown;
  restore(saved: unknown): void;
}

interface SavedMemory {
  version: 2;
  bootId: string;
  images: { key: string; segments: { addr: number; bytes: string }[] }[];
  heap: { next: number; blocks: [number, number][]; free: [number, number][]; bytes: string };
  extra?: unknown;
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

/** Saves the kernel's memory for the next command of the same boot; without kernel C or modules, removes any. */
export function saveKernelMemory(host: Host, dir: string, kc: KernelC, bootId: string, extra?: KernelMemoryExtra): void {
  const file = `${stateDir(dir)}/${KERNEL_MEMORY_FILE}`;
  const snap = kc.snapshotMemory();
  if (!snap) {
    if (host.fs.exists(file)) host.fs.unlink(file);
    return;
  }
  const saved: SavedMemory = {
    version: 2,
    bootId,
    images: snap.images.map((img) => ({ key: img.key, segments: img.segments.map((s) => ({ addr: s.addr, bytes: toBase64(s.bytes) })) })),
    heap: { next: snap.heap.next, blocks: snap.heap.blocks, free: snap.heap.free, bytes: toBase64(snap.heap.bytes) },
    ...(extra ? { extra: extra.save() } : {}),
  };
  // Written beside and renamed over: a command killed while saving leaves the previous memory.
  host.fs.writeFile(`${file}.tmp`, JSON.stringify(saved) + '\n');
  host.fs.rename(`${file}.tmp`, file);
}

/**
 * Puts back the memory an earlier command of this boot saved with the same images loaded; false
 * when there is none (first command since boot, other images, an unreadable file).
 */
export function restoreKernelMemory(host: Host, dir: string, kc: KernelC, bootId: string, extra?: KernelMemoryExtra): boolean {
  const file = `${stateDir(dir)}/${KERNEL_MEMORY_FILE}`;
  if (!host.fs.exists(file)) return false;
  let saved: SavedMemory;
  try {
    saved = JSON.parse(new TextDecoder().decode(host.fs.readFile(file))) as SavedMemory;
  } catch {
    return false;
  }
  if (saved.version !== 2 || saved.bootId !== bootId) return false;
  const snap: KernelMemorySnapshot = {
    images: saved.images.map((img) => ({ key: img.key, segments: img.segments.map((s) => ({ addr: s.addr, bytes: fromBase64(s.bytes) })) })),
    heap: { next: saved.heap.next, blocks: saved.heap.blocks, free: saved.heap.free, bytes: fromBase64(saved.heap.bytes) },
  };
  if (!kc.restoreMemory(snap)) return false;
  if (extra && saved.extra !== undefined) extra.restore(saved.extra);
  return true;
}
