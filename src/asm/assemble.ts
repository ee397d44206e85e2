// The assembler proper: runs the directives of each file (sections, data, alignment, symbols),
// decodes instructions, lays out .text/.rodata/.data/.bss of every file at the machine's user
// addresses (as ld would for a static executable), then resolves every expression (labels, `.`,
// `sym = expr`, `.equ`) to numbers. Undefined symbols and a missing _start read like ld's messages.
import { AsmError, ExprParser, LocalLabels, parseAsm, readString, splitOperands, type Expr, type Operand, type Statement } from './syntax.js';
import { decodeInsn, estimateSize, InsnError, type Arch, type Insn } from './isa.js';

export type SectionName = '.text' | '.rodata' | '.data' | '.bss';
const SECTION_ORDER: SectionName[] = ['.text', '.rodata', '.data', '.bss'];

/** A value that is only known after layout. */
interface Fixup {
  off: number;
  size: number;
  e: Expr;
  line: number;
}

interface UnitSection {
  bytes: number[];
  /** Current location (bss has no bytes, only a size). */
  size: number;
  align: number;
  fixups: Fixup[];
  base: number;
}

type SymDef = { k: 'label'; sec: SectionName; off: number; line: number } | { k: 'expr'; e: Expr; line: number; dotSec: SectionName; dotOff: number };

interface Unit {
  file: string;
  sections: Record<SectionName, UnitSection>;
  symbols: Map<string, SymDef>;
  globals: Set<string>;
  insns: Insn[];
}

export interface AsmSegment {
  name: SectionName;
  addr: number;
  size: number;
  bytes: Uint8Array;
  prot: number;
}

/** An instruction with its operands resolved to numbers. */
export interface ResolvedInsn extends Insn {
  /** imm value / memory displacement / direct branch target, per operand (bigint). */
  vals: bigint[];
  /** The address after this instruction (return address of a call). */
  next: number;
}

export interface AsmProgram {
  arch: Arch;
  segments: AsmSegment[];
  insns: ResolvedInsn[];
  textStart: number;
  textEnd: number;
  entry: number;
  symbols: Record<string, number>;
  warnings: string[];
}

export interface AsmResult {
  program?: AsmProgram;
  /** gas and ld messages, ready to print. */
  messages: string[];
  failed: boolean;
}

export const ASM_TEXT_BASE: Record<Arch, number> = { i386: 0x8048000, x86_64: 0x401000 };
const PAGE = 4096;
const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Assembles and links source files into a program. */
export function assemble(files: { path: string; text: string; lineMarkers?: boolean }[], arch: Arch): AsmResult {
  const messages: string[] = [];
  const units: Unit[] = [];
  let failed = false;
  for (const f of files) {
    const errs: AsmError[] = [];
    const unit = assembleUnit(f.path, f.text, arch, errs, !!f.lineMarkers);
    // gas reports in source order (parse errors and later checks of one file interleave by line).
    errs.sort((a, b) => a.line - b.line);
    if (errs.length) {
      failed = failed || errs.some((e) => e.severity === 'Error');
      messages.push(`${f.path}: Assembler messages:`);
      for (const e of errs) messages.push(e.message);
    }
    units.push(unit);
  }
  if (failed) return { messages, failed: true };
  return linkUnits(units, arch, messages);
}

function newSection(): UnitSection {
  return { bytes: [], size: 0, align: 1, fixups: [], base: 0 };
}

function sectionFor(name: string): SectionName | null {
  if (name === '.text' || name.startsWith('.text.')) return '.text';
  if (name === '.data' || name.startsWith('.data.')) return '.data';
  if (name === '.bss' || name.startsWith('.bss.')) return '.bss';
  if (name === '.rodata' || name.startsWith('.rodata.')) return '.rodata';
  return null;
}

