// Kernel modules on a FreeBSD machine: loading a .ko (a kernel-mode ksim image holding one
// DECLARE_MODULE) and running its MOD_LOAD / MOD_UNLOAD, the loaded-module list kept in
// .ksim/modules.json, kldstat's output, and the kld/mod system calls (kldload, kldunload, kldnext,
// kldstat, modfind, modstat).
//
// Persistence across ksim commands: each ksim command boots a fresh kernel, so a module loaded by
// `ksim kldload` must come back in every later command until `ksim reboot`. The record keeps a copy
// of the .ko (in .ksim/modules/) and its ids; at boot each recorded module is mapped again and its
// MOD_LOAD re-run with its console output suppressed, so the module re-derives its own state (the
// sysent slots it took, the entries it saved to restore) exactly as its code does it. Then the
// session puts back kernel memory as the previous command left it (src/machine/kernel-memory.ts):
// the module's variables and what it malloc'd keep their values, as in a kernel that kept running.
// A module whose MOD_LOAD has side effects beyond the kernel (none can have any in ksim) would see
// them repeated; printf output is not repeated.
import type { Host } from '../../host/host.js';
import type { SyscallHandler } from '../handler.js';
import type { Task } from '../task.js';
import { Errno, E } from '../errno.js';
import { argInt } from '../handler.js';
import { loadImage, parseImage } from '../../cc/image.js';
import { AddressSpace } from '../../runtime/memory.js';
import { freebsdStrerror } from '../errno-freebsd.js';
import { FreebsdErrno } from './handlers.js';
import { FE } from './abi.js';
import { MOD_LOAD, MOD_UNLOAD, type FreebsdKernel, type LoadedModule } from './kernel.js';

export interface ModuleRecord {
  fileId: number;
  modId: number;
  name: string;
  fileName: string;
  /** The path it was loaded from, as kldstat -v shows it. */
  path: string;
}

const dec = new TextDecoder();
const enc = new TextEncoder();
export const MODULES_FILE = '.ksim/modules.json';

export function readModuleRecords(host: Host, dir: string): ModuleRecord[] {
  const f = `${dir}/${MODULES_FILE}`;
  if (!host.fs.exists(f)) return [];
  try {
    const r = JSON.parse(dec.decode(host.fs.readFile(f))) as ModuleRecord[];
    return Array.isArray(r) ? r : [];
  } catch {
    return [];
  }
}

export function writeModuleRecords(host: Host, dir: string, recs: ModuleRecord[]): void {
  if (!host.fs.exists(`${dir}/.ksim`)) host.fs.mkdir(`${dir}/.ksim`, true);
  host.fs.writeFile(`${dir}/${MODULES_FILE}.tmp`, JSON.stringify(recs, null, 1) + '\n');
  host.fs.rename(`${dir}/${MODULES_FILE}.tmp`, `${dir}/${MODULES_FILE}`);
}

function storedKo(dir: string, fileName: string): string {
  return `${dir}/.ksim/modules/${fileName}`;
}

/** A throwaway process for module events run outside any syscall (kldload at the command line, boot). */
export function kernelProcess(fb: FreebsdKernel, comm: string, uid = 0): Task {
  const t = fb.kernel.newTask(undefined);
  t.comm = comm;
  t.uid = t.euid = t.suid = uid;
  t.setMemory(new AddressSpace(), 0x7ffffffff000);
  return t;
}

function endProcess(fb: FreebsdKernel, t: Task): void {
  if (t.state !== 'zombie') fb.kernel.exitTask(t, 0);
}

/** Maps a .ko's text as a module of fb. */
export function attachKo(fb: FreebsdKernel, text: string, fileName: string, path: string): LoadedModule | string {
  let json;
  try {
    json = parseImage(text);
  } catch {
    return freebsdStrerror(FE.NOEXEC);
  }
  if (json.mode !== 'kernel' || json.os !== 'freebsd') return freebsdStrerror(FE.NOEXEC);
  const img = loadImage(json, fb.kc.intrinsics as never, fileName);
  return fb.attachModule(img as never, fileName, path);
}

