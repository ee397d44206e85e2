// D's print() action: the value with its type, laid out as libdtrace's dt_print.c does (MDB's
// `::print -tn`): a scalar as `TYPE VALUE`, integers in hex (`%#x`: 0 stays `0`), plain char as
// a quoted character, pointers in hex, enums by name, strings quoted, arrays as `[ a, b ]` (a char
// array holding a printable NUL-terminated string as `[ "text" ]`), and structs and unions member by member, one per line,
// indented four spaces per level, `TYPE NAME = VALUE`, with `}` closing each level.
// The compiler turns the type into a PrintType (JSON, so it can be inlined in compiled code).
import { typeName, sizeOf, type DType } from './types.js';

export type PrintType =
  | { k: 'int'; name: string; size: number; signed: boolean; char: boolean }
  | { k: 'ptr'; name: string }
  | { k: 'str' }
  | { k: 'enum'; name: string; values: [string, string][] }
  | { k: 'array'; name: string; elem: PrintType; count: number; size: number }
  | { k: 'struct'; name: string; size: number; members: { name: string; offset: number; type: PrintType }[] }
  | { k: 'other'; name: string; size: number };

/** The description print() needs of a D type (pointers are not followed, so types may be cyclic). */
export function printTypeOf(t: DType): PrintType {
  switch (t.kind) {
    case 'int':
      return { k: 'int', name: t.name, size: t.size, signed: t.signed, char: t.size === 1 && t.signed && t.name === 'char' };
    case 'ptr':
      return { k: 'ptr', name: typeName(t) };
    case 'string':
      return { k: 'str' };
    case 'enum':
      return { k: 'enum', name: typeName(t), values: [...t.values].map(([n, v]) => [n, v.toString()]) };
    case 'array':
      return { k: 'array', name: typeName(t), elem: printTypeOf(t.elem), count: t.count, size: sizeOf(t) };
    case 'struct':
      return { k: 'struct', name: typeName(t), size: t.size, members: t.members.map((m) => ({ name: m.name, offset: m.offset, type: printTypeOf(m.type) })) };
    default:
      return { k: 'other', name: typeName(t), size: sizeOf(t) };
  }
}

/** How many bytes of memory print() reads for a value of this type (0: the value is not in memory). */
export function printSize(t: PrintType): number {
  return t.k === 'array' || t.k === 'struct' ? t.size : 0;
}

function readInt(bytes: Uint8Array, off: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i] ?? 0);
  return v;
}

function hex(v: bigint, size: number): string {
  const u = BigInt.asUintN(size * 8, v);
  return u === 0n ? '0' : `0x${u.toString(16)}`;
}

function isPrintable(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

function charText(c: number): string {
  if (isPrintable(c)) return `'${String.fromCharCode(c)}'`;
  if (c === 0) return "'\\0'";
  return `'\\${c.toString(8).padStart(3, '0')}'`;
}

function scalarText(t: PrintType, v: bigint): string {
  switch (t.k) {
    case 'int':
      return t.char ? charText(Number(BigInt.asUintN(8, v))) : hex(v, t.size);
    case 'ptr':
      return hex(v, 8);
    case 'enum': {
      const n = BigInt.asIntN(32, v);
      return t.values.find(([, x]) => BigInt(x) === n)?.[0] ?? n.toString();
    }
    default:
      return hex(v, 8);
  }
}

function sizeOfPrint(t: PrintType): number {
  switch (t.k) {
    case 'int': return t.size;
    case 'ptr': return 8;
    case 'enum': return 4;
    case 'str': return 0;
    default: return t.size;
  }
}

/** The value of a member or element at off in bytes, without its type and name. */
function valueText(t: PrintType, bytes: Uint8Array, off: number, depth: number): string {
  switch (t.k) {
    case 'struct': {
      let out = '{\n';
      for (const m of t.members) out += memberText(m.name, m.type, bytes, off + m.offset, depth + 1);
      return `${out}${' '.repeat(depth * 4)}}`;
    }
    case 'array': {
      if (t.elem.k === 'int' && t.elem.char) {
        // A char array that holds a printable, NUL-terminated string prints as one: [ "text" ].
        let i = 0;
        while (i < t.count && isPrintable(bytes[off + i] ?? 0)) i++;
        if (i < t.count && bytes[off + i] === 0) {
          let s = '';
          for (let j = 0; j < i; j++) s += String.fromCharCode(bytes[off + j]!);
          return `[ "${s}" ]`;
        }
      }
      const esize = sizeOfPrint(t.elem);
      const items: string[] = [];
      for (let i = 0; i < t.count; i++) items.push(valueText(t.elem, bytes, off + i * esize, depth));
      return `[ ${items.join(', ')} ]`;
    }
    case 'str': {
      let s = '';
      for (let i = off; i < bytes.length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]!);
      return `"${s}"`;
    }
    case 'other':
      return hex(readInt(bytes, off, Math.min(8, t.size)), Math.min(8, t.size));
    default:
      return scalarText(t, readInt(bytes, off, sizeOfPrint(t)));
  }
}

function memberText(name: string, t: PrintType, bytes: Uint8Array, off: number, depth: number): string {
  const typeText = t.k === 'str' ? 'string' : t.name;
  return `${' '.repeat(depth * 4)}${typeText} ${name} = ${valueText(t, bytes, off, depth)}\n`;
}

/**
 * What print(x) prints: v is the value (an integer or a string), or for structs and arrays the
 * bytes read from x's address.
 */
export function formatPrint(t: PrintType, v: bigint | string | Uint8Array): string {
  if (t.k === 'str') return `string "${typeof v === 'string' ? v : ''}"`;
  if (v instanceof Uint8Array) return `${t.name} ${valueText(t, v, 0, 0)}`;
  if (typeof v === 'string') return `${t.k === 'other' ? t.name : 'string'} "${v}"`;
  return `${t.name} ${scalarText(t, v)}`;
}
