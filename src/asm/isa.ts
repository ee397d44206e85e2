// The instructions the assembler knows: mnemonics (with AT&T size suffixes and condition codes),
// the operand counts each takes, and the checks gas makes on operands and sizes. The result of
// decoding a statement is an Insn the code generator turns into JavaScript.
import type { Operand, Register } from './syntax.js';

export type Arch = 'i386' | 'x86_64';

export type Op =
  | 'mov' | 'add' | 'adc' | 'sub' | 'sbb' | 'and' | 'or' | 'xor' | 'cmp' | 'test' | 'xchg' | 'lea'
  | 'inc' | 'dec' | 'not' | 'neg' | 'mul' | 'div' | 'idiv' | 'imul'
  | 'shl' | 'shr' | 'sar' | 'rol' | 'ror'
  | 'push' | 'pop' | 'jmp' | 'jcc' | 'call' | 'ret' | 'setcc' | 'cmovcc' | 'movzx' | 'movsx'
  | 'int' | 'int3' | 'syscall' | 'nop' | 'leave' | 'hlt' | 'ud2'
  | 'cwd' | 'cdq' | 'cqo' | 'cbw' | 'cwde' | 'cdqe';

interface OpInfo {
  op: Op;
  /** Accepts a b/w/l/q suffix. */
  sized: boolean;
  min: number;
  max: number;
}

const TABLE: Record<string, OpInfo> = {};
function def(names: string[], op: Op, sized: boolean, min: number, max: number): void {
  for (const n of names) TABLE[n] = { op, sized, min, max };
}
def(['mov'], 'mov', true, 2, 2);
def(['movabs'], 'mov', true, 2, 2);
for (const o of ['add', 'adc', 'sub', 'sbb', 'and', 'or', 'xor', 'cmp', 'test', 'xchg'] as const) def([o], o, true, 2, 2);
def(['lea'], 'lea', true, 2, 2);
for (const o of ['inc', 'dec', 'not', 'neg', 'mul', 'div', 'idiv'] as const) def([o], o, true, 1, 1);
def(['imul'], 'imul', true, 1, 3);
def(['shl', 'sal'], 'shl', true, 1, 2);
def(['shr'], 'shr', true, 1, 2);
def(['sar'], 'sar', true, 1, 2);
def(['rol'], 'rol', true, 1, 2);
def(['ror'], 'ror', true, 1, 2);
def(['push'], 'push', true, 1, 1);
def(['pop'], 'pop', true, 1, 1);
def(['jmp'], 'jmp', false, 1, 1);
def(['call'], 'call', false, 1, 1);
def(['ret'], 'ret', false, 0, 1);
def(['int'], 'int', false, 1, 1);
def(['int3'], 'int3', false, 0, 0);
def(['syscall'], 'syscall', false, 0, 0);
def(['nop'], 'nop', true, 0, 1);
def(['leave'], 'leave', false, 0, 0);
def(['hlt'], 'hlt', false, 0, 0);
def(['ud2'], 'ud2', false, 0, 0);
def(['cwtd', 'cwd'], 'cwd', false, 0, 0);
def(['cltd', 'cdq'], 'cdq', false, 0, 0);
def(['cqto', 'cqo'], 'cqo', false, 0, 0);
def(['cbtw', 'cbw'], 'cbw', false, 0, 0);
def(['cwtl', 'cwde'], 'cwde', false, 0, 0);
def(['cltq', 'cdqe'], 'cdqe', false, 0, 0);

/** Condition codes by every spelling gas accepts, to their canonical name. */
const CC: Record<string, string> = {
  o: 'o', no: 'no', b: 'b', c: 'b', nae: 'b', ae: 'ae', nb: 'ae', nc: 'ae', e: 'e', z: 'e', ne: 'ne', nz: 'ne',
  be: 'be', na: 'be', a: 'a', nbe: 'a', s: 's', ns: 'ns', p: 'p', pe: 'p', np: 'np', po: 'np',
  l: 'l', nge: 'l', ge: 'ge', nl: 'ge', le: 'le', ng: 'le', g: 'g', nle: 'g',
};

const SUFFIX: Record<string, number> = { b: 1, w: 2, l: 4, q: 8 };

