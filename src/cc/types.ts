// C types as the semantic checker and code generator see them, with the data layout of the target:
// x86_64 SysV (LP64) or i386 SysV (ILP32, where long long and double align to 4 inside structs).
// Struct and union layout (alignment, bit-fields, packed/aligned) is computed here, as gcc does.

export interface Target {
  arch: 'x86_64' | 'i386';
  os: 'linux' | 'freebsd';
}

export interface Layout {
  ptrSize: 4 | 8;
  longSize: 4 | 8;
  /** Alignment of long long / double inside a struct (i386: 4). */
  align8InStruct: 4 | 8;
  ldoubleSize: number;
  ldoubleAlign: number;
}

export function layoutOf(t: Target): Layout {
  return t.arch === 'x86_64'
    ? { ptrSize: 8, longSize: 8, align8InStruct: 8, ldoubleSize: 16, ldoubleAlign: 16 }
    : { ptrSize: 4, longSize: 4, align8InStruct: 4, ldoubleSize: 12, ldoubleAlign: 4 };
}

export type IntKind =
  | 'bool' | 'char' | 'schar' | 'uchar' | 'short' | 'ushort' | 'int' | 'uint' | 'long' | 'ulong' | 'llong' | 'ullong';

export interface Member {
  name?: string;
  type: CType;
  offset: number;
  /** For bit-fields: width and bit offset within the storage unit at `offset` (unit = type size). */
  bitWidth?: number;
  bitOffset?: number;
}

/** A struct or union; shared by every CType that names it, completed in place. */
export interface Rec {
  tag?: string;
  union: boolean;
  members: Member[];
  size: number;
  align: number;
  complete: boolean;
  id: number;
}

export type CType = (
  | { k: 'void' }
  | { k: 'int'; kind: IntKind; size: number; signed: boolean; enumTag?: string }
  | { k: 'float'; size: number } // 4 float, 8 double, 12/16 long double (computed as double)
  | { k: 'ptr'; to: CType }
  | { k: 'array'; of: CType; len?: number }
  | { k: 'func'; ret: CType; params: CType[]; variadic: boolean; oldStyle: boolean }
  | { k: 'struct'; rec: Rec }
) & { const?: boolean; volatile?: boolean };

export const VOID: CType = { k: 'void' };

export class Types {
  readonly L: Layout;
  readonly bool: CType;
  readonly char: CType;
  readonly schar: CType;
  readonly uchar: CType;
  readonly short: CType;
  readonly ushort: CType;
  readonly int: CType;
  readonly uint: CType;
  readonly long: CType;
  readonly ulong: CType;
  readonly llong: CType;
  readonly ullong: CType;
  readonly float: CType = { k: 'float', size: 4 };
  readonly double: CType = { k: 'float', size: 8 };
  readonly ldouble: CType;
  /** size_t, ptrdiff_t, intptr_t */
  readonly sizeT: CType;
  readonly ptrdiffT: CType;
  readonly voidPtr: CType;
  readonly charPtr: CType;
  private recIds = 0;

  constructor(readonly target: Target) {
    const L = (this.L = layoutOf(target));
    const mk = (kind: IntKind, size: number, signed: boolean): CType => ({ k: 'int', kind, size, signed });
    this.bool = mk('bool', 1, false);
    this.char = mk('char', 1, true);
    this.schar = mk('schar', 1, true);
    this.uchar = mk('uchar', 1, false);
    this.short = mk('short', 2, true);
    this.ushort = mk('ushort', 2, false);
    this.int = mk('int', 4, true);
    this.uint = mk('uint', 4, false);
    this.long = mk('long', L.longSize, true);
    this.ulong = mk('ulong', L.longSize, false);
    this.llong = mk('llong', 8, true);
    this.ullong = mk('ullong', 8, false);
    this.ldouble = { k: 'float', size: L.ldoubleSize };
    this.sizeT = this.ulong;
    this.ptrdiffT = this.long;
    this.voidPtr = { k: 'ptr', to: VOID };
    this.charPtr = { k: 'ptr', to: this.char };
  }

  newRec(union: boolean, tag?: string): Rec {
    return { tag, union, members: [], size: 0, align: 1, complete: false, id: ++this.recIds };
  }

