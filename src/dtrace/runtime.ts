// The D runtime that compiled clauses call: integer normalisation, faults, dynamic variables
// (globals, associative arrays, thread-locals), aggregation state for every aggregating function,
// and the subroutines (string functions, copyin/copyinstr, alloca, bcopy, byte-order and inet
// helpers). Nothing here prints; output.ts formats what the consumer collects.
import type { AggInfo } from './sema.js';

/** Fault kinds, numbered as DTRACEFLT_* (the ERROR probe's arg4). */
export const FaultKinds = {
  badaddr: { code: 1, text: 'invalid address' },
  badalign: { code: 2, text: 'invalid alignment' },
  illop: { code: 3, text: 'illegal operation' },
  divzero: { code: 4, text: 'divide-by-zero' },
  nospace: { code: 5, text: 'out of scratch space' },
  kpriv: { code: 6, text: 'invalid kernel access' },
  upriv: { code: 7, text: 'invalid user access' },
  tupoflow: { code: 8, text: 'tuple stack overflow' },
  badstack: { code: 9, text: 'bad stack' },
} as const;
export type FaultKind = keyof typeof FaultKinds;

/** A fault in probe context: the clause is abandoned and ERROR fires. */
export class DFault extends Error {
  constructor(
    readonly kind: FaultKind,
    readonly addr: bigint,
    readonly offset: number,
  ) {
    super(FaultKinds[kind].text);
    this.name = 'DFault';
  }
}

/** What subroutines need from the firing context. */
export interface SubroutineContext {
  strsize: number;
  /** Reads user memory of the current task; null when unreadable. */
  readUser(addr: bigint, len: number): Uint8Array | null;
  readUserString(addr: bigint, max: number): string | null;
  alloca(size: number, site: number): bigint;
  load(addr: bigint, size: number, signed: boolean, site: number): bigint;
  loadBytes(addr: bigint, len: number, site: number): Uint8Array;
  storeBytes(addr: bigint, data: Uint8Array, site: number): void;
  isScratch(addr: bigint, len: number): boolean;
  rand(): bigint;
  progenyof(pid: bigint): boolean;
  /** strtok's saved position. */
  strtokState: { rest: string | null };
}

export function cv(v: bigint, size: number, signed: boolean): bigint {
  if (size >= 8) return signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
  return signed ? BigInt.asIntN(size * 8, v) : BigInt.asUintN(size * 8, v);
}

/**
 * Single string keys serialised so far (`@[probefunc]`, `@[execname]`): the same key text object
 * each time, whose hash the aggregation's map has already computed, instead of a new string per
 * firing. Bounded: a script keyed by ever new strings starts over.
 */
const stringKeys = new Map<string, string>();

/** Serialises a key tuple for associative arrays and aggregations. */
export function key(parts: (bigint | string)[]): string {
  if (parts.length === 1) {
    const p = parts[0]!;
    if (typeof p !== 'string') return 'i' + p.toString();
    let k = stringKeys.get(p);
    if (k === undefined) {
      if (stringKeys.size >= 4096) stringKeys.clear();
      stringKeys.set(p, (k = 's' + p));
    }
    return k;
  }
  return parts.map((p) => (typeof p === 'string' ? 's' + p : 'i' + p.toString())).join('\u0000');
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function cut(C: SubroutineContext, s: string): string {
  return s.length >= C.strsize ? s.slice(0, C.strsize - 1) : s;
}

function cleanpath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(part);
  }
  const r = (abs ? '/' : '') + out.join('/');
  return r === '' ? (abs ? '/' : '.') : r;
}

function dirname(p: string): string {
  if (p === '') return '.';
  let s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  s = s.slice(0, i).replace(/\/+$/, '');
  return s === '' ? '/' : s;
}

function basename(p: string): string {
  if (p === '') return '.';
  const s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  return s.slice(s.lastIndexOf('/') + 1);
}

function swap(v: bigint, bytes: number): bigint {
  let out = 0n;
  let x = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) {
    out = (out << 8n) | (x & 0xffn);
    x >>= 8n;
  }
  return out;
}

function inetNtop6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