/** The .ko text each loaded module came from, so that a load made by a program can be recorded. */
const koTexts = new WeakMap<LoadedModule, string>();

/** Loads and starts a module; the FreeBSD errno (or a message) when it fails. */
export function loadModule(fb: FreebsdKernel, text: string, fileName: string, path: string, t: Task): LoadedModule | { error: number | string } {
  const m = attachKo(fb, text, fileName, path);
  if (typeof m === 'string') return { error: m };
  koTexts.set(m, text);
  const r = fb.moduleEvent(m, MOD_LOAD, t);
  if (r !== 0) {
    fb.detachModule(m);
    return { error: r === 'died' ? FE.NOEXEC : r };
  }
  return m;
}

/** Stops and unmaps a module; the FreeBSD errno when MOD_UNLOAD refuses. */
export function unloadModule(fb: FreebsdKernel, m: LoadedModule, t: Task): number {
  const r = fb.moduleEvent(m, MOD_UNLOAD, t);
  if (r === 'died') return FE.BUSY;
  if (r !== 0) return r;
  fb.detachModule(m);
  return 0;
}

/** Brings back the modules of earlier `ksim kldload`s, silently (see the top of this file). */
export function replayModules(host: Host, dir: string, fb: FreebsdKernel): void {
  const recs = readModuleRecords(host, dir);
  fb.restoreSlots(readDanglingSlots(host, dir));
  if (!recs.length) return;
  const was = fb.logging;
  fb.logging = false;
  const t = kernelProcess(fb, 'kldload');
  try {
    for (const rec of recs) {
      let text: string;
      try {
        text = dec.decode(host.fs.readFile(storedKo(dir, rec.fileName)));
      } catch {
        continue;
      }
      const m = loadModule(fb, text, rec.fileName, rec.path, t);
      if ('error' in m) continue;
      m.fileId = rec.fileId;
      m.modId = rec.modId;
    }
    fb.resyncIds();
  } finally {
    fb.logging = was;
    endProcess(fb, t);
  }
}

/** Records a module loaded by `ksim kldload` (with a copy of its .ko). */
export function recordModule(host: Host, dir: string, m: LoadedModule, text: string): void {
  const recs = readModuleRecords(host, dir).filter((r) => r.name !== m.name);
  recs.push({ fileId: m.fileId, modId: m.modId, name: m.name, fileName: m.fileName, path: m.path });
  host.fs.mkdir(`${dir}/.ksim/modules`, true);
  host.fs.writeFile(storedKo(dir, m.fileName), text);
  writeModuleRecords(host, dir, recs);
}

export function forgetModule(host: Host, dir: string, m: Pick<LoadedModule, 'name' | 'fileName'>): void {
  writeModuleRecords(host, dir, readModuleRecords(host, dir).filter((r) => r.name !== m.name));
  try {
    host.fs.unlink(storedKo(dir, m.fileName));
  } catch {
    /* already gone */
  }
}

/**
 * sysent slots left pointing into unloaded modules, kept in .ksim/sysent-dangling.json after each
 * `ksim kldload`/`ksim kldunload` so that later commands boot with the same broken table: the
 * next call of such a slot jumps into unmapped memory and panics, as it would on FreeBSD.
 */
const DANGLING_FILE = '.ksim/sysent-dangling.json';

type DanglingSlot = { nr: number; narg: number; call: number; flags: number };

function readDanglingSlots(host: Host, dir: string): DanglingSlot[] {
  const f = `${dir}/${DANGLING_FILE}`;
  if (!host.fs.exists(f)) return [];
  try {
    const r = JSON.parse(dec.decode(host.fs.readFile(f))) as DanglingSlot[];
    return Array.isArray(r) ? r.filter((e) => [e.nr, e.narg, e.call, e.flags].every(Number.isSafeInteger)) : [];
  } catch {
    return [];
  }
}

export function saveDanglingSlots(host: Host, dir: string, fb: FreebsdKernel): void {
  const slots = fb.danglingSlots();
  const f = `${dir}/${DANGLING_FILE}`;
  if (!slots.length) {
    if (host.fs.exists(f)) host.fs.unlink(f);
    return;
  }
  if (!host.fs.exists(`${dir}/.ksim`)) host.fs.mkdir(`${dir}/.ksim`, true);
  host.fs.writeFile(`${f}.tmp`, JSON.stringify(slots) + '\n');
  host.fs.rename(`${f}.tmp`, f);
}