  ptr(to: CType): CType {
    return { k: 'ptr', to };
  }

  /** sizeof; -1 for incomplete types and functions (the caller reports the error). */
  sizeof(t: CType): number {
    switch (t.k) {
      case 'void':
        return 1; // GNU: sizeof(void) == 1, and void* arithmetic steps by 1
      case 'int':
        return t.size;
      case 'float':
        return t.size;
      case 'ptr':
        return this.L.ptrSize;
      case 'array':
        if (t.len === undefined) return -1;
        return t.len * Math.max(0, this.sizeof(t.of));
      case 'func':
        return 1;
      case 'struct':
        return t.rec.complete ? t.rec.size : -1;
    }
  }

  alignof(t: CType, inStruct = false): number {
    switch (t.k) {
      case 'void':
      case 'func':
        return 1;
      case 'int':
        return t.size === 8 && inStruct ? this.L.align8InStruct : t.size;
      case 'float':
        if (t.size === 8) return inStruct ? this.L.align8InStruct : 8;
        if (t.size > 8) return this.L.ldoubleAlign;
        return t.size;
      case 'ptr':
        return this.L.ptrSize;
      case 'array':
        return this.alignof(t.of, inStruct);
      case 'struct':
        return t.rec.align;
    }
  }

  /**
   * Lays out a struct or union as gcc does. Members are { name, type, bitWidth?, packed, align? }.
   * Bit-fields pack into storage units of their declared type; a bit-field that would straddle a unit
   * boundary starts at the next unit; a zero-width bit-field aligns to its type.
   */
  layout(
    rec: Rec,
    members: { name?: string; type: CType; bitWidth?: number; alignAttr?: number }[],
    opts: { packed: boolean; align?: number },
  ): void {
    let bitPos = 0; // current position in bits
    let maxAlign = 1;
    let size = 0;
    const out: Member[] = [];
    for (const m of members) {
      const tsize = this.sizeof(m.type);
      let align = opts.packed ? 1 : this.alignof(m.type, true);
      if (m.alignAttr) align = Math.max(align, m.alignAttr);
      if (m.bitWidth !== undefined) {
        const unitBits = tsize * 8;
        const typeAlign = this.alignof(m.type, true);
        if (m.bitWidth === 0) {
          if (!rec.union) bitPos = Math.ceil(bitPos / (typeAlign * 8)) * typeAlign * 8;
          continue;
        }
        if (rec.union) {
          out.push({ name: m.name, type: m.type, offset: 0, bitOffset: 0, bitWidth: m.bitWidth });
          size = Math.max(size, tsize);
        } else {
          if (!opts.packed) {
            // Start a new unit when the field would cross the boundary of its type-aligned unit.
            const unitStart = Math.floor(bitPos / (typeAlign * 8)) * typeAlign * 8;
            if (bitPos + m.bitWidth > unitStart + unitBits) bitPos = Math.ceil(bitPos / (typeAlign * 8)) * typeAlign * 8;
          }
          const unitStartByte = opts.packed
            ? Math.floor(bitPos / 8)
            : Math.floor(bitPos / (typeAlign * 8)) * typeAlign;
          let offset = unitStartByte;
          let bitOffset = bitPos - offset * 8;
          // Keep the whole unit [offset, offset+tsize) covering the field (packed may need to move it).
          while (bitOffset + m.bitWidth > unitBits) {
            offset += 1;
            bitOffset -= 8;
          }
          out.push({ name: m.name, type: m.type, offset, bitOffset, bitWidth: m.bitWidth });
          bitPos += m.bitWidth;
          size = Math.max(size, Math.ceil(bitPos / 8));
        }
        if (m.name !== undefined) maxAlign = Math.max(maxAlign, opts.packed ? 1 : typeAlign);
        continue;
      }
      if (rec.union) {
        out.push({ name: m.name, type: m.type, offset: 0 });
        size = Math.max(size, tsize);
      } else {
        let off = Math.ceil(bitPos / 8);
        off = Math.ceil(off / align) * align;
        out.push({ name: m.name, type: m.type, offset: off });
        bitPos = (off + Math.max(0, tsize)) * 8;
        size = Math.max(size, off + Math.max(0, tsize));
      }
      maxAlign = Math.max(maxAlign, align);
    }
    if (opts.align) maxAlign = Math.max(maxAlign, opts.align);
    rec.members = out;
    rec.align = maxAlign;
    rec.size = Math.ceil(size / maxAlign) * maxAlign;
    rec.complete = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Predicates

export const isInt = (t: CType): t is Extract<CType, { k: 'int' }> => t.k === 'int';
export const isFloat = (t: CType) => t.k === 'float';
export const isArith = (t: CType) => t.k === 'int' || t.k === 'float';
export const isPtr = (t: CType): t is Extract<CType, { k: 'ptr' }> => t.k === 'ptr';
export const isScalar = (t: CType) => t.k === 'int' || t.k === 'float' || t.k === 'ptr';
export const isStruct = (t: CType): t is Extract<CType, { k: 'struct' }> => t.k === 'struct';
export const isVoid = (t: CType) => t.k === 'void';

/** Same type, ignoring top-level qualifiers. */
export function sameType(a: CType, b: CType): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'void':
      return true;
    case 'int':
      return a.kind === (b as typeof a).kind;
    case 'float':
      return a.size === (b as typeof a).size;
    case 'ptr':
      return sameType(a.to, (b as typeof a).to);
    case 'array': {
      const bb = b as typeof a;
      return sameType(a.of, bb.of) && (a.len === undefined || bb.len === undefined || a.len === bb.len);
    }
    case 'func': {
      const bb = b as typeof a;
      if (!sameType(a.ret, bb.ret)) return false;
      if (a.oldStyle || bb.oldStyle) return true;
      return a.params.length === bb.params.length && a.variadic === bb.variadic && a.params.every((p, i) => sameType(p, bb.params[i]!));
    }
    case 'struct':
      return a.rec === (b as typeof a).rec;
  }
}