/** The subroutines, called as R.sub.name(C, site, ...args). */
export const subroutines = {
  strlen: (_C: SubroutineContext, _s: number, a: string) => BigInt(a.length),
  strjoin: (C: SubroutineContext, _s: number, a: string, b: string) => cut(C, a + b),
  substr: (C: SubroutineContext, _s: number, str: string, index: bigint, len?: bigint) => {
    const n = str.length;
    let i = Number(index);
    if (i < 0) i = Math.max(0, n + i);
    if (i > n) return '';
    if (len === undefined) return cut(C, str.slice(i));
    let l = Number(len);
    if (l < 0) {
      const end = n + l;
      return end <= i ? '' : cut(C, str.slice(i, end));
    }
    if (Number(index) < 0 && n + Number(index) < 0) l = Math.max(0, l + n + Number(index));
    return cut(C, str.slice(i, i + l));
  },
  index: (_C: SubroutineContext, _s: number, s: string, sub: string, start?: bigint) => {
    let st = start === undefined ? 0 : Number(start);
    if (st < 0) st = 0;
    if (st > s.length) return -1n;
    return BigInt(s.indexOf(sub, st));
  },
  rindex: (_C: SubroutineContext, _s: number, s: string, sub: string, start?: bigint) => {
    let st = start === undefined ? s.length : Number(start);
    if (st < 0) return -1n;
    if (st > s.length) st = s.length;
    return BigInt(s.lastIndexOf(sub, st));
  },
  strchr: (_C: SubroutineContext, _s: number, s: string, c: bigint) => {
    const i = s.indexOf(String.fromCharCode(Number(BigInt.asUintN(8, c))));
    return i < 0 ? '' : s.slice(i);
  },
  strrchr: (_C: SubroutineContext, _s: number, s: string, c: bigint) => {
    const i = s.lastIndexOf(String.fromCharCode(Number(BigInt.asUintN(8, c))));
    return i < 0 ? '' : s.slice(i);
  },
  strstr: (_C: SubroutineContext, _s: number, s: string, sub: string) => {
    const i = s.indexOf(sub);
    return i < 0 ? '' : s.slice(i);
  },
  strtok: (C: SubroutineContext, _s: number, s: string | null, delim: string) => {
    let str = s;
    if (str === null || str === '') str = C.strtokState.rest;
    if (str === null) return '';
    let i = 0;
    while (i < str.length && delim.includes(str[i]!)) i++;
    if (i >= str.length) { C.strtokState.rest = null; return ''; }
    let j = i;
    while (j < str.length && !delim.includes(str[j]!)) j++;
    C.strtokState.rest = j < str.length ? str.slice(j + 1) : null;
    return str.slice(i, j);
  },
  basename: (_C: SubroutineContext, _s: number, p: string) => basename(p),
  dirname: (_C: SubroutineContext, _s: number, p: string) => dirname(p),
  cleanpath: (_C: SubroutineContext, _s: number, p: string) => cleanpath(p),
  lltostr: (_C: SubroutineContext, site: number, v: bigint, base?: bigint) => {
    const b = base === undefined ? 10 : Number(base);
    if (b < 2 || b > 36) throw new DFault('illop', 0n, site);
    if (b === 10) return BigInt.asIntN(64, v).toString();
    const u = BigInt.asUintN(64, v);
    const digits = u.toString(b);
    return b === 16 ? '0x' + digits : b === 8 ? '0' + digits : digits;
  },
  strtoll: (_C: SubroutineContext, site: number, s: string, base?: bigint) => {
    let b = base === undefined ? 10 : Number(base);
    if (b < 2 || b > 36) throw new DFault('illop', 0n, site);
    let t = s.replace(/^\s+/, '');
    let neg = false;
    if (t[0] === '-' || t[0] === '+') { neg = t[0] === '-'; t = t.slice(1); }
    if ((b === 16) && /^0[xX]/.test(t)) t = t.slice(2);
    let v = 0n;
    for (const ch of t) {
      const d = parseInt(ch, 36);
      if (Number.isNaN(d) || d >= b) break;
      v = v * BigInt(b) + BigInt(d);
    }
    void b;
    b = 0;
    return BigInt.asIntN(64, neg ? -v : v);
  },
  tolower: (_C: SubroutineContext, _s: number, s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()),
  toupper: (_C: SubroutineContext, _s: number, s: string) => s.replace(/[a-z]/g, (c) => c.toUpperCase()),
  copyin: (C: SubroutineContext, site: number, addr: bigint, size: bigint) => {
    const n = Number(size);
    const data = C.readUser(addr, n);
    if (!data) throw new DFault('badaddr', addr, site);
    const dst = C.alloca(n, site);
    C.storeBytes(dst, data, site);
    return dst;
  },
  copyinstr: (C: SubroutineContext, site: number, addr: bigint, size?: bigint) => {
    const max = Math.min(size === undefined ? C.strsize : Number(size), C.strsize);
    const s = C.readUserString(addr, max);
    if (s === null) throw new DFault('badaddr', addr, site);
    return s.length >= max ? s.slice(0, Math.max(0, max - 1)) : s;
  },
  copyinto: (C: SubroutineContext, site: number, addr: bigint, size: bigint, dest: bigint) => {
    const n = Number(size);
    const data = C.readUser(addr, n);
    if (!data) throw new DFault('badaddr', addr, site);
    if (!C.isScratch(dest, n)) throw new DFault('badaddr', dest, site);
    C.storeBytes(dest, data, site);
    return 0n;
  },
  alloca: (C: SubroutineContext, site: number, size: bigint) => C.alloca(Number(size), site),
  bcopy: (C: SubroutineContext, site: number, src: bigint, dst: bigint, size: bigint) => {
    const n = Number(size);
    if (!C.isScratch(dst, n)) throw new DFault('badaddr', dst, site);
    C.storeBytes(dst, C.loadBytes(src, n, site), site);
    return 0n;
  },
  rand: (C: SubroutineContext) => C.rand(),
  progenyof: (C: SubroutineContext, _s: number, pid: bigint) => (C.progenyof(pid) ? 1n : 0n),
  htons: (_C: SubroutineContext, _s: number, v: bigint) => swap(v, 2),
  ntohs: (_C: SubroutineContext, _s: number, v: bigint) => swap(v, 2),
  htonl: (_C: SubroutineContext, _s: number, v: bigint) => swap(v, 4),
  ntohl: (_C: SubroutineContext, _s: number, v: bigint) => swap(v, 4),
  htonll: (_C: SubroutineContext, _s: number, v: bigint) => swap(v, 8),
  ntohll: (_C: SubroutineContext, _s: number, v: bigint) => swap(v, 8),
  inet_ntoa: (C: SubroutineContext, site: number, addr: bigint) => {
    const b = C.loadBytes(addr, 4, site);
    return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  },
  inet_ntop: (C: SubroutineContext, site: number, af: bigint, addr: bigint) => {
    if (af === 2n) return subroutines.inet_ntoa(C, site, addr);
    if (af === 10n || af === 26n || af === 28n || af === 24n) return inetNtop6(C.loadBytes(addr, 16, site));
    throw new DFault('illop', 0n, site);
  },
  getmajor: (_C: SubroutineContext, _s: number, dev: bigint) => (BigInt.asUintN(64, dev) >> 32n) & 0xffffffffn,
  getminor: (_C: SubroutineContext, _s: number, dev: bigint) => BigInt.asUintN(64, dev) & 0xffffffffn,
  mutex_owned: () => 0n,
  speculation: (C: SubroutineContext & { speculation(): bigint }) => C.speculation(),
};