export interface Insn {
  op: Op;
  /** Operand width in bytes (0 when the instruction has none). */
  w: number;
  /** Source width for movzx/movsx. */
  srcW: number;
  cc: string;
  ops: Operand[];
  text: string;
  file: string;
  line: number;
  /** Address and size in the text section (set by layout). */
  addr: number;
  size: number;
}

export class InsnError extends Error {}

const fail = (m: string): never => {
  throw new InsnError(m);
};

/** Decodes a mnemonic and its operands into an Insn, with gas's checks and messages. */
export function decodeInsn(arch: Arch, mnemonic: string, ops: Operand[], text: string, file: string, line: number): Insn {
  let info: OpInfo | undefined = TABLE[mnemonic];
  let suffixW = 0;
  let cc = '';
  let srcW = 0;
  let m: RegExpExecArray | null;
  if (!info) {
    if ((m = /^j([a-z]+)$/.exec(mnemonic)) && CC[m[1]!]) {
      info = { op: 'jcc', sized: false, min: 1, max: 1 };
      cc = CC[m[1]!]!;
    } else if ((m = /^set([a-z]+?)(b?)$/.exec(mnemonic)) && (CC[m[1]! + m[2]!] || CC[m[1]!])) {
      const name = CC[m[1]! + m[2]!] ? m[1]! + m[2]! : m[1]!;
      info = { op: 'setcc', sized: false, min: 1, max: 1 };
      cc = CC[name]!;
      suffixW = 1;
    } else if ((m = /^cmov([a-z]+?)([wlq]?)$/.exec(mnemonic)) && (CC[m[1]! + m[2]!] || CC[m[1]!])) {
      const name = CC[m[1]! + m[2]!] && !CC[m[1]!] ? m[1]! + m[2]! : m[1]!;
      info = { op: 'cmovcc', sized: true, min: 2, max: 2 };
      cc = CC[name]!;
      if (name === m[1]! && m[2]) suffixW = SUFFIX[m[2]]!;
    } else if ((m = /^mov([sz])([bw])([wlq]?)$/.exec(mnemonic))) {
      info = { op: m[1] === 's' ? 'movsx' : 'movzx', sized: false, min: 2, max: 2 };
      srcW = SUFFIX[m[2]!]!;
      if (m[3]) suffixW = SUFFIX[m[3]]!;
    } else if (mnemonic === 'movslq' || mnemonic === 'movsxd') {
      info = { op: 'movsx', sized: false, min: 2, max: 2 };
      srcW = 4;
      suffixW = 8;
    } else if (/[bwlq]$/.test(mnemonic) && TABLE[mnemonic.slice(0, -1)]) {
      const base = TABLE[mnemonic.slice(0, -1)]!;
      if (!base.sized && !(['call', 'jmp', 'ret'].includes(base.op) && mnemonic.endsWith(arch === 'i386' ? 'l' : 'q'))) {
        fail(`invalid instruction suffix for '${mnemonic.slice(0, -1)}'`);
      }
      info = base;
      if (base.sized) suffixW = SUFFIX[mnemonic.slice(-1)]!;
    }
  }
  if (!info) return fail(`no such instruction: '${text}'`);
  const name = mnemonic.replace(/[bwlq]$/, (s) => (TABLE[mnemonic] ? s : ''));
  if (ops.length < info.min || ops.length > info.max) fail(`number of operands mismatch for '${name}'`);
  for (const o of ops) {
    const regs: Register[] = o.k === 'reg' ? [o.reg] : o.k === 'mem' ? [o.base, o.index].filter((r): r is Register => !!r) : [];
    for (const r of regs) {
      if (arch === 'i386' && (r.x64 || r.width === 8)) fail(`bad register name '%${r.name}'`);
      if (r.num === 16 && o.k === 'reg') fail(`bad register name '%${r.name}'`);
    }
  }
  if (suffixW === 8 && arch === 'i386') fail(`invalid instruction suffix for '${name}'`);
  const insn: Insn = { op: info.op, w: 0, srcW, cc, ops, text, file, line, addr: 0, size: 0 };
  const mismatch = () => fail(`operand type mismatch for '${name}'`);
  const isReg = (o: Operand | undefined) => o?.k === 'reg' && !o.indirect;
  const isMem = (o: Operand | undefined) => o?.k === 'mem' && !o.indirect;
  const isImm = (o: Operand | undefined) => o?.k === 'imm';
  const regW = (o: Operand) => (o.k === 'reg' ? o.reg.width : 0);
  /** The operand size from the suffix and the register operands that must agree with it. */
  const size = (sized: Operand[], dflt = 0): number => {
    const widths = sized.filter(isReg).map(regW);
    if (suffixW) {
      for (const o of sized) {
        if (isReg(o) && regW(o) !== suffixW) fail(`incorrect register '%${(o as { reg: Register }).reg.name}' used with '${mnemonic.slice(-1)}' suffix`);
      }
      return suffixW;
    }
    if (widths.length) {
      if (widths.some((w) => w !== widths[0])) mismatch();
      return widths[0]!;
    }
    if (dflt) return dflt;
    return fail(`no instruction mnemonic suffix given and no register operands; can't size '${name}'`);
  };
  const noIndirect = () => {
    for (const o of ops) if ((o.k === 'reg' || o.k === 'mem') && o.indirect) fail(`operand type mismatch for '${name}'`);
  };
  const [a, b, c] = ops;
  switch (info.op) {
    case 'mov': case 'add': case 'adc': case 'sub': case 'sbb': case 'and': case 'or': case 'xor': case 'cmp': case 'test': case 'xchg': case 'cmovcc':
      noIndirect();
      if (isImm(b) || (isMem(a) && isMem(b))) mismatch();
      if ((info.op === 'xchg' || info.op === 'cmovcc') && isImm(a)) mismatch();
      if (info.op === 'cmovcc' && !isReg(b)) mismatch();
      insn.w = size([a!, b!]);
      if (info.op === 'cmovcc' && insn.w === 1) mismatch();
      break;
    case 'lea':
      noIndirect();
      if (!isMem(a) || !isReg(b)) mismatch();
      insn.w = size([b!]);
      if (insn.w === 1) mismatch();
      break;
    case 'movzx': case 'movsx':
      noIndirect();
      if (!isReg(b) || isImm(a)) mismatch();
      if (isReg(a) && regW(a!) !== srcW) fail(`incorrect register '%${(a as { reg: Register }).reg.name}' used with '${mnemonic[4]}' suffix`);
      insn.w = suffixW || regW(b!);
      if (regW(b!) !== insn.w || insn.w <= srcW) mismatch();
      break;
    case 'inc': case 'dec': case 'not': case 'neg': case 'mul': case 'div': case 'idiv':
      noIndirect();
      if (isImm(a)) mismatch();
      insn.w = size([a!]);
      break;
    case 'imul':
      noIndirect();
      if (ops.length === 1) {
        if (isImm(a)) mismatch();
        insn.w = size([a!]);
      } else if (ops.length === 2) {
        if (!isReg(b)) mismatch();
        insn.w = size(isImm(a) ? [b!] : [a!, b!]);
      } else {
        if (!isImm(a) || isImm(b) || !isReg(c)) mismatch();
        insn.w = size([b!, c!]);
      }
      if (ops.length > 1 && insn.w === 1) mismatch();
      break;
    case 'shl': case 'shr': case 'sar': case 'rol': case 'ror':
      noIndirect();
      if (ops.length === 2) {
        if (!(isImm(a) || (isReg(a) && (a as { reg: Register }).reg.name === 'cl'))) mismatch();
        if (isImm(b)) mismatch();
        insn.w = size([b!]);
      } else {
        if (isImm(a)) mismatch();
        insn.w = size([a!]);
      }
      break;
    case 'push': case 'pop': {
      noIndirect();
      if (info.op === 'pop' && isImm(a)) mismatch();
      const dflt = arch === 'i386' ? 4 : 8;
      insn.w = size([a!], dflt);
      if (insn.w === 1) mismatch();
      if (arch === 'x86_64' && insn.w === 4) fail(`invalid instruction suffix for '${name}'`);
      if (arch === 'i386' && insn.w === 8) mismatch();
      break;
    }
    case 'setcc':
      noIndirect();
      if (isImm(a)) mismatch();
      insn.w = size([a!], 1);
      break;
    case 'jmp': case 'jcc': case 'call':
      if (isImm(a)) mismatch();
      if (info.op === 'jcc' && a!.k !== 'mem') mismatch();
      if (info.op === 'jcc' && a!.k === 'mem' && (a.indirect || a.base || a.index)) mismatch();
      if (a!.k === 'reg' && !a.indirect) {
        // gas accepts `jmp %eax` with a warning; treat it as indirect.
        a.indirect = true;
      }
      if (a!.k === 'reg' && a.reg.width !== (arch === 'i386' ? 4 : 8)) mismatch();
      insn.w = arch === 'i386' ? 4 : 8;
      break;
    case 'ret':
      if (a && !isImm(a)) mismatch();
      break;
    case 'int':
      if (!isImm(a)) mismatch();
      break;
    case 'nop':
      if (a) insn.w = size([a]);
      break;
    case 'cqo': case 'cdqe':
      if (arch === 'i386') fail(`no such instruction: '${text}'`);
      break;
    default:
      break;
  }
  return insn;
}

