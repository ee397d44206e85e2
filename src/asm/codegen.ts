// Turns an assembled program into one resumable step function (docs/runtime-abi.md): each
// instruction is a `case` of a switch on the program counter; the general registers and the flags
// live in the frame's locals (F.l), memory is P.mem, calls and returns push and pop return
// addresses on the emulated stack in memory. `int $0x80` (i386) and `syscall` (x86_64) set
// P.trapNr/P.trapArgs from the registers and return STEP_TRAP; the next entry writes the result into
// eax/rax. Bad addresses raise SIGSEGV through MemoryFault, division errors SIGFPE, ud2 SIGILL.
//
// Values: on i386 registers are uint32 numbers. On x86_64 registers are uint64 bigints; operations
// of 8, 16 and 32 bits work on numbers and 64-bit ones on bigints.
import type { AsmProgram, ResolvedInsn } from './assemble.js';
import type { Operand, Register } from './syntax.js';

/**
 * Frame slots: registers 0..15, then the flags, the low byte of the last result (PF), the trap flag,
 * and a marker set once the registers are initialised (the CPU may pad a new frame's locals).
 */
export const SLOT = { CF: 16, ZF: 17, SF: 18, OF: 19, PFB: 20, TRAP: 21, READY: 22, COUNT: 23 } as const;

const MASK: Record<number, number> = { 1: 0xff, 2: 0xffff, 4: 0xffffffff };

/** Where i386 Linux's vDSO (the fixed page at 0xffffe000) has its signal return trampolines. */
export const VDSO_SIGRETURN = 0xffffe400;
export const VDSO_RT_SIGRETURN = 0xffffe410;
const I386_SIGRETURN = 119;
const I386_RT_SIGRETURN = 173;

