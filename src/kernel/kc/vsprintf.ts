// The kernel's vsnprintf (lib/vsprintf.c) for printk, snprintf and friends in kernel C: the C
// conversions with flags, width, precision and length modifiers, reading variadic arguments from
// the 8-byte slots of the runtime ABI. Strings are read from kernel memory; a user or bad pointer
// prints "(efault)" and NULL prints "(null)", as Linux's check_pointer does.
import type { Memory } from '../../runtime/memory.js';
import type { Int64 } from '../events.js';

export interface VaReader {
  /** The next 8-byte slot as a signed 64-bit value. */
  next(): Int64;
  /** The next slot as a double. */
  nextDouble(): number;
}

export function vaReader(mem: Memory, va: number): VaReader {
  let p = va;
  return {
    next() {
      const v = mem.i64(p);
      p += 8;
      return v;
    },
    nextDouble() {
      const v = mem.f64(p);
      p += 8;
      return v;
    },
  };
}

const dec = new TextDecoder('latin1');

function toBig(v: Int64): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** Reads a C string for %s, with Linux's (null) / (efault) markers. */
function readString(mem: Memory, addr: Int64, precision: number): string {
  if (addr === 0) return '(null)';
  if (typeof addr !== 'number' || addr >= 0 && addr < 4096) return '(efault)';
  try {
    const max = precision >= 0 ? precision : 1 << 20;
    return dec.decode(mem.cstring(addr, max));
  } catch {
    return '(efault)';
  }
}

/** A stable stand-in for Linux's hashed %p values. */
function hashPointer(v: bigint): string {
  let h = BigInt.asUintN(32, (v * 0x9e3779b97f4a7c15n) >> 16n);
  return h.toString(16).padStart(16, '0');
}

/** Formats fmt (bytes) with arguments from va; returns the bytes of the result. */
export function kvsprintf(mem: Memory, fmt: Uint8Array, va: VaReader): string {
  const f = dec.decode(fmt);
  let out = '';
  let i = 0;
  while (i < f.length) {
    const c = f[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (f[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let left = false, plus = false, space = false, alt = false, zero = false;
    for (;;) {
      const fl = f[i];
      if (fl === '-') left = true;
      else if (fl === '+') plus = true;
      else if (fl === ' ') space = true;
      else if (fl === '#') alt = true;
      else if (fl === '0') zero = true;
      else break;
      i++;
    }
    let width = -1;
    if (f[i] === '*') {
      width = Number(BigInt.asIntN(32, toBig(va.next())));
      if (width < 0) {
        left = true;
        width = -width;
      }
      i++;
    } else {
      let w = '';
      while (f[i] !== undefined && f[i]! >= '0' && f[i]! <= '9') w += f[i++];
      if (w) width = Number(w);
    }
    let precision = -1;
    if (f[i] === '.') {
      i++;
      if (f[i] === '*') {
        precision = Math.max(0, Number(BigInt.asIntN(32, toBig(va.next()))));
        i++;
      } else {
        let p = '';
        while (f[i] !== undefined && f[i]! >= '0' && f[i]! <= '9') p += f[i++];
        precision = p ? Number(p) : 0;
      }
    }
    let len = '';
    while (f[i] !== undefined && 'hlLqjzt'.includes(f[i]!)) len += f[i++];
    const conv = f[i++];
    if (conv === undefined) break;
    let body = '';
    let sign = '';
    let prefix = '';
    const bits = len === 'hh' ? 8 : len === 'h' ? 16 : len === '' ? 32 : 64;
    switch (conv) {
      case 'd':
      case 'i': {
        const v = BigInt.asIntN(bits, toBig(va.next()));
        sign = v < 0n ? '-' : plus ? '+' : space ? ' ' : '';
        body = (v < 0n ? -v : v).toString();
        if (precision >= 0) body = precision === 0 && v === 0n ? '' : body.padStart(precision, '0');
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        const v = BigInt.asUintN(bits, toBig(va.next()));
        const radix = conv === 'o' ? 8 : conv === 'u' ? 10 : 16;
        body = v.toString(radix);
        if (conv === 'X') body = body.toUpperCase();
        if (precision >= 0) body = precision === 0 && v === 0n ? '' : body.padStart(precision, '0');
        if (alt && v !== 0n && conv !== 'u') prefix = conv === 'o' ? '0' : conv === 'x' ? '0x' : '0X';
        break;
      }
      case 'c':
        body = String.fromCharCode(Number(BigInt.asUintN(8, toBig(va.next()))));
        break;
      case 's':
        body = readString(mem, va.next(), precision);
        if (precision >= 0) body = body.slice(0, precision);
        zero = false;
        break;
      case 'p': {
        const v = BigInt.asUintN(64, toBig(va.next()));
        // %pK, %px, %pS...: the extension letters follow the p.
        let ext = '';
        while (f[i] !== undefined && /[A-Za-z]/.test(f[i]!)) ext += f[i++];
        body = ext.startsWith('x') ? v.toString(16).padStart(16, '0') : v === 0n ? '0000000000000000' : hashPointer(v);
        zero = false;
        break;
      }
      case 'f':
      case 'e':
      case 'g':
        // The kernel has no floating point; Linux prints nothing useful. Consume the slot.
        va.next();
        body = '';
        break;
      default:
        body = '%' + (len || '') + conv;
    }
    let s = sign + prefix + body;
    if (width > s.length) {
      if (left) s = s.padEnd(width, ' ');
      else if (zero && precision < 0) s = sign + prefix + body.padStart(width - sign.length - prefix.length, '0');
      else s = s.padStart(width, ' ');
    }
    out += s;
  }
  return out;
}
