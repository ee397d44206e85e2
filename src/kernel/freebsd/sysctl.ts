// FreeBSD's sysctl(3) system calls on ksim's FreeBSD machines: __sysctl (a MIB of integers, with
// sysctl.name2oid {0, 3} turning a name into its MIB, as sysctlnametomib(3) does) and
// __sysctlbyname (570, what FreeBSD 13+'s sysctlbyname(3) calls). The nodes are the strings
// uname(3) reads (kern.ostype, kern.osrelease, kern.version, kern.hostname, hw.machine) and the
// kernel message buffer dmesg(8) reads: kern.msgbuf (the log as msgbuf(9) keeps it: kernel printf
// lines as they are, log(9) lines after `<priority>`, then a NUL) and kern.msgbuf_clear (writing
// 1 clears it, root only). Other names are ENOENT, as for an unknown OID.
import type { SyscallContext } from '../context.js';
import type { Int64 } from '../events.js';
import { argInt, argPtr, type SyscallHandler } from '../handler.js';
import { E, Errno } from '../errno.js';
import { LOG_KERN, LOG_NEWLINE, LOG_NOLEVEL, type LogRecord } from '../log.js';
import { messageBuffer } from '../syscalls/syslog.js';

const CTL_SYSCTL = 0;
const CTL_SYSCTL_NAME2OID = 3;
const CTL_KERN = 1;
const CTL_HW = 6;
/** The first number FreeBSD gives OID_AUTO nodes; kern.msgbuf and kern.msgbuf_clear are OID_AUTO. */
const CTL_AUTO_START = 0x100;
const CTL_MAXNAME = 24;

const enc = new TextEncoder();
const dec = new TextDecoder();

interface SysctlNode {
  name: string;
  mib: number[];
  /** The value read (oldp). */
  read(ctx: SyscallContext): Uint8Array;
  /** Writes newp; nodes without it are read-only (EPERM). */
  write?(ctx: SyscallContext, value: Uint8Array): void;
}

const str = (s: string) => enc.encode(s + '\0');

function int32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

/** The message buffer's bytes: the newest whole lines that fit in its size, then msgbuf's NUL. */
export function msgbufText(records: readonly LogRecord[], capacityBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    // printf(9) writes text as it is; log(9) (a priority, or another facility) starts its line with <pri>.
    const prefix = r.flags & LOG_NOLEVEL && r.facility === LOG_KERN ? '' : `<${(r.facility << 3) | r.level}>`;
    const b = enc.encode(prefix + r.text + (r.flags & LOG_NEWLINE ? '\n' : ''));
    if (total + b.length > capacityBytes) break;
    parts.unshift(b);
    total += b.length;
  }
  const out = new Uint8Array(total + 1);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const NODES: SysctlNode[] = [
  { name: 'kern.ostype', mib: [CTL_KERN, 1], read: () => str('FreeBSD') },
  { name: 'kern.osrelease', mib: [CTL_KERN, 2], read: (ctx) => str(`${ctx.kernel.identity.release}${ctx.kernel.identity.localversion}`) },
  // Without kern.version's newline: ksim's uname(3) does not strip it.
  { name: 'kern.version', mib: [CTL_KERN, 4], read: (ctx) => str(`FreeBSD ${ctx.kernel.identity.release}${ctx.kernel.identity.localversion} ${ctx.kernel.identity.version}`) },
  { name: 'kern.hostname', mib: [CTL_KERN, 10], read: (ctx) => str(ctx.kernel.identity.hostname) },
  { name: 'hw.machine', mib: [CTL_HW, 1], read: () => str('amd64') },
  {
    name: 'kern.msgbuf',
    mib: [CTL_KERN, CTL_AUTO_START],
    read: (ctx) => {
      const mb = messageBuffer(ctx.kernel);
      if (!mb) throw new Errno(E.NOENT);
      return msgbufText(mb.records(), mb.capacityBytes);
    },
  },
  {
    name: 'kern.msgbuf_clear',
    mib: [CTL_KERN, CTL_AUTO_START + 1],
    read: () => int32(0),
    write: (ctx, value) => {
      if (value.length !== 4) throw new Errno(E.INVAL);
      const mb = messageBuffer(ctx.kernel);
      if (!mb) throw new Errno(E.NOENT);
      if (new DataView(value.buffer, value.byteOffset, 4).getInt32(0, true) !== 0) mb.clear();
    },
  },
];