export const R = {
  cv,
  key,
  sub: subroutines,
  div(C: unknown, site: number, a: bigint, b: bigint, size = 8, signed = true): bigint {
    if (b === 0n) throw new DFault('divzero', 0n, site);
    void C;
    return cv(a / b, size, signed);
  },
  mod(C: unknown, site: number, a: bigint, b: bigint, size = 8, signed = true): bigint {
    if (b === 0n) throw new DFault('divzero', 0n, site);
    void C;
    return cv(a % b, size, signed);
  },
  stringof(v: bigint | string): string {
    return typeof v === 'string' ? v : v.toString();
  },
};
export { latin1, bytesOf };

// ---- aggregations --------------------------------------------------------------------------------

export const QUANTIZE_ZERO = 63;
export const QUANTIZE_NBUCKETS = 127;

export function quantizeBucketValue(i: number): bigint {
  if (i < QUANTIZE_ZERO) return -(1n << BigInt(QUANTIZE_ZERO - 1 - i));
  if (i === QUANTIZE_ZERO) return 0n;
  return 1n << BigInt(i - QUANTIZE_ZERO - 1);
}

export function quantizeBucket(v: bigint): number {
  if (v === 0n) return QUANTIZE_ZERO;
  if (v > 0n) {
    let k = 0;
    while ((1n << BigInt(k + 1)) <= v && k < 62) k++;
    return QUANTIZE_ZERO + 1 + k;
  }
  const m = -v;
  let k = 0;
  while ((1n << BigInt(k + 1)) <= m && k < 62) k++;
  return QUANTIZE_ZERO - 1 - k;
}

/** llquantize buckets: lower bounds of every bin (index 0 is the underflow bin). */
export function llquantizeBins(factor: bigint, low: bigint, high: bigint, nsteps: bigint): bigint[] {
  const bins: bigint[] = [];
  let thisv = 1n;
  for (let o = 0n; o < low; o++) thisv *= factor;
  bins.push(thisv); // underflow label "< factor^low"
  let last = thisv;
  thisv *= factor;
  for (let order = low; order <= high; order++) {
    const nbuckets = thisv > nsteps ? nsteps : thisv;
    const width = thisv / nbuckets;
    for (let v = last; v < thisv; v += width) bins.push(v);
    last = thisv;
    thisv *= factor;
  }
  bins.push(last); // overflow ">= factor^(high+1)"
  return bins;
}