/** Finds a member by name, looking into anonymous struct/union members; returns the path's total offset. */
export function findMember(rec: Rec, name: string): Member | undefined {
  for (const m of rec.members) {
    if (m.name === name) return m;
    if (m.name === undefined && m.type.k === 'struct') {
      const inner = findMember(m.type.rec, name);
      if (inner) return { ...inner, offset: inner.offset + m.offset };
    }
  }
  return undefined;
}

const intNames: Record<IntKind, string> = {
  bool: '_Bool', char: 'char', schar: 'signed char', uchar: 'unsigned char', short: 'short int',
  ushort: 'short unsigned int', int: 'int', uint: 'unsigned int', long: 'long int', ulong: 'long unsigned int',
  llong: 'long long int', ullong: 'long long unsigned int',
};

/** The type as gcc prints it in diagnostics: `int`, `char *`, `struct foo`, `int (*)(int)`, `int[3]`. */
export function typeToString(t: CType, inner = ''): string {
  const q = (t.const ? 'const ' : '') + (t.volatile ? 'volatile ' : '');
  switch (t.k) {
    case 'void':
      return join(q + 'void', inner);
    case 'int':
      return join(q + (t.enumTag !== undefined ? `enum ${t.enumTag}` : intNames[t.kind]), inner);
    case 'float':
      return join(q + (t.size === 4 ? 'float' : t.size === 8 ? 'double' : 'long double'), inner);
    case 'struct':
      return join(q + `${t.rec.union ? 'union' : 'struct'} ${t.rec.tag ?? '<anonymous>'}`, inner);
    case 'ptr': {
      const star = '*' + (t.const ? ' const' : '') + inner;
      if (t.to.k === 'array' || t.to.k === 'func') return typeToString(t.to, `(${star})`);
      return typeToString(t.to, star);
    }
    case 'array':
      return typeToString(t.of, `${inner}[${t.len ?? ''}]`);
    case 'func': {
      const ps = t.params.map((p) => typeToString(p));
      if (t.variadic) ps.push('...');
      if (!t.oldStyle && ps.length === 0) ps.push('void');
      return typeToString(t.ret, `${inner}(${ps.join(', ')})`);
    }
  }
}

function join(base: string, inner: string): string {
  if (!inner) return base;
  if (inner.startsWith('*') || inner.startsWith('(')) return `${base} ${inner}`;
  return base + inner;
}