function readLen(ctx: SyscallContext, p: Int64): number {
  const b = ctx.user.read(p, 8);
  return Number(new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true));
}

function writeLen(ctx: SyscallContext, p: Int64, n: number): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  ctx.user.write(p, b);
}

/** SYSCTL_OUT: copies what fits in *oldlenp (ENOMEM when short); with no oldp, *oldlenp gets the size. */
function output(ctx: SyscallContext, value: Uint8Array, oldp: Int64, oldlenp: Int64): void {
  if (argPtr(oldp) !== 0) {
    const room = argPtr(oldlenp) !== 0 ? readLen(ctx, oldlenp) : 0;
    const n = Math.min(room, value.length);
    ctx.user.write(oldp, value.subarray(0, n));
    if (argPtr(oldlenp) !== 0) writeLen(ctx, oldlenp, n);
    if (room < value.length) throw new Errno(E.NOMEM);
    return;
  }
  if (argPtr(oldlenp) !== 0) writeLen(ctx, oldlenp, value.length);
}

/** Reads the node into oldp and writes newp into it (root only), as sysctl_root does. */
function access(ctx: SyscallContext, node: SysctlNode, oldp: Int64, oldlenp: Int64, newp: Int64, newlen: number): number {
  if (argPtr(newp) !== 0 && !node.write) throw new Errno(E.PERM);
  if (argPtr(newp) !== 0 && ctx.task.euid !== 0) throw new Errno(E.PERM);
  if (argPtr(oldp) !== 0 || argPtr(oldlenp) !== 0) output(ctx, node.read(ctx), oldp, oldlenp);
  if (argPtr(newp) !== 0) node.write!(ctx, ctx.user.read(newp, newlen));
  return 0;
}

export const sysctlHandlers: Record<string, SyscallHandler> = {
  __sysctl: (ctx, a) => {
    const namelen = argInt(a[1]!) >>> 0;
    if (namelen < 2 || namelen > CTL_MAXNAME) throw new Errno(E.INVAL);
    const mibBytes = ctx.user.read(a[0]!, namelen * 4);
    const view = new DataView(mibBytes.buffer, mibBytes.byteOffset);
    const mib = Array.from({ length: namelen }, (_, i) => view.getInt32(i * 4, true));
    const newlen = argInt(a[5]!) >>> 0;
    if (namelen === 2 && mib[0] === CTL_SYSCTL && mib[1] === CTL_SYSCTL_NAME2OID) {
      // sysctl.name2oid: newp holds the name (no NUL needed); oldp gets its MIB.
      if (argPtr(a[4]!) === 0 || newlen === 0 || newlen >= 1024) throw new Errno(E.INVAL);
      const name = dec.decode(ctx.user.read(a[4]!, newlen)).replace(/\0.*$/s, '');
      const node = NODES.find((n) => n.name === name);
      if (!node) throw new Errno(E.NOENT);
      const out = new Uint8Array(node.mib.length * 4);
      node.mib.forEach((v, i) => new DataView(out.buffer).setInt32(i * 4, v, true));
      output(ctx, out, a[2]!, a[3]!);
      return 0;
    }
    const node = NODES.find((n) => n.mib.length === namelen && n.mib.every((v, i) => v === mib[i]));
    if (!node) throw new Errno(E.NOENT);
    return access(ctx, node, a[2]!, a[3]!, a[4]!, newlen);
  },
  __sysctlbyname: (ctx, a) => {
    const namelen = argPtr(a[1]!);
    if (namelen === 0 || namelen >= 1024) throw new Errno(E.INVAL);
    const name = dec.decode(ctx.user.read(a[0]!, namelen));
    const node = NODES.find((n) => n.name === name);
    if (!node) throw new Errno(E.NOENT);
    return access(ctx, node, a[2]!, a[3]!, a[4]!, argInt(a[5]!) >>> 0);
  },
};