function assembleUnit(file: string, text: string, arch: Arch, errors: AsmError[], lineMarkers: boolean): Unit {
  const parsed = parseAsm(file, text, { lineMarkers });
  errors.push(...parsed.errors);
  const unit: Unit = {
    file,
    sections: { '.text': newSection(), '.rodata': newSection(), '.data': newSection(), '.bss': newSection() },
    symbols: new Map(),
    globals: new Set(),
    insns: [],
  };
  let cur: SectionName | null = '.text';
  const sectionStack: (SectionName | null)[] = [];
  let dotCount = 0;
  for (const st of parsed.statements) {
    const err = (m: string): never => {
      throw new AsmError(file, st.line, m);
    };
    try {
      runStatement(st, err);
    } catch (e) {
      if (e instanceof AsmError) errors.push(e);
      else if (e instanceof InsnError) errors.push(new AsmError(file, st.line, e.message));
      else throw e;
    }
  }
  return unit;

  function sec(err: (m: string) => never): UnitSection {
    if (!cur) return err('attempt to store data in an unsupported section');
    return unit.sections[cur];
  }

  /** Replaces `.` with a hidden label at the current location. */
  function bindDot(e: Expr): Expr {
    switch (e.k) {
      case 'dot': {
        const name = `\u0001dot${dotCount++}`;
        unit.symbols.set(name, { k: 'label', sec: cur ?? '.text', off: cur ? unit.sections[cur].size : 0, line: 0 });
        return { k: 'sym', name };
      }
      case 'un': return { ...e, a: bindDot(e.a) };
      case 'bin': return { ...e, a: bindDot(e.a), b: bindDot(e.b) };
      default: return e;
    }
  }

  /** Evaluates an expression now (sizes, counts, alignment): labels only as differences in one section. */
  function constant(e: Expr, err: (m: string) => never, what: string): bigint {
    const v = evalRel(e, unit, err, new Set());
    if (v === null || v.sec !== null) return err(`${what} must be an absolute expression`);
    return v.v;
  }

  function emit(s: UnitSection, size: number, e: Expr, line: number, err: (m: string) => never): void {
    if (cur === '.bss') {
      // gas: values in .bss must be zero.
      const v = evalRel(e, unit, () => null as never, new Set());
      if (!v || v.sec !== null || v.v !== 0n) err(`attempt to store non-zero value in section '.bss'`);
      s.size += size;
      return;
    }
    const v = evalRel(e, unit, () => null as never, new Set());
    const off = s.size;
    if (v && v.sec === null) pushInt(s, v.v, size);
    else {
      pushInt(s, 0n, size);
      s.fixups.push({ off, size, e, line });
    }
  }

  function runStatement(st: Statement, err: (m: string) => never): void {
    switch (st.k) {
      case 'label': {
        if (unit.symbols.has(st.name)) err(`symbol '${st.name}' is already defined`);
        if (!cur) return;
        unit.symbols.set(st.name, { k: 'label', sec: cur, off: unit.sections[cur].size, line: st.line });
        return;
      }
      case 'assign': {
        const prev = unit.symbols.get(st.name);
        if (prev && prev.k === 'label') err(`symbol '${st.name}' is already defined`);
        unit.symbols.set(st.name, { k: 'expr', e: bindDot(st.e), line: st.line, dotSec: cur ?? '.text', dotOff: 0 });
        return;
      }
      case 'insn': {
        if (cur !== '.text') {
          if (cur === '.bss') err(`attempt to store non-zero value in section '.bss'`);
          if (!cur) return;
        }
        const insn = decodeInsn(arch, st.mnemonic, st.operands.map((o) => bindOperandDot(o)), st.text, file, st.line);
        const s = unit.sections[cur!];
        insn.size = estimateSize(insn, arch, (o) => {
          if (o.k !== 'imm') return false;
          const v = evalRel(o.e, unit, () => null as never, new Set());
          return !!v && v.sec === null && v.v >= -128n && v.v <= 127n;
        });
        insn.addr = s.size;
        (insn as Insn & { section: SectionName }).section = cur!;
        for (let i = 0; i < insn.size; i++) s.bytes.push(0x90);
        s.size += insn.size;
        unit.insns.push(insn);
        return;
      }
      case 'directive':
        directive(st.name, st.args, st.line, err);
        return;
    }
  }

  function bindOperandDot(o: Operand): Operand {
    if (o.k === 'imm') return { ...o, e: bindDot(o.e) };
    if (o.k === 'mem' && o.disp) return { ...o, disp: bindDot(o.disp) };
    return o;
  }

  function exprs(args: string, err: (m: string) => never): Expr[] {
    if (args.trim() === '') return [];
    return splitOperands(args).map((a) => {
      const p = new ExprParser(a, new LocalLabels(), err);
      const e = p.parse();
      if (!p.atEnd()) err(`junk at end of line, first unrecognized character is '${a.slice(p.pos).trim()[0]}'`);
      return bindDot(e);
    });
  }

  function align(bytes: number, fill: number | null, err: (m: string) => never): void {
    const s = sec(err);
    if (bytes <= 0 || (bytes & (bytes - 1)) !== 0) err(`alignment not a power of 2`);
    s.align = Math.max(s.align, bytes);
    const pad = (bytes - (s.size % bytes)) % bytes;
    const filler = fill ?? (cur === '.text' ? 0x90 : 0);
    if (cur !== '.bss') for (let i = 0; i < pad; i++) s.bytes.push(filler);
    s.size += pad;
  }

  function directive(name: string, args: string, line: number, err: (m: string) => never): void {
    switch (name) {
      case '.text': case '.data': case '.bss':
        cur = name;
        return;
      case '.section': case '.pushsection': {
        const secName = args.split(',')[0]!.trim().replace(/^"|"$/g, '');
        if (!secName) err('expected symbol name');
        if (name === '.pushsection') sectionStack.push(cur);
        // Sections ksim does not load (.note.GNU-stack, .comment, debug info) are accepted and dropped.
        cur = sectionFor(secName);
        return;
      }
      case '.popsection':
        if (!sectionStack.length) err('.popsection without corresponding .pushsection; ignored');
        cur = sectionStack.pop() ?? '.text';
        return;
      case '.previous':
        return;
      case '.globl': case '.global':
        for (const n of args.split(',').map((x) => x.trim())) {
          if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(n)) err(`expected symbol name`);
          unit.globals.add(n);
        }
        return;
      case '.local': case '.type': case '.size': case '.file': case '.ident': case '.weak': case '.hidden':
      case '.cfi_startproc': case '.cfi_endproc': case '.cfi_def_cfa_offset': case '.cfi_offset': case '.cfi_def_cfa_register':
      case '.cfi_def_cfa': case '.cfi_sections': case '.loc': case '.intel_syntax': case '.att_syntax':
        if (name === '.intel_syntax') err(`ksim's assembler reads AT&T syntax only (.intel_syntax is not supported)`);
        if (name === '.weak') for (const n of args.split(',').map((x) => x.trim())) unit.globals.add(n);
        return;
      case '.code32':
        if (arch !== 'i386') err(`.code32 is not supported on an x86_64 machine`);
        return;
      case '.code64':
        if (arch !== 'x86_64') err(`64bit mode not supported on '${'i386'}'.`);
        return;
      case '.string': case '.asciz': case '.ascii': {
        const s = sec(err);
        const zero = name !== '.ascii';
        let pos = 0;
        const text = args.trim();
        if (text === '') err(`expected string`);
        for (;;) {
          while (text[pos] === ' ' || text[pos] === '\t') pos++;
          if (text[pos] !== '"') err(`expected string`);
          const r = readString(text, pos, err);
          if (cur === '.bss') err(`attempt to store non-zero value in section '.bss'`);
          s.bytes.push(...r.bytes);
          s.size += r.bytes.length;
          if (zero) {
            s.bytes.push(0);
            s.size++;
          }
          pos = r.next;
          while (text[pos] === ' ' || text[pos] === '\t') pos++;
          if (pos >= text.length) break;
          if (text[pos] !== ',') err(`junk at end of line, first unrecognized character is '${text[pos]}'`);
          pos++;
        }
        return;
      }
      case '.byte': case '.word': case '.short': case '.hword': case '.value': case '.long': case '.int': case '.quad': case '.4byte': case '.2byte': case '.8byte': {
        const size = { '.byte': 1, '.word': 2, '.short': 2, '.hword': 2, '.value': 2, '.2byte': 2, '.long': 4, '.int': 4, '.4byte': 4, '.quad': 8, '.8byte': 8 }[name]!;
        const s = sec(err);
        for (const e of exprs(args, err)) emit(s, size, e, line, err);
        return;
      }
      case '.zero': case '.space': case '.skip': {
        const [n, fill] = exprs(args, err);
        if (!n) err(`missing size expression`);
        const count = Number(constant(n!, err, `${name} size`));
        const f = fill ? Number(constant(fill, err, `${name} fill value`)) & 0xff : 0;
        if (count < 0) err(`${name} with negative value ignored`);
        const s = sec(err);
        if (cur === '.bss' && f !== 0) err(`attempt to store non-zero value in section '.bss'`);
        if (cur !== '.bss') for (let i = 0; i < count; i++) s.bytes.push(f);
        s.size += count;
        return;
      }
      case '.fill': {
        const [n, sz, v] = exprs(args, err);
        const count = Number(constant(n!, err, '.fill repeat'));
        const size = sz ? Math.min(8, Number(constant(sz, err, '.fill size'))) : 1;
        const value = v ? constant(v, err, '.fill value') : 0n;
        const s = sec(err);
        for (let i = 0; i < count; i++) {
          if (cur === '.bss') s.size += size;
          else pushInt(s, value, size);
        }
        return;
      }
      case '.align': case '.balign': case '.p2align': {
        const [n, fill] = exprs(args, err);
        if (!n) err(`expected alignment`);
        let v = Number(constant(n!, err, `${name} alignment`));
        // On x86 ELF, gas's .align takes bytes (like .balign).
        if (name === '.p2align') v = 2 ** v;
        align(v, fill ? Number(constant(fill, err, 'fill')) & 0xff : null, err);
        return;
      }
      case '.equ': case '.set': case '.equiv': {
        const comma = args.indexOf(',');
        if (comma < 0) err(`expected comma after name in ${name}`);
        const sym = args.slice(0, comma).trim();
        if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(sym)) err(`expected symbol name`);
        const [e] = exprs(args.slice(comma + 1), err);
        if (!e) err(`missing expression`);
        const prev = unit.symbols.get(sym);
        if (prev && (prev.k === 'label' || name === '.equiv')) err(`symbol '${sym}' is already defined`);
        unit.symbols.set(sym, { k: 'expr', e: e!, line, dotSec: cur ?? '.text', dotOff: 0 });
        return;
      }
      case '.comm': case '.lcomm': {
        const parts = args.split(',').map((x) => x.trim());
        const sym = parts[0]!;
        const size = Number(constant(exprs(parts[1] ?? '', err)[0] ?? err('missing size'), err, 'size'));
        const al = parts[2] ? Number(constant(exprs(parts[2], err)[0]!, err, 'alignment')) : Math.min(16, size >= 16 ? 16 : 4);
        const b = unit.sections['.bss'];
        b.size = roundUp(b.size, al);
        b.align = Math.max(b.align, al);
        if (unit.symbols.has(sym)) err(`symbol '${sym}' is already defined`);
        unit.symbols.set(sym, { k: 'label', sec: '.bss', off: b.size, line });
        b.size += size;
        if (name === '.comm') unit.globals.add(sym);
        return;
      }
      default:
        err(`unknown pseudo-op: '${name}'`);
    }
  }
}

