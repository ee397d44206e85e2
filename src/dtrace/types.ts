// D's type system (LP64): C integer types, string, pointers, arrays, structs/unions, enums and the
// typedef scope, plus the parser for C type text from syscall rows (`const char __user *`).
// Integer values are carried as bigint everywhere in the D runtime; a type says how wide and signed.

export type DType =
  | { kind: 'int'; name: string; size: 1 | 2 | 4 | 8; signed: boolean }
  | { kind: 'float'; name: string; size: 4 | 8 }
  | { kind: 'string' }
  | { kind: 'void' }
  | { kind: 'ptr'; to: DType; name?: string }
  | { kind: 'array'; elem: DType; count: number }
  | { kind: 'struct'; name: string; union: boolean; members: Member[]; size: number; align: number; complete: boolean }
  | { kind: 'enum'; name: string; values: Map<string, bigint> }
  | { kind: 'func'; name: string };

export interface Member {
  name: string;
  type: DType;
  offset: number;
}

const I = (name: string, size: 1 | 2 | 4 | 8, signed: boolean): DType => ({ kind: 'int', name, size, signed });

export const T = {
  char: I('char', 1, true),
  uchar: I('unsigned char', 1, false),
  short: I('short', 2, true),
  ushort: I('unsigned short', 2, false),
  int: I('int', 4, true),
  uint: I('unsigned int', 4, false),
  long: I('long', 8, true),
  ulong: I('unsigned long', 8, false),
  llong: I('long long', 8, true),
  ullong: I('unsigned long long', 8, false),
  string: { kind: 'string' } as DType,
  void: { kind: 'void' } as DType,
  int64: I('int64_t', 8, true),
  uint64: I('uint64_t', 8, false),
  uint32: I('uint32_t', 4, false),
  uint16: I('uint16_t', 2, false),
  pid: I('pid_t', 4, true),
  id: I('id_t', 4, true),
  uid: I('uid_t', 4, false),
  gid: I('gid_t', 4, false),
  size: I('size_t', 8, false),
  ssize: I('ssize_t', 8, true),
  uintptr: I('uintptr_t', 8, false),
  processorid: I('processorid_t', 4, true),
  dtraceEpid: I('dtrace_epid_t', 4, false),
};

export const voidPtr: DType = { kind: 'ptr', to: T.void };
export const charPtr: DType = { kind: 'ptr', to: T.char };

/** The built-in typedef scope (C and D's standard types), shared by every program. */
export function builtinTypedefs(): Map<string, DType> {
  const m = new Map<string, DType>();
  const add = (name: string, t: DType) => m.set(name, t.kind === 'int' ? { ...t, name } : t);
  for (const [n, s, sg] of [
    ['int8_t', 1, true], ['int16_t', 2, true], ['int32_t', 4, true], ['int64_t', 8, true],
    ['uint8_t', 1, false], ['uint16_t', 2, false], ['uint32_t', 4, false], ['uint64_t', 8, false],
    ['intptr_t', 8, true], ['uintptr_t', 8, false], ['size_t', 8, false], ['ssize_t', 8, true],
    ['off_t', 8, true], ['loff_t', 8, true], ['pid_t', 4, true], ['uid_t', 4, false], ['gid_t', 4, false],
    ['mode_t', 4, false], ['umode_t', 2, false], ['dev_t', 8, false], ['ino_t', 8, false], ['time_t', 8, true],
    ['clockid_t', 4, true], ['key_t', 4, true], ['id_t', 4, true], ['socklen_t', 4, false],
    ['u_int', 4, false], ['u_long', 8, false], ['u_char', 1, false], ['u_short', 2, false], ['uint_t', 4, false],
    ['ulong_t', 8, false], ['uchar_t', 1, false], ['ushort_t', 2, false], ['u8', 1, false], ['u16', 2, false],
    ['u32', 4, false], ['u64', 8, false], ['s8', 1, true], ['s16', 2, true], ['s32', 4, true], ['s64', 8, true],
    ['__u32', 4, false], ['__u64', 8, false], ['__s32', 4, true], ['__s64', 8, true], ['hrtime_t', 8, true],
    ['processorid_t', 4, true], ['caddr_t', 8, false], ['lwpid_t', 4, true], ['qid_t', 4, true],
    ['aio_context_t', 8, false], ['timer_t', 4, true], ['key_serial_t', 4, true], ['rlim_t', 8, false],
    ['blkcnt_t', 8, true], ['nlink_t', 8, false], ['suseconds_t', 8, true], ['sigset_t', 8, false],
    ['fd_mask', 8, true], ['cap_rights_t', 8, false], ['lwpid', 4, true], ['bool', 1, false], ['_Bool', 1, false],
  ] as [string, 1 | 2 | 4 | 8, boolean][]) {
    add(n, I(n, s, sg));
  }
  m.set('caddr_t', { kind: 'ptr', to: T.char, name: 'caddr_t' });
  return m;
}