/** Helpers shared by both modes (numbers for widths 1, 2, 4; bigints for 8). */
const COMMON_PRELUDE = String.raw`
const MK = [0, 0xff, 0xffff, 0, 0xffffffff], SB = [0, 0x80, 0x8000, 0, 0x80000000];
const M64 = 0xffffffffffffffffn, S64 = 0x8000000000000000n;
// I.ptr throws MemoryFault(address) for any bigint: the fault of touching or running at a bad address.
const fault = (a) => I.ptr(typeof a === 'bigint' ? a : BigInt(a));
function lz(L, w, r) { L[17] = r === 0 ? 1 : 0; L[18] = (r & SB[w]) !== 0 ? 1 : 0; L[20] = r & 0xff; return r; }
function lz64(L, r) { L[17] = r === 0n ? 1 : 0; L[18] = (r & S64) !== 0n ? 1 : 0; L[20] = Number(r & 0xffn); return r; }
function add(L, w, a, b, c) { const s = a + b + c; const r = w === 4 ? s >>> 0 : s & MK[w]; L[16] = s > MK[w] ? 1 : 0; L[19] = ((a ^ r) & (b ^ r) & SB[w]) !== 0 ? 1 : 0; return lz(L, w, r); }
function sub(L, w, a, b, c) { const s = a - b - c; const r = w === 4 ? s >>> 0 : s & MK[w]; L[16] = s < 0 ? 1 : 0; L[19] = ((a ^ b) & (a ^ r) & SB[w]) !== 0 ? 1 : 0; return lz(L, w, r); }
function logic(L, w, v) { L[16] = 0; L[19] = 0; return lz(L, w, w === 4 ? v >>> 0 : v & MK[w]); }
function add64(L, a, b, c) { const s = a + b + BigInt(c); const r = s & M64; L[16] = s > M64 ? 1 : 0; L[19] = ((a ^ r) & (b ^ r) & S64) !== 0n ? 1 : 0; return lz64(L, r); }
function sub64(L, a, b, c) { const s = a - b - BigInt(c); const r = s & M64; L[16] = s < 0n ? 1 : 0; L[19] = ((a ^ b) & (a ^ r) & S64) !== 0n ? 1 : 0; return lz64(L, r); }
function logic64(L, v) { L[16] = 0; L[19] = 0; return lz64(L, v & M64); }
function inc(L, w, a, d) { const cf = L[16]; const r = d > 0 ? add(L, w, a, 1, 0) : sub(L, w, a, 1, 0); L[16] = cf; return r; }
function inc64(L, a, d) { const cf = L[16]; const r = d > 0 ? add64(L, a, 1n, 0) : sub64(L, a, 1n, 0); L[16] = cf; return r; }
function parity(b) { b ^= b >> 4; b ^= b >> 2; b ^= b >> 1; return (b & 1) === 0 ? 1 : 0; }
const big = (w, v) => typeof v === 'bigint' ? v : BigInt(v);
const back = (w, v) => w === 8 ? BigInt.asUintN(64, v) : Number(BigInt.asUintN(w * 8, v));
/** shl/shr/sar/rol/ror with x86 flag rules (count already masked; 0 leaves everything alone). */
function shift(L, kind, w, d, c) {
  if (c === 0) return d;
  const bits = BigInt(w * 8), x = big(w, d), C = BigInt(c), top = 1n << (bits - 1n), mask = (1n << bits) - 1n;
  let r, cf;
  if (kind === 'shl') { r = (x << C) & mask; cf = C <= bits ? (x >> (bits - C)) & 1n : 0n; L[19] = Number(((r & top) !== 0n ? 1n : 0n) ^ cf); }
  else if (kind === 'shr') { r = x >> C; cf = (x >> (C - 1n)) & 1n; L[19] = (x & top) !== 0n ? 1 : 0; }
  else if (kind === 'sar') { const sx = BigInt.asIntN(w * 8, x); r = BigInt.asUintN(w * 8, sx >> C); cf = (sx >> (C - 1n)) & 1n; L[19] = 0; }
  else {
    const n = C % bits;
    r = kind === 'rol' ? ((x << n) | (x >> ((bits - n) % bits))) & mask : ((x >> n) | (x << ((bits - n) % bits))) & mask;
    L[16] = Number(kind === 'rol' ? r & 1n : (r >> (bits - 1n)) & 1n);
    return back(w, r);
  }
  L[16] = Number(cf);
  L[17] = r === 0n ? 1 : 0; L[18] = (r & top) !== 0n ? 1 : 0; L[20] = Number(r & 0xffn);
  return back(w, r);
}
/** Two-operand and three-operand imul: the truncated product; CF = OF = the product did not fit. */
function imul2(L, w, a, b) {
  const bits = w * 8;
  const p = BigInt.asIntN(bits, big(w, a)) * BigInt.asIntN(bits, big(w, b));
  const r = BigInt.asUintN(bits, p);
  const fits = BigInt.asIntN(bits, r) === p;
  L[16] = L[19] = fits ? 0 : 1;
  return back(w, r);
}
`;

const I386_PRELUDE = String.raw`
const rget = (L, n, w) => w === 4 ? L[n] : L[n] & MK[w];
const rset = (L, n, w, v) => { L[n] = w === 4 ? v >>> 0 : ((L[n] & ~MK[w]) | v) >>> 0; };
const RV = (v) => typeof v === 'number' ? v >>> 0 : typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : 0;
function push(M, L, w, v) { const sp = (L[4] - w) >>> 0; if (w === 4) M.w32(sp, v); else M.w16(sp, v); L[4] = sp; }
function pop(M, L, w) { const sp = L[4]; const v = w === 4 ? M.u32(sp) : M.u16(sp); L[4] = (sp + w) >>> 0; return v; }
`;