/**
 * Makes the loads and unloads a session's programs made with kldload(2)/kldunload(2) (the machine's
 * /bin/kldload, or any program) last like `ksim kldload`'s: modules loaded since boot are recorded,
 * modules unloaded since boot forgotten, and the sysent they left saved. Only this session's own
 * changes are applied, so another command running at the same time keeps its own.
 */
export function persistModuleChanges(host: Host, dir: string, fb: FreebsdKernel, atBoot: ReadonlySet<string>): void {
  const now = new Set(fb.modules.map((m) => m.name));
  let changed = false;
  for (const m of fb.modules) {
    const text = koTexts.get(m);
    if (atBoot.has(m.name) || text === undefined) continue;
    recordModule(host, dir, m, text);
    changed = true;
  }
  for (const rec of readModuleRecords(host, dir)) {
    if (!atBoot.has(rec.name) || now.has(rec.name)) continue;
    forgetModule(host, dir, rec);
    changed = true;
  }
  if (changed) saveDanglingSlots(host, dir, fb);
}

/** Forgets every loaded module and the sysent they left behind (ksim reboot). */
export function clearModules(host: Host, dir: string): void {
  if (host.fs.exists(`${dir}/${DANGLING_FILE}`)) host.fs.unlink(`${dir}/${DANGLING_FILE}`);
  for (const r of readModuleRecords(host, dir)) {
    try {
      host.fs.unlink(storedKo(dir, r.fileName));
    } catch {
      /* already gone */
    }
  }
  if (host.fs.exists(`${dir}/${MODULES_FILE}`)) host.fs.unlink(`${dir}/${MODULES_FILE}`);
}

const KERNEL_ADDR = 0xffffffff80200000n;
const KERNEL_SIZE = 0x1f3c6c8;

function hexAddr(a: number | bigint): string {
  return '0x' + BigInt.asUintN(64, BigInt(a)).toString(16);
}

/** kldstat(8)'s output. */
export function kldstatText(fb: FreebsdKernel, verbose: boolean, only?: LoadedModule): string {
  const W = 18; // POINTER_WIDTH on LP64
  const out = [`Id Refs Address${' '.repeat(W - 7 - 1)}  ${'Size'.padStart(8)} Name`];
  const line = (id: number, refs: number, addr: number | bigint, size: number, name: string, path: string, mods: { id: number; name: string }[]) => {
    out.push(`${String(id).padStart(2)} ${String(refs).padStart(4)} ${hexAddr(addr).padStart(W)} ${size.toString(16).padStart(8)} ${name}${verbose ? ` (${path})` : ''}`);
    if (verbose) {
      out.push('\tContains modules:', '\t\t Id Name');
      for (const m of mods) out.push(`\t\t${String(m.id).padStart(3)} ${m.name}`);
    }
  };
  if (!only) line(1, 1 + fb.modules.length, KERNEL_ADDR, KERNEL_SIZE, 'kernel', '/boot/kernel/kernel', []);
  for (const m of [...fb.modules].sort((a, b) => a.fileId - b.fileId)) {
    if (only && m !== only) continue;
    line(m.fileId, 1, m.textBase, m.size, m.fileName, m.path, [{ id: m.modId, name: m.name }]);
  }
  return out.join('\n') + '\n';
}

// --- the system calls -----------------------------------------------------------------------

const KLD_FILE_STAT_SIZE = 2080;
const MODULE_STAT_SIZE = 56;

function fbErr(n: number): never {
  throw new FreebsdErrno(n);
}