/** A rough x86 encoding length, so that addresses in .text look like real ones. */
export function estimateSize(insn: Insn, arch: Arch, immFits8: (o: Operand) => boolean): number {
  const { op, ops, w } = insn;
  let n = 0;
  const prefix = (w === 2 ? 1 : 0) + (arch === 'x86_64' && (w === 8 || ops.some((o) => (o.k === 'reg' && o.reg.num >= 8) || (o.k === 'mem' && ((o.base?.num ?? 0) >= 8 && o.base?.num !== 16 || (o.index?.num ?? 0) >= 8)))) ? 1 : 0);
  const memSize = (o: Operand): number => {
    if (o.k !== 'mem') return 0;
    if (!o.base && !o.index) return 5;
    let s = 1;
    if (o.index || o.base?.num === 4 || o.base?.num === 12) s++;
    if (o.base?.num === 16) return 5;
    if (o.disp) s += 4;
    else if (o.base?.num === 5 || o.base?.num === 13) s += 1;
    return s;
  };
  const rm = ops.find((o) => o.k === 'mem');
  const imm = ops.find((o) => o.k === 'imm');
  switch (op) {
    case 'jmp': case 'call': n = ops[0]!.k === 'mem' && !ops[0]!.indirect ? 5 : 1 + (rm ? memSize(rm) : 1); break;
    case 'jcc': n = 6; break;
    case 'ret': n = ops.length ? 3 : 1; break;
    case 'int': n = 2; break;
    case 'int3': case 'nop': case 'leave': case 'hlt': case 'cwd': case 'cdq': case 'cqo': case 'cbw': case 'cwde': case 'cdqe': n = 1; break;
    case 'syscall': case 'ud2': n = 2; break;
    case 'push': case 'pop':
      if (imm) n = immFits8(imm) ? 2 : 5;
      else n = rm ? 1 + memSize(rm) : 1;
      break;
    case 'mov':
      if (imm && ops[1]!.k === 'reg') n = 1 + (w === 8 ? (immFits8(imm) ? 6 : 8) : w === 2 ? 2 : w);
      // mov between the accumulator and an absolute address has its own short form (a0-a3 moffs).
      else if (!imm && rm && rm.k === 'mem' && !rm.base && !rm.index && ops.some((o) => o.k === 'reg' && o.reg.num === 0 && !o.reg.high)) n = 1 + (arch === 'x86_64' ? 8 : 4);
      else n = 1 + (rm ? memSize(rm) : 1) + (imm ? Math.min(w, 4) : 0);
      break;
    default: {
      const opBytes = op === 'movzx' || op === 'movsx' || op === 'setcc' || op === 'cmovcc' || (op === 'imul' && ops.length === 2) ? 2 : 1;
      n = opBytes + (rm ? memSize(rm) : 1) + (imm ? (immFits8(imm) && w > 1 ? 1 : Math.min(w, 4)) : 0);
    }
  }
  return n + prefix;
}