/** Resolves C base-type words (`unsigned long long`, `char`, `signed`) to a type, or undefined. */
export function baseTypeFromWords(words: string[]): DType | undefined {
  const w = words.filter((x) => x !== 'const' && x !== 'volatile' && x !== 'restrict' && x !== '__user' && x !== 'register' && x !== 'static' && x !== 'extern');
  if (w.length === 0) return undefined;
  let unsigned = false;
  let signed = false;
  let longs = 0;
  let base: string | undefined;
  for (const x of w) {
    if (x === 'unsigned') unsigned = true;
    else if (x === 'signed') signed = true;
    else if (x === 'long') longs++;
    else if (base === undefined && ['char', 'short', 'int', 'void', 'float', 'double', 'string'].includes(x)) base = x;
    else return undefined;
  }
  if (base === 'void') return T.void;
  if (base === 'string') return T.string;
  if (base === 'float') return { kind: 'float', name: 'float', size: 4 };
  if (base === 'double') return { kind: 'float', name: longs ? 'long double' : 'double', size: 8 };
  if (base === 'char') return unsigned ? T.uchar : signed ? I('signed char', 1, true) : T.char;
  if (base === 'short') return unsigned ? T.ushort : T.short;
  if (longs >= 2) return unsigned ? T.ullong : T.llong;
  if (longs === 1) return unsigned ? T.ulong : T.long;
  return unsigned ? T.uint : T.int;
}

export function sizeOf(t: DType): number {
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.size;
    case 'string':
      return 256;
    case 'void':
      return 1;
    case 'ptr':
      return 8;
    case 'array':
      return sizeOf(t.elem) * t.count;
    case 'struct':
      return t.size;
    case 'enum':
      return 4;
    case 'func':
      return 1;
  }
}

export function alignOf(t: DType): number {
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.size;
    case 'ptr':
      return 8;
    case 'array':
      return alignOf(t.elem);
    case 'struct':
      return t.align;
    case 'enum':
      return 4;
    default:
      return 1;
  }
}

/** Lays out members of a struct (or union) in place. */
export function layoutStruct(t: Extract<DType, { kind: 'struct' }>, members: { name: string; type: DType }[]): void {
  let off = 0;
  let align = 1;
  let size = 0;
  t.members = [];
  for (const m of members) {
    const a = alignOf(m.type);
    align = Math.max(align, a);
    if (t.union) {
      t.members.push({ name: m.name, type: m.type, offset: 0 });
      size = Math.max(size, sizeOf(m.type));
    } else {
      off = Math.ceil(off / a) * a;
      t.members.push({ name: m.name, type: m.type, offset: off });
      off += sizeOf(m.type);
      size = off;
    }
  }
  t.align = align;
  t.size = Math.ceil(size / align) * align;
  t.complete = true;
}

export function isInteger(t: DType | undefined): boolean {
  return !!t && (t.kind === 'int' || t.kind === 'enum');
}
export function isPointer(t: DType | undefined): boolean {
  return !!t && (t.kind === 'ptr' || t.kind === 'array');
}
export function isArith(t: DType | undefined): boolean {
  return isInteger(t) || (!!t && t.kind === 'float');
}
export function isScalar(t: DType | undefined): boolean {
  return isArith(t) || isPointer(t);
}
export function isString(t: DType | undefined): boolean {
  return !!t && t.kind === 'string';
}
/** char * and char[] are string-compatible in D. */
export function isCharPtr(t: DType | undefined): boolean {
  return !!t && (t.kind === 'ptr' || t.kind === 'array') && (t.kind === 'ptr' ? t.to : t.elem).kind === 'int' &&
    sizeOf(t.kind === 'ptr' ? t.to : t.elem) === 1;
}
export function isStringish(t: DType | undefined): boolean {
  return isString(t) || isCharPtr(t);
}