function pushInt(s: UnitSection, v: bigint, size: number): void {
  const u = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) s.bytes.push(Number((u >> BigInt(i * 8)) & 0xffn));
  s.size += size;
}

/** A value relative to a section of this unit (sec set) or absolute (sec null); null when unknown yet. */
type Rel = { v: bigint; sec: SectionName | null } | null;

function evalRel(e: Expr, unit: Unit, err: (m: string) => never, seen: Set<string>): Rel {
  switch (e.k) {
    case 'num': return { v: e.v, sec: null };
    case 'dot': return null;
    case 'sym': {
      const d = unit.symbols.get(e.name);
      if (!d) return null;
      if (d.k === 'label') return { v: BigInt(d.off), sec: d.sec };
      if (seen.has(e.name)) return err(`symbol definition loop encountered at '${e.name}'`);
      seen.add(e.name);
      const r = evalRel(d.e, unit, err, seen);
      seen.delete(e.name);
      return r;
    }
    case 'un': {
      const a = evalRel(e.a, unit, err, seen);
      if (!a || a.sec !== null) return null;
      return { v: unaryOp(e.op, a.v), sec: null };
    }
    case 'bin': {
      const a = evalRel(e.a, unit, err, seen);
      const b = evalRel(e.b, unit, err, seen);
      if (!a || !b) return null;
      if (e.op === '-' && a.sec !== null && a.sec === b.sec) return { v: a.v - b.v, sec: null };
      if (e.op === '+' && (a.sec === null || b.sec === null)) return { v: a.v + b.v, sec: a.sec ?? b.sec };
      if (e.op === '-' && b.sec === null) return { v: a.v - b.v, sec: a.sec };
      if (a.sec !== null || b.sec !== null) return null;
      return { v: binaryOp(e.op, a.v, b.v, err), sec: null };
    }
  }
}