const X64_PRELUDE = String.raw`
const rget = (L, n, w) => w === 8 ? L[n] : Number(L[n] & BigInt(MK[w]));
const rset = (L, n, w, v) => { L[n] = w === 8 ? v : w === 4 ? BigInt(v >>> 0) : (L[n] & ~BigInt(MK[w])) | BigInt(v); };
const A = (x) => Number(BigInt.asIntN(64, x));
const U64 = (x) => BigInt.asUintN(64, BigInt(x));
const RV = (v) => BigInt.asUintN(64, BigInt(v ?? 0));
const SAFE = 9007199254740991n;
const ARG = (x) => { const s = BigInt.asIntN(64, x); return s >= -SAFE && s <= SAFE ? Number(s) : s; };
function push(M, L, w, v) { const sp = (L[4] - BigInt(w)) & M64; if (w === 8) M.w64(A(sp), BigInt.asIntN(64, v)); else M.w16(A(sp), v); L[4] = sp; }
function pop(M, L, w) { const a = A(L[4]); const v = w === 8 ? U64(M.i64(a)) : M.u16(a); L[4] = (L[4] + BigInt(w)) & M64; return v; }
`;

/** Multiply, divide and sign-extension helpers over rget/rset (both modes). */
const WIDE_PRELUDE = String.raw`
const AX = 0, DX = 2;
function hiLo(L, w) { return w === 1 ? [rget(L, 0, 2) >> 8, rget(L, 0, 1)] : [rget(L, DX, w), rget(L, AX, w)]; }
function setHiLo(L, w, hi, lo) { if (w === 1) rset(L, AX, 2, Number((hi << 8n) | lo)); else { rset(L, DX, w, back(w, hi)); rset(L, AX, w, back(w, lo)); } }
function mul1(L, w, s, signed) {
  const bits = w * 8;
  const a = big(w, rget(L, AX, w)), b = big(w, s);
  const p = signed ? BigInt.asIntN(bits, a) * BigInt.asIntN(bits, b) : a * b;
  const lo = BigInt.asUintN(bits, p), hi = BigInt.asUintN(bits, p >> BigInt(bits));
  setHiLo(L, w, hi, lo);
  const fits = signed ? BigInt.asIntN(bits, lo) === p : hi === 0n;
  L[16] = L[19] = fits ? 0 : 1;
}
function div1(L, w, s, signed) {
  const bits = w * 8;
  const [h, l] = hiLo(L, w);
  let n = (big(w, h) << BigInt(bits)) | big(w, l), d = big(w, s);
  if (signed) { n = BigInt.asIntN(bits * 2, n); d = BigInt.asIntN(bits, d); }
  if (d === 0n) I.sdiv32(1, 0);
  const q = n / d, r = n % d;
  const ok = signed ? BigInt.asIntN(bits, q) === q : q >> BigInt(bits) === 0n;
  if (!ok) I.sdiv32(1, 0);
  setHiLo(L, w, BigInt.asUintN(bits, r), BigInt.asUintN(bits, q));
}
function sext(L, from, to) { rset(L, AX, to, back(to, BigInt.asIntN(from * 8, big(from, rget(L, AX, from))))); }
function sextInto(L, w) { const v = BigInt.asIntN(w * 8, big(w, rget(L, AX, w))); rset(L, DX, w, back(w, v < 0n ? -1n : 0n)); }
`;

const CONDITIONS: Record<string, string> = {
  o: 'L[19]', no: '!L[19]', b: 'L[16]', ae: '!L[16]', e: 'L[17]', ne: '!L[17]', be: '(L[16] | L[17])', a: '!(L[16] | L[17])',
  s: 'L[18]', ns: '!L[18]', p: 'parity(L[20])', np: '!parity(L[20])', l: '(L[18] !== L[19])', ge: '(L[18] === L[19])',
  le: '(L[17] || L[18] !== L[19])', g: '(!L[17] && L[18] === L[19])',
};

export interface GeneratedAsm {
  /** The body of `(I, H) => StepFn[]`. */
  code: string;
  /** Source line of each case (for stack traces). */
  blockLines: number[];
}