/** Signedness and width of an integer-like type (enums are int, pointers unsigned 64). */
export function intShape(t: DType | undefined): { size: number; signed: boolean } {
  if (!t) return { size: 8, signed: true };
  if (t.kind === 'int') return { size: t.size, signed: t.signed };
  if (t.kind === 'enum') return { size: 4, signed: true };
  if (t.kind === 'ptr' || t.kind === 'array') return { size: 8, signed: false };
  return { size: 8, signed: true };
}

/** C's usual arithmetic conversions (integer promotion to int, then the wider/unsigned rank). */
export function promote(a: DType, b?: DType): DType {
  const pa = intShape(a);
  const ta: DType = pa.size < 4 ? T.int : a.kind === 'enum' ? T.int : a;
  if (!b) return ta;
  const pb = intShape(b);
  const tb: DType = pb.size < 4 ? T.int : b.kind === 'enum' ? T.int : b;
  const sa = intShape(ta);
  const sb = intShape(tb);
  if (sa.size !== sb.size) return sa.size > sb.size ? ta : tb;
  if (!sa.signed) return ta;
  if (!sb.signed) return tb;
  return ta;
}

/** The name dtrace prints for a type (in messages such as D_OP_INCOMPAT). */
export function typeName(t: DType): string {
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.name;
    case 'string':
      return 'string';
    case 'void':
      return 'void';
    case 'ptr':
      return t.name ?? (t.to.kind === 'func' ? `${typeName(t.to)} *` : `${typeName(t.to)} *`);
    case 'array':
      return `${typeName(t.elem)} [${t.count}]`;
    case 'struct':
      return `${t.union ? 'union' : 'struct'} ${t.name}`;
    case 'enum':
      return `enum ${t.name}`;
    case 'func':
      return t.name;
  }
}

/**
 * Parses C type text from a syscall row or probe signature (`const char __user *`, `size_t`,
 * `struct stat *`, `unsigned int`). Unknown struct tags become incomplete structs; unknown names
 * become 64-bit integers named as written, so args[] always has a type.
 */
export function parseCType(text: string, typedefs: Map<string, DType>, structs: Map<string, DType>): DType {
  const stars = (text.match(/\*/g) ?? []).length;
  const words = text.replace(/\*/g, ' ').replace(/\[[^\]]*\]/g, ' ').split(/\s+/).filter((w) => w && w !== 'const' && w !== 'volatile' && w !== '__user' && w !== 'restrict' && w !== '__restrict');
  let base: DType | undefined;
  if (words[0] === 'struct' || words[0] === 'union') {
    const key = `${words[0]} ${words[1] ?? ''}`;
    base = structs.get(key);
    if (!base) {
      base = { kind: 'struct', name: words[1] ?? '', union: words[0] === 'union', members: [], size: 0, align: 1, complete: false };
      structs.set(key, base);
    }
  } else if (words[0] === 'enum') {
    base = T.int;
  } else {
    base = baseTypeFromWords(words) ?? (words.length === 1 ? typedefs.get(words[0]!) : undefined);
    if (!base) base = I(words.join(' ') || 'long', 8, true);
  }
  let t = base;
  const arr = /\[\s*\]/.test(text) ? 1 : 0;
  for (let i = 0; i < stars + arr; i++) t = { kind: 'ptr', to: t };
  return t;
}

/** Two types are compatible for assignment to a variable that already has a type. */
export function assignable(to: DType, from: DType): boolean {
  if (isArith(to) && isArith(from)) return true;
  if (isString(to)) return isStringish(from);
  if (isPointer(to) && (isPointer(from) || isInteger(from))) return true;
  if (isInteger(to) && isPointer(from)) return true;
  if (to.kind === 'struct' && from.kind === 'struct') return to === from;
  return false;
}