export function llquantizeBucket(bins: bigint[], v: bigint): number {
  if (v < bins[0]!) return 0;
  if (v >= bins[bins.length - 1]!) return bins.length - 1;
  let lo = 1;
  let hi = bins.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bins[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface AggEntry {
  keyText: string;
  keys: (bigint | string)[];
  /** count/sum/min/max: [v]; avg: [n, sum]; stddev: [n, sum, sumsq]; quantize families: bucket counts. */
  data: bigint[];
}

export class Aggregation {
  entries = new Map<string, AggEntry>();
  normal = 1n;
  /** printa() printed it: the exit-time print skips it. */
  printed = false;
  bins: bigint[] = [];

  constructor(readonly info: AggInfo) {
    if (info.fn === 'llquantize') this.bins = llquantizeBins(info.params[0]!, info.params[1]!, info.params[2]!, info.params[3]!);
  }

  private fresh(): bigint[] {
    switch (this.info.fn) {
      case 'count':
      case 'sum':
        return [0n];
      case 'min':
        return [0x7fffffffffffffffn];
      case 'max':
        return [-0x8000000000000000n];
      case 'avg':
        return [0n, 0n];
      case 'stddev':
        return [0n, 0n, 0n];
      case 'quantize':
        return new Array<bigint>(QUANTIZE_NBUCKETS).fill(0n);
      case 'lquantize': {
        const [low, high, step] = this.info.params as [bigint, bigint, bigint];
        return new Array<bigint>(Number((high - low) / step) + 2).fill(0n);
      }
      case 'llquantize':
        return new Array<bigint>(this.bins.length).fill(0n);
      default:
        return [0n];
    }
  }

  add(keyText: string, keys: (bigint | string)[], args: bigint[]): void {
    let e = this.entries.get(keyText);
    if (!e) {
      e = { keyText, keys, data: this.fresh() };
      this.entries.set(keyText, e);
    }
    const d = e.data;
    const x = args[0] ?? 0n;
    switch (this.info.fn) {
      case 'count':
        d[0]! += 1n;
        break;
      case 'sum':
        d[0] = BigInt.asIntN(64, d[0]! + x);
        break;
      case 'min':
        if (x < d[0]!) d[0] = x;
        break;
      case 'max':
        if (x > d[0]!) d[0] = x;
        break;
      case 'avg':
        d[0]! += 1n;
        d[1] = BigInt.asIntN(64, d[1]! + x);
        break;
      case 'stddev':
        d[0]! += 1n;
        d[1]! += x;
        d[2]! += x * x;
        break;
      case 'quantize': {
        const incr = args[1] ?? 1n;
        const b = quantizeBucket(x);
        d[b]! += incr;
        break;
      }
      case 'lquantize': {
        const [low, high, step] = this.info.params as [bigint, bigint, bigint];
        const incr = args[4] ?? 1n;
        let b: number;
        if (x < low) b = 0;
        else if (x >= high) b = d.length - 1;
        else b = Number((x - low) / step) + 1;
        d[b]! += incr;
        break;
      }
      case 'llquantize': {
        const incr = args[5] ?? 1n;
        d[llquantizeBucket(this.bins, x)]! += incr;
        break;
      }
    }
  }

  clear(): void {
    for (const e of this.entries.values()) e.data = this.fresh();
  }
}

/** The single value an aggregation entry sorts and prints by (quantize families: weighted sum). */
export function aggScalar(agg: Aggregation, e: AggEntry): bigint {
  const d = e.data;
  switch (agg.info.fn) {
    case 'avg':
      return d[0] === 0n ? 0n : d[1]! / d[0]!;
    case 'stddev':
      return stddev(d);
    case 'quantize':
      return d.reduce((s, c, i) => s + c * quantizeBucketValue(i), 0n);
    case 'lquantize': {
      const [low, , step] = agg.info.params as [bigint, bigint, bigint];
      return d.reduce((s, c, i) => s + c * (i === 0 ? low - 1n : low + BigInt(i - 1) * step), 0n);
    }
    case 'llquantize':
      return d.reduce((s, c, i) => s + c * agg.bins[i]!, 0n);
    default:
      return d[0]!;
  }
}

function isqrt(n: bigint): bigint {
  if (n <= 0n) return 0n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

export function stddev(d: bigint[]): bigint {
  const n = d[0]!;
  if (n === 0n) return 0n;
  const avg = d[1]! / n;
  const variance = d[2]! / n - avg * avg;
  return isqrt(variance < 0n ? -variance : variance);
}