/** kldload, kldunload, kldnext, kldstat, modfind, modstat; `fb` is resolved at call time. */
export function kldHandlers(fbOf: (() => FreebsdKernel) | null): Record<string, SyscallHandler> {
  const need = () => {
    if (!fbOf) throw new Errno(E.NOSYS);
    return fbOf();
  };
  const byFile = (fb: FreebsdKernel, id: number) => fb.modules.find((m) => m.fileId === id);
  return {
    kldload: (ctx, a) => {
      const fb = need();
      if (ctx.task.euid !== 0) fbErr(FE.PERM);
      const path = dec.decode(ctx.user.readString(a[0]!, 1024));
      const exec = (ctx.kernel as unknown as { exec?: { readFileForKernel?(t: Task, p: string): { bytes: Uint8Array; path: string } | number } }).exec;
      const file = exec?.readFileForKernel?.(ctx.task, path);
      if (!file || typeof file === 'number') throw new Errno(typeof file === 'number' ? file : E.NOENT);
      const m = loadModule(fb, dec.decode(file.bytes), file.path.replace(/^.*\//, ''), file.path, ctx.task);
      // A module of that name already loaded is EEXIST; any other reason it cannot be linked, ENOEXEC.
      if ('error' in m) fbErr(typeof m.error === 'number' ? m.error : m.error === freebsdStrerror(FE.EXIST) ? FE.EXIST : FE.NOEXEC);
      return m.fileId;
    },
    kldunload: (ctx, a) => {
      const fb = need();
      if (ctx.task.euid !== 0) fbErr(FE.PERM);
      const m = byFile(fb, argInt(a[0]!));
      if (!m) fbErr(FE.NOENT);
      const r = unloadModule(fb, m, ctx.task);
      if (r) fbErr(r);
      return 0;
    },
    kldnext: (ctx, a) => {
      const fb = need();
      const id = argInt(a[0]!);
      const ids = [1, ...fb.modules.map((m) => m.fileId).sort((x, y) => x - y)];
      if (id === 0) return 1;
      const i = ids.indexOf(id);
      if (i < 0) fbErr(FE.NOENT);
      return ids[i + 1] ?? 0;
    },
    kldstat: (ctx, a) => {
      const fb = need();
      const id = argInt(a[0]!);
      const head = ctx.user.read(a[1]!, 4);
      const version = new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true);
      if (version !== KLD_FILE_STAT_SIZE) fbErr(FE.INVAL);
      const m = id === 1 ? undefined : byFile(fb, id);
      if (id !== 1 && !m) fbErr(FE.NOENT);
      const out = new Uint8Array(KLD_FILE_STAT_SIZE);
      const dv = new DataView(out.buffer);
      dv.setInt32(0, KLD_FILE_STAT_SIZE, true);
      out.set(enc.encode(m ? m.fileName : 'kernel').subarray(0, 1023), 4);
      dv.setInt32(1028, m ? 1 : 1 + fb.modules.length, true);
      dv.setInt32(1032, id, true);
      dv.setBigUint64(1040, m ? BigInt.asUintN(64, BigInt(m.textBase)) : KERNEL_ADDR, true);
      dv.setBigUint64(1048, BigInt(m ? m.size : KERNEL_SIZE), true);
      out.set(enc.encode(m ? m.path : '/boot/kernel/kernel').subarray(0, 1023), 1056);
      ctx.user.write(a[1]!, out);
      return 0;
    },
    modfind: (ctx, a) => {
      const fb = need();
      const name = dec.decode(ctx.user.readString(a[0]!, 32));
      const m = fb.modules.find((x) => x.name === name);
      if (!m) fbErr(FE.NOENT);
      return m.modId;
    },
    modstat: (ctx, a) => {
      const fb = need();
      const id = argInt(a[0]!);
      const m = fb.modules.find((x) => x.modId === id);
      if (!m) fbErr(FE.NOENT);
      const head = ctx.user.read(a[1]!, 4);
      if (new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true) !== MODULE_STAT_SIZE) fbErr(FE.INVAL);
      const out = new Uint8Array(MODULE_STAT_SIZE);
      const dv = new DataView(out.buffer);
      dv.setInt32(0, MODULE_STAT_SIZE, true);
      out.set(enc.encode(m.name).subarray(0, 31), 4);
      dv.setInt32(36, 1, true);
      dv.setInt32(40, m.modId, true);
      ctx.user.write(a[1]!, out);
      return 0;
    },
  };
}