function unaryOp(op: string, a: bigint): bigint {
  switch (op) {
    case '-': return -a;
    case '~': return ~a;
    case '!': return a === 0n ? 1n : 0n;
    default: return a;
  }
}

function binaryOp(op: string, a: bigint, b: bigint, err: (m: string) => never): bigint {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': if (b === 0n) err('division by zero'); return a / b;
    case '%': if (b === 0n) err('division by zero'); return a % b;
    case '<<': return a << (b & 63n);
    case '>>': return a >> (b & 63n);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '==': return a === b ? -1n : 0n;
    case '!=': case '<>': return a !== b ? -1n : 0n;
    case '<': return a < b ? -1n : 0n;
    case '>': return a > b ? -1n : 0n;
    case '<=': return a <= b ? -1n : 0n;
    case '>=': return a >= b ? -1n : 0n;
    default: return err(`bad expression`);
  }
}

/** Lays out every unit's sections and resolves all expressions to addresses. */
function linkUnits(units: Unit[], arch: Arch, messages: string[]): AsmResult {
  const base = ASM_TEXT_BASE[arch];
  let at = base;
  const segments: AsmSegment[] = [];
  // Sections of the same name from every file are concatenated; each kind starts on its own page.
  for (const name of SECTION_ORDER) {
    if (name !== '.text') at = roundUp(at, PAGE);
    const start = at;
    for (const u of units) {
      const s = u.sections[name];
      at = roundUp(at, s.align);
      s.base = at;
      at += s.size;
    }
    segments.push({ name, addr: start, size: at - start, bytes: new Uint8Array(name === '.bss' ? 0 : at - start), prot: name === '.text' ? 5 : name === '.rodata' ? 1 : 3 });
  }
  // Global symbols.
  const globals = new Map<string, { unit: Unit; def: SymDef }>();
  for (const u of units) {
    for (const g of u.globals) {
      const def = u.symbols.get(g);
      if (!def) continue;
      const prev = globals.get(g);
      if (prev) {
        messages.push(`ld: ${u.file}: multiple definition of '${g}'; ${prev.unit.file}: first defined here`);
        continue;
      }
      globals.set(g, { unit: u, def });
    }
  }
  const undefinedRefs = new Set<string>();
  let linkFailed = messages.some((m) => m.startsWith('ld:'));
  const resolve = (u: Unit, e: Expr, where: string, seen = new Set<string>()): bigint => {
    switch (e.k) {
      case 'num': return e.v;
      case 'dot': return 0n;
      case 'sym': {
        let owner = u;
        let d = u.symbols.get(e.name);
        if (!d) {
          const g = globals.get(e.name);
          if (g) {
            owner = g.unit;
            d = g.def;
          }
        }
        if (!d) {
          const shown = e.name.includes('\u0002') ? e.name.replace(/^\.L(\d+)\u0002\d+$/, '$1') : e.name;
          const key = `${where}:${shown}`;
          if (!undefinedRefs.has(key)) {
            undefinedRefs.add(key);
            messages.push(`ld: ${where}: undefined reference to '${shown}'`);
          }
          linkFailed = true;
          return 0n;
        }
        if (d.k === 'label') return BigInt(owner.sections[d.sec].base + d.off);
        if (seen.has(e.name)) {
          messages.push(`${owner.file}:${d.line}: Error: symbol definition loop encountered at '${e.name}'`);
          linkFailed = true;
          return 0n;
        }
        seen.add(e.name);
        const v = resolve(owner, d.e, where, seen);
        seen.delete(e.name);
        return v;
      }
      case 'un': return unaryOp(e.op, resolve(u, e.a, where, seen));
      case 'bin': {
        return binaryOp(e.op, resolve(u, e.a, where, seen), resolve(u, e.b, where, seen), () => {
          linkFailed = true;
          return 0n as never;
        });
      }
    }
  };
  // Data fixups.
  for (const name of SECTION_ORDER) {
    const seg = segments.find((s) => s.name === name)!;
    for (const u of units) {
      const s = u.sections[name];
      if (name === '.bss') continue;
      const bytes = s.bytes.slice();
      for (const f of s.fixups) {
        const v = BigInt.asUintN(f.size * 8, resolve(u, f.e, `${u.file}:(${name}+0x${f.off.toString(16)})`));
        for (let i = 0; i < f.size; i++) bytes[f.off + i] = Number((v >> BigInt(i * 8)) & 0xffn);
      }
      seg.bytes.set(bytes, s.base - seg.addr);
    }
  }
  // Instructions.
  const insns: ResolvedInsn[] = [];
  for (const u of units) {
    for (const insn of u.insns) {
      const section = (insn as Insn & { section: SectionName }).section;
      const addr = u.sections[section].base + insn.addr;
      const where = `${u.file}:(${section}+0x${insn.addr.toString(16)})`;
      const vals = insn.ops.map((o) => (o.k === 'imm' ? resolve(u, o.e, where) : o.k === 'mem' && o.disp ? resolve(u, o.disp, where) : 0n));
      insns.push({ ...insn, addr, next: addr + insn.size, vals });
    }
  }
  const symbols: Record<string, number> = {};
  for (const [name, g] of globals) symbols[name] = Number(BigInt.asUintN(64, resolve(g.unit, { k: 'sym', name }, 'symbols')));
  const textSeg = segments[0]!;
  let entry = textSeg.addr;
  const warnings: string[] = [];
  if (symbols._start !== undefined) entry = symbols._start;
  else {
    const hex = entry.toString(16).padStart(arch === 'i386' ? 8 : 16, '0');
    warnings.push(`ld: warning: cannot find entry symbol _start; defaulting to ${hex}`);
  }
  messages.push(...warnings);
  if (linkFailed) return { messages, failed: true };
  return {
    program: { arch, segments, insns, textStart: textSeg.addr, textEnd: textSeg.addr + textSeg.size, entry, symbols, warnings },
    messages,
    failed: false,
  };
}