/** Generates the step function of a program. */
export function generateAsm(p: AsmProgram): GeneratedAsm {
  const x64 = p.arch === 'x86_64';
  const W = x64 ? 8 : 4;
  const text = p.insns.filter((i) => i.addr >= p.textStart && i.addr < p.textEnd).sort((a, b) => a.addr - b.addr);
  const index = new Map<number, number>();
  text.forEach((insn, i) => {
    if (!index.has(insn.addr)) index.set(insn.addr, i);
  });
  const entryIndex = index.get(p.entry);
  let tmp = 0;
  const fresh = () => `t${tmp++}`;

  const lit = (v: bigint, w: number): string => (w === 8 ? `${BigInt.asUintN(64, v)}n` : String(Number(BigInt.asUintN(w * 8, v))));

  const regRead = (r: Register, w: number): string => {
    const n = r.num;
    if (!x64) {
      if (r.high) return `((L[${n}] >>> 8) & 0xff)`;
      return w === 4 ? `L[${n}]` : `(L[${n}] & ${MASK[w]})`;
    }
    if (r.high) return `Number((L[${n}] >> 8n) & 0xffn)`;
    return w === 8 ? `L[${n}]` : `Number(L[${n}] & ${MASK[w]}n)`;
  };
  const regWrite = (r: Register, w: number, v: string): string => {
    const n = r.num;
    if (!x64) {
      if (r.high) return `L[${n}] = ((L[${n}] & 0xffff00ff) | ((${v}) << 8)) >>> 0;`;
      if (w === 4) return `L[${n}] = (${v}) >>> 0;`;
      return `L[${n}] = ((L[${n}] & ${~MASK[w]! >>> 0}) | (${v})) >>> 0;`;
    }
    if (r.high) return `L[${n}] = (L[${n}] & ~0xff00n) | (BigInt(${v}) << 8n);`;
    if (w === 8) return `L[${n}] = ${v};`;
    if (w === 4) return `L[${n}] = BigInt((${v}) >>> 0);`;
    return `L[${n}] = (L[${n}] & ~${MASK[w]}n) | BigInt(${v});`;
  };

  /** The effective address: i386 a uint32 number; x86_64 a bigint (unsigned 64). */
  const eaValue = (o: Operand & { k: 'mem' }, disp: bigint): string => {
    if (!x64) {
      const parts: string[] = [];
      if (o.base) parts.push(o.base.num === 16 ? '0' : `L[${o.base.num}]`);
      if (o.index) parts.push(o.scale === 1 ? `L[${o.index.num}]` : `L[${o.index.num}] * ${o.scale}`);
      const d = Number(BigInt.asIntN(32, disp));
      if (d !== 0 || parts.length === 0) parts.push(String(d));
      return parts.length === 1 && !o.base && !o.index ? String(Number(BigInt.asUintN(32, disp))) : `((${parts.join(' + ')}) >>> 0)`;
    }
    const reg = (r: Register) => (r.width === 8 ? `L[${r.num}]` : `BigInt(${regRead(r, r.width)})`);
    const parts: string[] = [];
    if (o.base && o.base.num !== 16) parts.push(reg(o.base));
    if (o.index) parts.push(o.scale === 1 ? reg(o.index) : `${reg(o.index)} * ${o.scale}n`);
    if (disp !== 0n || parts.length === 0) parts.push(`${BigInt.asIntN(64, disp)}n`);
    if (parts.length === 1 && !o.base && !o.index) return `${BigInt.asUintN(64, disp)}n`;
    if (parts.length === 1 && o.base && o.base.num !== 16 && o.base.width === 8) return parts[0]!;
    return `((${parts.join(' + ')}) & M64)`;
  };
  const addrNum = (o: Operand & { k: 'mem' }, disp: bigint): string => (x64 ? `A(${eaValue(o, disp)})` : eaValue(o, disp));

  const memRead = (a: string, w: number): string =>
    w === 1 ? `M.u8(${a})` : w === 2 ? `M.u16(${a})` : w === 4 ? `M.u32(${a})` : `U64(M.i64(${a}))`;
  const memWrite = (a: string, w: number, v: string): string =>
    w === 1 ? `M.w8(${a}, ${v});` : w === 2 ? `M.w16(${a}, ${v});` : w === 4 ? `M.w32(${a}, ${v});` : `M.w64(${a}, BigInt.asIntN(64, ${v}));`;

  /** An operand prepared for reading and writing (memory addresses computed once). */
  interface Place {
    pre: string;
    read: string;
    write(v: string): string;
  }
  const place = (o: Operand, w: number, val: bigint): Place => {
    if (o.k === 'reg') return { pre: '', read: regRead(o.reg, w), write: (v) => regWrite(o.reg, w, v) };
    if (o.k === 'imm') return { pre: '', read: lit(val, w), write: () => 'I.trap("write to an immediate");' };
    const a = fresh();
    return { pre: `const ${a} = ${addrNum(o, val)};`, read: memRead(a, w), write: (v) => memWrite(a, w, v) };
  };

  const jumpTo = (k: number): string => `pc = ${k}; if (--P.budget < 0) { F.pc = pc; return 3; } continue;`;
  const jumpDyn = (target: string): string =>
    `pc = J(${target}); if (--P.budget < 0) { F.pc = pc; return 3; } continue;`;
  const directTarget = (insn: ResolvedInsn): string => {
    const target = Number(BigInt.asUintN(64, insn.vals[0]!));
    const k = index.get(target);
    // A direct jump outside the program's instructions faults where it lands.
    return k === undefined ? `fault(${target});` : jumpTo(k);
  };

  const cases: string[] = [];
  const blockLines: number[] = [];
  text.forEach((insn, i) => {
    tmp = 0;
    blockLines.push(insn.line);
    const body = genInsn(insn, i);
    // pc = i: falling through from the previous case, a fault still knows its instruction.
    cases.push(`case ${i}: { pc = ${i}; // ${insn.file}:${insn.line}: ${insn.text.replace(/[\r\n]/g, ' ').replace(/\*\//g, '* /')}\n${body}\n}`);
  });

  function aluOp(op: string, w: number, d: string, s: string): string {
    if (w === 8) {
      switch (op) {
        case 'add': return `add64(L, ${d}, ${s}, 0)`;
        case 'adc': return `add64(L, ${d}, ${s}, L[16])`;
        case 'sub': case 'cmp': return `sub64(L, ${d}, ${s}, 0)`;
        case 'sbb': return `sub64(L, ${d}, ${s}, L[16])`;
        case 'and': case 'test': return `logic64(L, ${d} & ${s})`;
        case 'or': return `logic64(L, ${d} | ${s})`;
        case 'xor': return `logic64(L, ${d} ^ ${s})`;
      }
    }
    switch (op) {
      case 'add': return `add(L, ${w}, ${d}, ${s}, 0)`;
      case 'adc': return `add(L, ${w}, ${d}, ${s}, L[16])`;
      case 'sub': case 'cmp': return `sub(L, ${w}, ${d}, ${s}, 0)`;
      case 'sbb': return `sub(L, ${w}, ${d}, ${s}, L[16])`;
      case 'and': case 'test': return `logic(L, ${w}, ${d} & ${s})`;
      case 'or': return `logic(L, ${w}, ${d} | ${s})`;
      case 'xor': return `logic(L, ${w}, ${d} ^ ${s})`;
    }
    throw new Error(`aluOp ${op}`);
  }

  function genInsn(insn: ResolvedInsn, i: number): string {
    const { op, w, ops, vals } = insn;
    const [a, b, c] = ops;
    const next = i + 1;
    switch (op) {
      case 'mov': {
        const s = place(a!, w, vals[0]!);
        const d = place(b!, w, vals[1]!);
        return `${s.pre} ${d.pre} ${d.write(s.read)}`;
      }
      case 'add': case 'adc': case 'sub': case 'sbb': case 'and': case 'or': case 'xor': case 'cmp': case 'test': {
        const s = place(a!, w, vals[0]!);
        const d = place(b!, w, vals[1]!);
        const r = aluOp(op, w, d.read, s.read);
        return `${s.pre} ${d.pre} ${op === 'cmp' || op === 'test' ? `${r};` : d.write(r)}`;
      }
      case 'xchg': {
        const s = place(a!, w, vals[0]!);
        const d = place(b!, w, vals[1]!);
        const t = fresh();
        return `${s.pre} ${d.pre} const ${t} = ${s.read}; ${s.write(d.read)} ${d.write(t)}`;
      }
      case 'lea': {
        const d = place(b!, w, 0n);
        const m = a as Operand & { k: 'mem' };
        const ea = eaValue(m, vals[0]!);
        const v = x64 ? (w === 8 ? ea : `Number(${ea} & ${MASK[w]}n)`) : w === 4 ? ea : `(${ea} & ${MASK[w]})`;
        return d.write(v);
      }
      case 'movzx': case 'movsx': {
        const s = place(a!, insn.srcW, vals[0]!);
        const d = place(b!, w, 0n);
        let v = s.read;
        if (op === 'movsx') {
          v = w === 8 ? `BigInt.asUintN(64, BigInt.asIntN(${insn.srcW * 8}, BigInt(${s.read})))` : `((((${s.read}) << ${32 - insn.srcW * 8}) >> ${32 - insn.srcW * 8}) ${w === 4 ? '>>> 0' : `& ${MASK[w]}`})`;
        } else if (w === 8) v = `BigInt(${s.read})`;
        return `${s.pre} ${d.write(v)}`;
      }
      case 'inc': case 'dec': {
        const d = place(a!, w, vals[0]!);
        const r = w === 8 ? `inc64(L, ${d.read}, ${op === 'inc' ? 1 : -1})` : `inc(L, ${w}, ${d.read}, ${op === 'inc' ? 1 : -1})`;
        return `${d.pre} ${d.write(r)}`;
      }
      case 'not': {
        const d = place(a!, w, vals[0]!);
        const r = w === 8 ? `(~${d.read} & M64)` : w === 4 ? `(~${d.read} >>> 0)` : `(~${d.read} & ${MASK[w]})`;
        return `${d.pre} ${d.write(r)}`;
      }
      case 'neg': {
        const d = place(a!, w, vals[0]!);
        const r = w === 8 ? `sub64(L, 0n, ${d.read}, 0)` : `sub(L, ${w}, 0, ${d.read}, 0)`;
        return `${d.pre} ${d.write(r)}`;
      }
      case 'mul': case 'div': case 'idiv': {
        const s = place(a!, w, vals[0]!);
        const fn = op === 'mul' ? `mul1(L, ${w}, ${s.read}, false)` : `div1(L, ${w}, ${s.read}, ${op === 'idiv'})`;
        return `${s.pre} ${fn};`;
      }
      case 'imul': {
        if (ops.length === 1) {
          const s = place(a!, w, vals[0]!);
          return `${s.pre} mul1(L, ${w}, ${s.read}, true);`;
        }
        if (ops.length === 2) {
          const s = place(a!, w, vals[0]!);
          const d = place(b!, w, vals[1]!);
          return `${s.pre} ${d.pre} ${d.write(`imul2(L, ${w}, ${d.read}, ${s.read})`)}`;
        }
        const k = place(a!, w, vals[0]!);
        const s = place(b!, w, vals[1]!);
        const d = place(c!, w, vals[2]!);
        return `${k.pre} ${s.pre} ${d.pre} ${d.write(`imul2(L, ${w}, ${s.read}, ${k.read})`)}`;
      }
      case 'shl': case 'shr': case 'sar': case 'rol': case 'ror': {
        const maskC = w === 8 ? 63 : 31;
        let count: string;
        let target: Operand;
        let tv: bigint;
        if (ops.length === 1) {
          count = '1';
          target = a!;
          tv = vals[0]!;
        } else {
          count = a!.k === 'imm' ? String(Number(BigInt.asUintN(8, vals[0]!)) & maskC) : `(${regRead((a as { reg: Register }).reg, 1)} & ${maskC})`;
          target = b!;
          tv = vals[1]!;
        }
        const d = place(target, w, tv);
        return `${d.pre} ${d.write(`shift(L, '${op}', ${w}, ${d.read}, ${count})`)}`;
      }
      case 'push': {
        const s = place(a!, w, vals[0]!);
        const t = fresh();
        return `${s.pre} const ${t} = ${s.read}; push(M, L, ${w}, ${t});`;
      }
      case 'pop': {
        const t = fresh();
        if (a!.k === 'mem') {
          // The address is computed after the pop, as the CPU does.
          const d = place(a!, w, vals[0]!);
          return `const ${t} = pop(M, L, ${w}); ${d.pre} ${d.write(t)}`;
        }
        const d = place(a!, w, vals[0]!);
        return `const ${t} = pop(M, L, ${w}); ${d.write(t)}`;
      }
      case 'jmp': case 'call': {
        const retPush = op === 'call' ? `push(M, L, ${W}, ${lit(BigInt(insn.next), W)});` : '';
        if ((a!.k === 'reg' || a!.k === 'mem') && a!.indirect) {
          const s = place({ ...a!, indirect: false } as Operand, W, vals[0]!);
          const t = fresh();
          return `${s.pre} const ${t} = ${s.read}; ${retPush} ${jumpDyn(t)}`;
        }
        return `${retPush} ${directTarget(insn)}`;
      }
      case 'jcc':
        return `if (${CONDITIONS[insn.cc]}) { ${directTarget(insn)} }`;
      case 'setcc': {
        const d = place(a!, 1, vals[0]!);
        return `${d.pre} ${d.write(`(${CONDITIONS[insn.cc]} ? 1 : 0)`)}`;
      }
      case 'cmovcc': {
        const s = place(a!, w, vals[0]!);
        const d = place(b!, w, vals[1]!);
        return `${s.pre} ${d.pre} ${d.write(`(${CONDITIONS[insn.cc]} ? ${s.read} : ${d.read})`)}`;
      }
      case 'ret': {
        const t = fresh();
        const extra = a ? (x64 ? `L[4] = (L[4] + ${BigInt.asUintN(16, vals[0]!)}n) & M64;` : `L[4] = (L[4] + ${Number(BigInt.asUintN(16, vals[0]!))}) >>> 0;`) : '';
        return `const ${t} = pop(M, L, ${W}); ${extra} ${jumpDyn(t)}`;
      }
      case 'leave':
        return `L[4] = L[5]; L[5] = pop(M, L, ${W});`;
      case 'int': {
        const vector = Number(BigInt.asUintN(8, vals[0]!));
        if (vector === 0x80 && !x64) {
          return `F.pc = ${next}; L[21] = 1; P.trapNr = L[0] | 0; P.trapArgs = [L[3], L[1], L[2], L[6], L[7], L[5]]; return 2;`;
        }
        if (vector === 0x80) return `I.trap('int $0x80 in 64-bit mode (the i386 compat syscall ABI is not emulated)');`;
        // Any other software interrupt is a general protection fault in user mode: SIGSEGV.
        return `fault(0);`;
      }
      case 'syscall':
        if (!x64) return `I.trap('syscall on i386');`;
        return `F.pc = ${next}; L[21] = 1; L[1] = ${BigInt(insn.next)}n; L[11] = 0x246n; P.trapNr = L[0] < 0x80000000n ? Number(L[0]) : -1; P.trapArgs = [ARG(L[7]), ARG(L[6]), ARG(L[2]), ARG(L[10]), ARG(L[8]), ARG(L[9])]; return 2;`;
      case 'nop':
        return '';
      case 'hlt':
        return `fault(0);`;
      case 'ud2':
        return `I.trap('ud2');`;
      case 'int3':
        return `I.trap('int3 (SIGTRAP is not emulated)');`;
      case 'cbw': return `sext(L, 1, 2);`;
      case 'cwde': return `sext(L, 2, 4);`;
      case 'cdqe': return `sext(L, 4, 8);`;
      case 'cwd': return `sextInto(L, 2);`;
      case 'cdq': return `sextInto(L, 4);`;
      case 'cqo': return `sextInto(L, 8);`;
    }
    return `I.trap(${JSON.stringify(`unsupported instruction ${insn.text}`)});`;
  }

  // The vDSO's signal trampolines (i386): a handler's `ret` lands there and they make sigreturn
  // (__kernel_sigreturn: popl %eax; movl $119, %eax; int $0x80) or rt_sigreturn (movl $173, %eax;
  // int $0x80). The kernel restores every register, so they continue at the fault case if it fails.
  const N = text.length;
  const trampolines = x64
    ? []
    : [
        `case ${N + 1}: { // [vdso] __kernel_sigreturn\npop(M, L, 4); L[0] = ${I386_SIGRETURN}; F.pc = ${N}; L[21] = 1; P.trapNr = ${I386_SIGRETURN}; P.trapArgs = [L[3], L[1], L[2], L[6], L[7], L[5]]; return 2;\n}`,
        `case ${N + 2}: { // [vdso] __kernel_rt_sigreturn\nL[0] = ${I386_RT_SIGRETURN}; F.pc = ${N}; L[21] = 1; P.trapNr = ${I386_RT_SIGRETURN}; P.trapArgs = [L[3], L[1], L[2], L[6], L[7], L[5]]; return 2;\n}`,
      ];
  const pcs = [...index.entries(), ...(x64 ? [] : [[VDSO_SIGRETURN, N + 1], [VDSO_RT_SIGRETURN, N + 2]])].map(([addr, k]) => `[${addr}, ${k}]`).join(', ');
  const init = x64
    ? `const sp = L[0]; for (let r = 0; r < 16; r++) L[r] = 0n; L[4] = BigInt(sp);`
    : `const sp = L[0]; for (let r = 0; r < 16; r++) L[r] = 0; L[4] = sp >>> 0;`;
  const code = [
    COMMON_PRELUDE,
    x64 ? X64_PRELUDE : I386_PRELUDE,
    WIDE_PRELUDE,
    `const PCS = new Map([${pcs}]);`,
    `const J = (a) => { const k = PCS.get(typeof a === 'bigint' ? A(a) : a); if (k === undefined) fault(a); return k; };`,
    `const ADDRS = [${[...text.map((i) => i.addr), p.textEnd].join(', ')}];`,
    // settle: the registers as the program sees them (initialised; eax/rax holding a finished call's result).
    `function settle(P, F) {`,
    `  const L = F.l;`,
    `  if (L[22] !== 1) { ${init} L[16] = L[17] = L[18] = L[19] = L[20] = L[21] = 0; L[22] = 1; F.pc = ${entryIndex ?? text.length}; }`,
    `  if (L[21] === 1) { L[21] = 0; L[0] = RV(P.rv); }`,
    `}`,
    `function step(P, F) {`,
    `  const L = F.l, M = P.mem;`,
    `  settle(P, F);`,
    `  let pc = F.pc;`,
    // A fault leaves F.pc at the faulting instruction: the eip a signal frame saves.
    `  try {`,
    `  for (;;) switch (pc) {`,
    ...cases,
    // Running past the last instruction leaves the program's code: a fault where execution went.
    `case ${text.length}: fault(${p.textEnd});`,
    ...trampolines,
    `default: return I.badpc(P, F, pc);`,
    `  }`,
    `  } catch (e) { F.pc = pc; throw e; }`,
    `}`,
    // What the kernel needs to deliver a signal (src/asm/signal-frame.ts): see AsmStepInfo.
    `step.asm = { arch: '${p.arch}', settle, addrOf: (k) => ADDRS[k], pcOf: (a) => PCS.get(a) };`,
    `return [step];`,
  ].join('\n');
  return { code, blockLines };
}
