// The code generator: turns a typed function (typed.ts) into the JavaScript source of a resumable
// step function (docs/runtime-abi.md). Scalars live in JS variables v0..vN loaded from F.l at entry
// and saved back before every CALL/TRAP/YIELD; memory objects live at F.bp + offset. The body is
// `for(;;) switch(pc)` over basic blocks; straight-line statements (including if/else without
// calls) are plain JS inside a block. Symbol addresses and function indices are left as
// placeholders `@@A:sym@@` / `@@F:sym@@` that the linker fills in.
//
// Value representation: ints up to 32 bits are numbers in their C range; 64-bit ints and x86_64
// pointers are Int64 (number | bigint, see int64.ts); i386 pointers are uint32 numbers; float and
// double are numbers (float rounded with Math.fround); a struct value is the address of its bytes.
import type { Loc } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { FrameLayout, isStraightLine, needsStatements } from './lower.js';
import type { CType, Member, Types } from './types.js';
import type { BinOp, InitItem, TExpr, TFunction, TStmt, VarInfo } from './typed.js';

/** How a C type's values are held in JS. */
type Rep = 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64' | 'struct' | 'void';

export interface GeneratedFunction {
  name: string;
  sym: string;
  isStatic: boolean;
  /** `function (P, F) {...}` source with placeholders. */
  code: string;
  nparams: number;
  nlocals: number;
  frameSize: number;
  variadic: boolean;
  file: string;
  line: number;
  blockLines: number[];
  /** Symbols the code refers to (functions called directly, addresses taken). */
  refs: string[];
  /**
   * The direct form (`function (P, v0, ...) {...}`, see DirectFn in src/runtime/cpu.ts) when the
   * function itself never suspends: no system call, no call through a pointer or to a variadic
   * function, no alloca or va_list. The linker keeps it only if every function it calls
   * (directCalls) has a direct form too.
   */
  direct?: string;
  directCalls?: string[];
}

interface Block {
  id: number;
  code: string[];
  line: number;
  /** Set once the block ends in a jump or return. */
  done: boolean;
  loopHead: boolean;
}

class CodegenBail extends Error {}

/** Separates a line's step form from its direct form in Block.code (see emit2). */
const BOTH = '\u0001';
const both = (step: string, direct: string): string => step + BOTH + direct;

/**
 * How much JS stack a chain of direct calls may use before the rest runs as step functions, in
 * units of one JS stack slot: each direct function counts its slots plus a fixed overhead
 * (DIRECT_FRAME_WEIGHT), so small functions nest about a thousand deep, large ones less, and the
 * chain stays well inside Node's default stack whatever the functions' sizes.
 */
const DIRECT_STACK_UNITS = 40_000;
const DIRECT_FRAME_WEIGHT = 32;

export class FunctionCodegen {
  private blocks: Block[] = [];
  private placed: Block[] = [];
  private cur!: Block;
  private L: FrameLayout;
  private refs = new Set<string>();
  private breakTargets: Block[] = [];
  private continueTargets: Block[] = [];
  private labels = new Map<string, Block>();
  private caseBlocks = new Map<number, Block>();
  private line = 0;
  private readonly p64: boolean;
  /** False once the function does something only a step function can (see GeneratedFunction.direct). */
  private directOk = true;
  private directCalls = new Set<string>();

  constructor(
    readonly T: Types,
    readonly f: TFunction,
    readonly diags: Diagnostic[],
  ) {
    this.L = new FrameLayout(T);
    this.p64 = T.L.ptrSize === 8;
  }

  private sorry(loc: Loc, what: string): never {
    this.diags.push({ severity: 'error', message: `sorry, unimplemented: ${what}`, loc });
    throw new CodegenBail();
  }

  // -------------------------------------------------------------------------------------------
  // Blocks

  private newBlock(loopHead = false): Block {
    const b: Block = { id: this.blocks.length, code: [], line: this.line, done: false, loopHead };
    this.blocks.push(b);
    return b;
  }

  /** Places b after the current block (falling through into it if the current one is open). */
  private start(b: Block): void {
    if (this.cur && !this.cur.done) this.cur.code.push(`pc = ${b.id};`);
    b.line = b.line || this.line;
    this.placed.push(b);
    this.cur = b;
    if (b.loopHead) b.code.push(both(`if (--P.budget < 0) { F.pc = ${b.id}; @@SAVE@@ return 3; }`, 'if (--P.budget < 0) throw P.directYield();'));
  }

  private emit(s: string): void {
    this.cur.code.push(s);
  }

  /** Emits code that differs between the step form and the direct form. */
  private emit2(step: string, direct: string): void {
    this.cur.code.push(both(step, direct));
  }

  /** A return of `value` (a JS expression, or '' for none) from either form. */
  private emitReturn(value: string, before = ''): void {
    const v = value || 'undefined';
    this.emit2(`${before}P.rv = ${v}; return 0;`, `{ ${before}const r = ${v}; P.sp = savedSp; P.dd -= @@DW@@; return r; }`);
  }

  private jump(b: Block): void {
    this.emit(`pc = ${b.id}; continue;`);
  }

  /** Ends the current block with a jump; following code goes to a fresh unreachable block. */
  private jumpAndClose(b: Block): void {
    this.jump(b);
    this.cur.done = true;
    this.start(this.newBlock());
  }

  private tmp(): string {
    return `v${this.L.slot()}`;
  }

  // -------------------------------------------------------------------------------------------
  // Types

  rep(t: CType): Rep {
    switch (t.k) {
      case 'int':
        if (t.size === 8) return t.signed ? 'i64' : 'u64';
        if (t.size === 4 && !t.signed) return 'u32';
        return 'i32';
      case 'ptr':
      case 'array':
      case 'func':
        return this.p64 ? 'u64' : 'u32';
      case 'float':
        return t.size === 4 ? 'f32' : 'f64';
      case 'struct':
        return 'struct';
      case 'void':
        return 'void';
    }
  }

  private size(t: CType): number {
    return this.T.sizeof(t);
  }

  // -------------------------------------------------------------------------------------------
  // Function

  generate(): GeneratedFunction {
    const f = this.f;
    this.line = f.loc.line;
    this.L.layoutFunction(f);
    const entry = this.newBlock();
    this.start(entry);
    // Copy memory-resident parameters into the frame; zero register locals.
    for (const p of f.params) {
      if (!p.inMemory) continue;
      const a = `(bp + ${p.offset})`;
      if (p.type.k === 'struct') this.emit(`M.copy(${a}, ${this.addrNum(`v${p.slot}`)}, ${this.size(p.type)});`);
      else this.emit(this.storeStmt(p.type, a, `v${p.slot}`));
    }
    // Register locals start as 0: the frame's F.l is padded with zeros beyond the arguments.
    try {
      this.stmt(f.body);
    } catch (e) {
      if (!(e instanceof CodegenBail)) throw e;
    }
    if (!this.cur.done) {
      this.emitReturn(f.info.name === 'main' ? '0' : '');
      this.cur.done = true;
    }
    return this.assemble();
  }

  private assemble(): GeneratedFunction {
    const f = this.f;
    const n = this.L.nslots;
    const vars: string[] = [];
    const save: string[] = [];
    // Only variables the function assigns need saving before it leaves the step: the others
    // still hold in F.l what they were loaded from.
    const assigned = new Set<number>();
    for (const b of this.placed) for (const c of b.code) for (const m of c.matchAll(/\bv(\d+) = /g)) assigned.add(Number(m[1]));
    for (let i = 0; i < n; i++) {
      vars.push(`v${i} = l[${i}]`);
      if (assigned.has(i)) save.push(`l[${i}] = v${i};`);
    }
    const saveStr = save.join(' ');
    const body: string[] = [];
    const dbody: string[] = [];
    for (const b of this.placed) {
      body.push(`case ${b.id}:`);
      dbody.push(`case ${b.id}:`);
      for (const c of b.code) {
        const [step, direct = step] = c.split(BOTH);
        body.push('  ' + step!.split('@@SAVE@@').join(saveStr));
        dbody.push('  ' + direct);
      }
    }
    const blockLines: number[] = [];
    for (const b of this.blocks) blockLines[b.id] = b.line;
    const code =
      `function (P, F) {\n` +
      `const M = P.mem, l = F.l, bp = F.bp;\n` +
      `let pc = F.pc${vars.length ? ', ' + vars.join(', ') : ''};\n` +
      `try {\nfor (;;) switch (pc) {\n${body.join('\n')}\n  default: return $badpc(P, F, pc);\n}\n} catch (e) { if (P.frames[P.frames.length - 1] === F) F.pc = pc; throw e; }\n}`;
    const direct = this.directOk && !f.info.type.variadic ? this.assembleDirect(dbody) : undefined;
    return {
      name: f.info.name,
      sym: f.info.sym,
      isStatic: f.info.isStatic,
      code,
      ...(direct ? { direct, directCalls: [...this.directCalls] } : {}),
      nparams: f.params.length,
      nlocals: n,
      frameSize: this.L.finalSize(),
      variadic: f.info.type.variadic,
      file: f.loc.file,
      line: f.loc.line,
      blockLines,
      refs: [...this.refs],
    };
  }

  /**
   * The direct form's source (see GeneratedFunction.direct): parameters arrive as JS arguments, the
   * other slots start at 0, the frame's C stack bytes are reserved below P.sp as P.call would (sp is
   * 16-byte aligned whenever P.call enters a direct form, and finalSize a multiple of 16), and
   * on any exception (end of the time slice, too deep, a fault) the function rebuilds its Frame
   * with P.unwindDirect so the step form can resume it. Undefined if anything step-only slipped in.
   */
  private assembleDirect(dbody: string[]): string | undefined {
    const n = this.L.nslots;
    const np = this.f.params.length;
    const weight = n + DIRECT_FRAME_WEIGHT;
    const text = dbody.join('\n').split('@@DW@@').join(String(weight));
    if (/\bF\.|\bl\[|@@SAVE@@|\$alloca|\breturn [0-4];/.test(text)) return undefined;
    const params = Array.from({ length: np }, (_, i) => `, v${i}`).join('');
    const others = Array.from({ length: n - np }, (_, i) => `, v${np + i} = 0`).join('');
    const all = Array.from({ length: n }, (_, i) => `v${i}`).join(', ');
    const self = `FN[@@F:${this.f.info.sym}@@]`;
    return (
      `function (P${params}) {\n` +
      `const M = P.mem, savedSp = P.sp, bp = savedSp - ${this.L.finalSize() + 16};\n` +
      `if (bp < P.stackLimit) P.directOverflow(bp, ${self});\n` +
      `let pc = 0${others};\n` +
      `P.sp = bp;\n` +
      `try {\nif (--P.budget < 0) throw P.directYield();\nif ((P.dd += ${weight}) > ${DIRECT_STACK_UNITS}) throw P.directDeep();\n` +
      `for (;;) switch (pc) {\n${text}\n  default: return $badpc(P, { fn: ${self} }, pc);\n}\n` +
      `} catch (e) { P.unwindDirect(${self}, pc, [${all}], bp, savedSp); throw e; }\n}`
    );
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private stmt(s: TStmt): void {
    if (s.loc.line) this.line = s.loc.line;
    switch (s.s) {
      case 'block':
        for (const it of s.items) this.stmt(it);
        return;
      case 'expr':
        this.effect(s.x);
        return;
      case 'init':
        this.initVar(s.v, s.items, s.zero);
        return;
      case 'if': {
        if (isStraightLine(s)) {
          this.emit(`if (${this.cond(s.c)}) {`);
          this.stmt(s.then);
          if (s.else) {
            this.emit('} else {');
            this.stmt(s.else);
          }
          this.emit('}');
          return;
        }
        const elseB = this.newBlock();
        const end = s.else ? this.newBlock() : elseB;
        this.emit(`if (!(${this.cond(s.c)})) { pc = ${elseB.id}; continue; }`);
        this.stmt(s.then);
        if (s.else) {
          if (!this.cur.done) this.jump(end);
          this.cur.done = true;
          this.start(elseB);
          this.stmt(s.else);
        }
        this.start(end);
        return;
      }
      case 'while': {
        const head = this.newBlock(true);
        const exit = this.newBlock();
        this.start(head);
        this.emit(`if (!(${this.cond(s.c)})) { pc = ${exit.id}; continue; }`);
        this.loop(s.body, exit, head);
        if (!this.cur.done) this.jump(head);
        this.cur.done = true;
        this.start(exit);
        return;
      }
      case 'do': {
        const head = this.newBlock(true);
        const condB = this.newBlock();
        const exit = this.newBlock();
        this.start(head);
        this.loop(s.body, exit, condB);
        this.start(condB);
        this.emit(`if (${this.cond(s.c)}) { pc = ${head.id}; continue; }`);
        this.start(exit);
        return;
      }
      case 'for': {
        for (const i of s.init) this.stmt(i);
        const head = this.newBlock(true);
        const stepB = this.newBlock();
        const exit = this.newBlock();
        this.start(head);
        if (s.c) this.emit(`if (!(${this.cond(s.c)})) { pc = ${exit.id}; continue; }`);
        this.loop(s.body, exit, stepB);
        this.start(stepB);
        if (s.step) this.effect(s.step);
        if (!this.cur.done) this.jump(head);
        this.cur.done = true;
        this.start(exit);
        return;
      }
      case 'switch': {
        const x = this.value(s.x);
        const exit = this.newBlock();
        for (const c of s.cases) this.caseBlocks.set(c.id, this.newBlock());
        const dflt = s.defaultId !== undefined ? this.newBlock() : exit;
        if (s.defaultId !== undefined) this.caseBlocks.set(s.defaultId, dflt);
        const lit = (v: number | bigint) => (typeof v === 'bigint' ? `${v}n` : String(v));
        const singles = s.cases.filter((c) => c.lo === c.hi);
        const ranges = s.cases.filter((c) => c.lo !== c.hi);
        const sv = this.simple(x);
        const lines: string[] = [];
        if (singles.length) {
          lines.push(`switch (${sv}) {`);
          for (const c of singles) lines.push(`  case ${lit(c.lo)}: pc = ${this.caseBlocks.get(c.id)!.id}; continue;`);
          lines.push('}');
        }
        const unsigned = s.x.t.k === 'int' && !s.x.t.signed;
        for (const c of ranges) {
          const ge = unsigned && this.p64 && s.x.t.k === 'int' && s.x.t.size === 8 ? `$uge(${sv}, ${lit(c.lo)}) && $ule(${sv}, ${lit(c.hi)})` : `${sv} >= ${lit(c.lo)} && ${sv} <= ${lit(c.hi)}`;
          lines.push(`if (${ge}) { pc = ${this.caseBlocks.get(c.id)!.id}; continue; }`);
        }
        lines.push(`pc = ${dflt.id}; continue;`);
        this.emit(lines.join('\n  '));
        this.cur.done = true;
        this.start(this.newBlock());
        this.cur.done = true; // code before the first case label is unreachable
        this.breakTargets.push(exit);
        try {
          this.stmt(s.body);
        } finally {
          this.breakTargets.pop();
        }
        this.start(exit);
        return;
      }
      case 'case': {
        const b = this.caseBlocks.get(s.id)!;
        this.start(b);
        this.stmt(s.body);
        return;
      }
      case 'label': {
        const b = this.label(s.name);
        this.start(b);
        this.stmt(s.body);
        return;
      }
      case 'goto':
        this.jump(this.label(s.name));
        return;
      case 'break': {
        const t = this.breakTargets[this.breakTargets.length - 1];
        if (t) this.jump(t);
        return;
      }
      case 'continue': {
        const t = this.continueTargets[this.continueTargets.length - 1];
        if (t) this.jump(t);
        return;
      }
      case 'return': {
        const f = this.f;
        if (!s.x) {
          this.emitReturn('');
          return;
        }
        if (s.x.t.k === 'struct') {
          const src = this.value(s.x);
          const rp = `v${f.retPtr!.slot}`;
          this.emitReturn(rp, `M.copy(${this.addrNum(rp)}, ${src}, ${this.size(s.x.t)}); `);
          return;
        }
        this.emitReturn(this.value(s.x));
        return;
      }
    }
  }

  private loop(body: TStmt, exit: Block, cont: Block): void {
    this.breakTargets.push(exit);
    this.continueTargets.push(cont);
    try {
      this.stmt(body);
    } finally {
      this.breakTargets.pop();
      this.continueTargets.pop();
    }
  }

  private label(name: string): Block {
    let b = this.labels.get(name);
    if (!b) {
      b = this.newBlock(true); // a goto target may be a backward jump: check the budget there
      this.labels.set(name, b);
    }
    return b;
  }

  /** Initializes a local variable. */
  private initVar(v: VarInfo, items: InitItem[], zero: boolean): void {
    if (!v.inMemory) {
      const it = items[0];
      if (it && it.k === 'expr') this.emit(`v${v.slot} = ${this.value(it.x)};`);
      return;
    }
    this.initMemory(`(bp + ${v.offset})`, v.type, items, zero);
  }

  private initMemory(base: string, t: CType, items: InitItem[], zero: boolean): void {
    if (zero) this.emit(`M.fill(${base}, 0, ${this.size(t)});`);
    for (const it of items) {
      const a = it.off ? `(${base} + ${it.off})` : base;
      if (it.k === 'bytes') {
        let last = it.bytes.length;
        while (last > 0 && it.bytes[last - 1] === 0) last--;
        if (last > 0) this.emit(`M.write(${a}, $bytes(${JSON.stringify(Buffer64.encode(it.bytes.subarray(0, last)))}));`);
      } else if (it.k === 'copy') {
        const src = this.value(it.src);
        this.emit(`M.copy(${a}, ${src}, ${it.size});`);
      } else if (it.bit) {
        this.emit(`$bfset(M, ${a}, ${this.size(it.bit.type)}, ${it.bit.bitOffset}, ${it.bit.bitWidth}, ${this.value(it.x)});`);
      } else {
        this.emit(this.storeStmt(it.t, a, this.value(it.x)));
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  /** Evaluates x for its side effects only. */
  private effect(x: TExpr): void {
    switch (x.e) {
      case 'assign':
        this.assign(x, false);
        return;
      case 'opassign':
        this.opassign(x, false);
        return;
      case 'cast':
        if (x.t.k === 'void') {
          this.effect(x.x);
          return;
        }
        break;
      case 'comma':
        this.effect(x.a);
        this.effect(x.b);
        return;
      case 'const':
      case 'var':
        return;
      case 'call':
        this.call(x, false);
        return;
      case 'cond':
        if (needsStatements(x.a) || needsStatements(x.b)) {
          const elseB = this.newBlock();
          const end = this.newBlock();
          this.emit(`if (!(${this.cond(x.c)})) { pc = ${elseB.id}; continue; }`);
          this.effect(x.a);
          this.jump(end);
          this.cur.done = true;
          this.start(elseB);
          this.effect(x.b);
          this.start(end);
          return;
        }
        break;
      case 'logand':
      case 'logor':
        if (needsStatements(x.b)) {
          const end = this.newBlock();
          const c = this.cond(x.a);
          this.emit(`if (${x.e === 'logand' ? `!(${c})` : c}) { pc = ${end.id}; continue; }`);
          this.effect(x.b);
          this.start(end);
          return;
        }
        break;
    }
    const v = this.value(x);
    if (v !== '' && v !== 'undefined' && !/^[\w.$]+$/.test(v)) this.emit(`${v};`);
  }

  /** A JS boolean expression for a controlling expression. */
  private cond(x: TExpr): string {
    switch (x.e) {
      case 'bin':
        if (['<', '>', '<=', '>=', '==', '!='].includes(x.op)) return this.compare(x);
        break;
      case 'not':
        return `!(${this.cond(x.x)})`;
      case 'logand':
      case 'logor':
        if (!needsStatements(x.b)) return `(${this.cond(x.a)} ${x.e === 'logand' ? '&&' : '||'} ${this.cond(x.b)})`;
        break;
      case 'const':
        return typeof x.v === 'bigint' || x.v !== 0 ? 'true' : 'false';
    }
    const v = this.value(x);
    return this.rep(x.t) === 'i32' || this.rep(x.t) === 'u32' ? `(${v}) !== 0` : `(${v}) !== 0`;
  }

  private compare(x: Extract<TExpr, { e: 'bin' }>): string {
    const [a, b] = this.operands(x.a, x.b);
    const r = this.rep(x.a.t);
    const op = x.op === '==' ? '===' : x.op === '!=' ? '!==' : x.op;
    if (r === 'u64') {
      switch (x.op) {
        case '<': return `$ult(${a}, ${b})`;
        case '<=': return `$ule(${a}, ${b})`;
        case '>': return `$ult(${b}, ${a})`;
        case '>=': return `$ule(${b}, ${a})`;
      }
    }
    return `(${a} ${op} ${b})`;
  }

  /** Evaluates operands left to right; earlier ones are saved in temporaries if a later one has statements. */
  private operands(...xs: TExpr[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < xs.length; i++) {
      const v = this.value(xs[i]!);
      if (xs.slice(i + 1).some(needsStatements) && !/^(-?[\d.e]+n?|bp)$/.test(v)) {
        const t = this.tmp();
        this.emit(`${t} = ${v};`);
        out.push(t);
      } else out.push(v);
    }
    return out;
  }

  /** A value that can be repeated without re-evaluation (a temp if needed). */
  private simple(v: string): string {
    if (/^(v\d+|-?[\d.e]+n?|bp|\(bp \+ \d+\)|\(?@@A:[^@]+@@\)?)$/.test(v)) return v;
    const t = this.tmp();
    this.emit(`${t} = ${v};`);
    return t;
  }

  /** The JS expression for x's value (struct values: their address). */
  value(x: TExpr): string {
    switch (x.e) {
      case 'const':
        return this.constLit(x.v, x.t);
      case 'symaddr':
        this.refs.add(x.sym);
        return x.off ? `(@@A:${x.sym}@@ + ${x.off})` : `@@A:${x.sym}@@`;
      case 'var':
      case 'deref':
      case 'member':
      case 'tempobj':
        // struct/array lvalue used as a value: its address
        return this.addrOf(x);
      case 'func':
        this.refs.add(x.f.sym);
        return `@@A:${x.f.sym}@@`;
      case 'addr':
        if (x.lv.e === 'func') {
          this.refs.add(x.lv.f.sym);
          return `@@A:${x.lv.f.sym}@@`;
        }
        return this.addrOf(x.lv);
      case 'load':
        return this.load(x.lv);
      case 'cast':
        return this.conv(this.value(x.x), x.x.t, x.t);
      case 'bin': {
        if (['<', '>', '<=', '>=', '==', '!='].includes(x.op)) return `(${this.compare(x)} ? 1 : 0)`;
        const [a, b] = this.operands(x.a, x.b);
        return this.arith(x.op, a, b, x.t, x.b.t);
      }
      case 'ptradd': {
        const [p, i] = this.operands(x.p, x.i);
        return this.ptrAdd(p, i, x.scale, x.sub, x.i);
      }
      case 'ptrdiff': {
        const [a, b] = this.operands(x.a, x.b);
        if (this.p64) return x.size === 1 ? `$sub(${a}, ${b})` : `$sdiv($sub(${a}, ${b}), ${x.size})`;
        return x.size === 1 ? `((${a} - ${b}) | 0)` : `((((${a} - ${b}) | 0) / ${x.size}) | 0)`;
      }
      case 'neg': {
        const v = this.value(x.x);
        switch (this.rep(x.t)) {
          case 'i32': return `(-(${v}) | 0)`;
          case 'u32': return `(-(${v}) >>> 0)`;
          case 'i64':
          case 'u64': return `$neg(${v})`;
          case 'f32': return `Math.fround(-(${v}))`;
          default: return `(-(${v}))`;
        }
      }
      case 'bitnot': {
        const v = this.value(x.x);
        switch (this.rep(x.t)) {
          case 'i32': return `(~(${v}))`;
          case 'u32': return `(~(${v}) >>> 0)`;
          default: return `$not(${v})`;
        }
      }
      case 'not':
        return `(${this.cond(x.x)} ? 0 : 1)`;
      case 'logand':
      case 'logor': {
        if (!needsStatements(x.b)) return `(${this.cond(x)} ? 1 : 0)`;
        const t = this.tmp();
        const end = this.newBlock();
        const c = this.cond(x.a);
        this.emit(`${t} = ${x.e === 'logand' ? 0 : 1}; if (${x.e === 'logand' ? `!(${c})` : c}) { pc = ${end.id}; continue; }`);
        this.emit(`${t} = ${this.cond(x.b)} ? 1 : 0;`);
        this.start(end);
        return t;
      }
      case 'cond': {
        if (!needsStatements(x.a) && !needsStatements(x.b)) {
          const c = this.cond(x.c);
          return `(${c} ? ${this.value(x.a)} : ${this.value(x.b)})`;
        }
        const t = this.tmp();
        const elseB = this.newBlock();
        const end = this.newBlock();
        this.emit(`if (!(${this.cond(x.c)})) { pc = ${elseB.id}; continue; }`);
        this.emit(`${t} = ${this.value(x.a)};`);
        this.jump(end);
        this.cur.done = true;
        this.start(elseB);
        this.emit(`${t} = ${this.value(x.b)};`);
        this.start(end);
        return t;
      }
      case 'comma':
        if (!needsStatements(x.a)) {
          const a = this.value(x.a);
          const b = this.value(x.b);
          return a === '' || /^[\w.$]+$/.test(a) ? b : `(${a}, ${b})`;
        }
        this.effect(x.a);
        return this.value(x.b);
      case 'assign':
        return this.assign(x, true);
      case 'opassign':
        return this.opassign(x, true);
      case 'call':
        return this.call(x, true);
      case 'intrinsic':
        return this.intrinsic(x);
      case 'syscall': {
        const args = this.operands(...x.args);
        const t = this.tmp();
        const k = this.newBlock();
        const sets = args.slice(1).map((a, i) => `A[${i}] = ${a};`).join(' ');
        const clear = args.length - 1 < 6 ? Array.from({ length: 6 - (args.length - 1) }, (_, i) => `A[${i + args.length - 1}] = 0;`).join(' ') : '';
        this.emit(`{ const A = P.trapArgs; P.trapNr = $toI32(${args[0]}); ${sets} ${clear} }`);
        this.directOk = false;
        this.emit(`F.pc = ${k.id}; F.line = ${this.line}; @@SAVE@@ return 2;`);
        this.cur.done = true;
        this.start(k);
        this.emit(`${t} = P.rv;`);
        return t;
      }
      case 'va_start':
        this.directOk = false;
        return 'F.va';
      case 'va_arg': {
        this.directOk = false;
        const lv = this.lref(x.ap);
        const cur = this.tmp();
        this.emit(`${cur} = ${this.addrNum(lv.get)};`);
        this.emit(`${lv.set(this.p64 ? `(${cur} + 8)` : `((${cur} + 8) >>> 0)`)};`);
        const t = x.t;
        if (t.k === 'struct') return this.p64 ? `$ptr(M.i64(${cur}))` : `M.u32(${cur})`;
        if (t.k === 'float') return t.size === 4 ? `Math.fround(M.f64(${cur}))` : `M.f64(${cur})`;
        return this.loadMem(t, cur);
      }
      case 'alloca':
        this.directOk = false;
        return `$alloca(P, ${this.value(x.n)})`;
      case 'trap':
        return `$trap(${JSON.stringify(x.what)})`;
      case 'setjmp': {
        // A resumable point like a call: the frame's state is saved and k continues, reading 0 now
        // or, after a longjmp to this env, its value.
        this.directOk = false;
        const env = this.simple(this.addrNum(this.value(x.env)));
        const k = this.newBlock();
        this.emit(`F.pc = ${k.id}; F.line = ${this.line}; @@SAVE@@ P.rv = P.setjmp(F, ${env});`);
        this.start(k);
        const t = this.tmp();
        this.emit(`${t} = P.rv;`);
        return t;
      }
      case 'longjmp': {
        // Saves this frame's variables (the setjmp may be in this very function), then P.longjmp
        // cuts the stack back to the setjmp's frame, which the driver resumes.
        this.directOk = false;
        const env = this.simple(this.addrNum(this.value(x.env)));
        const val = this.simple(this.value(x.val));
        this.emit(`F.pc = pc; F.line = ${this.line}; @@SAVE@@ P.longjmp(${env}, ${val}); return 4;`);
        this.cur.done = true;
        this.start(this.newBlock());
        return 'undefined';
      }
      case 'stmtexpr': {
        for (const s of x.body) this.stmt(s);
        if (!x.result) return 'undefined';
        const v = this.value(x.result);
        if (/^(v\d+|-?[\d.e]+n?)$/.test(v)) return v;
        const t = this.tmp();
        this.emit(`${t} = ${v};`);
        return t;
      }
    }
  }

  private constLit(v: number | bigint, t: CType): string {
    if (typeof v === 'bigint') return `${v}n`;
    if (t.k === 'float') {
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      if (Object.is(v, -0)) return '-0';
    }
    return v < 0 ? `(${v})` : String(v);
  }

  /** Binary arithmetic in type t. */
  private arith(op: BinOp, a: string, b: string, t: CType, bt: CType): string {
    const r = this.rep(t);
    // gcc never emits idiv for a constant divisor of -1: x / -1 is a (wrapping) negation, x % -1 is 0.
    if (b === '(-1)' && (op === '/' || op === '%') && (r === 'i32' || r === 'i64')) {
      if (op === '%') return `(${a}, 0)`;
      return r === 'i32' ? `(-(${a}) | 0)` : `$neg(${a})`;
    }
    if (r === 'f64' || r === 'f32') {
      const e = `(${a} ${op} ${b})`;
      return r === 'f32' ? `Math.fround${e}` : e;
    }
    if (r === 'i32' || r === 'u32') {
      const u = r === 'u32';
      const fix = (e: string) => (u ? `((${e}) >>> 0)` : `((${e}) | 0)`);
      const cnt = this.rep(bt) === 'i64' || this.rep(bt) === 'u64' ? `$toI32(${b})` : b;
      switch (op) {
        case '+': return fix(`${a} + ${b}`);
        case '-': return fix(`${a} - ${b}`);
        case '*': return u ? `(Math.imul(${a}, ${b}) >>> 0)` : `Math.imul(${a}, ${b})`;
        // A constant divisor other than 0 and -1 cannot trap: divide inline.
        case '/':
          if (/^[1-9]\d*$/.test(b)) return u ? `((${a} / ${b}) >>> 0)` : `((${a} / ${b}) | 0)`;
          return u ? `$udiv32(${a}, ${b})` : `$sdiv32(${a}, ${b})`;
        case '%':
          if (/^[1-9]\d*$/.test(b)) return u ? `((${a} % ${b}) >>> 0)` : `((${a} % ${b}) | 0)`;
          return u ? `$urem32(${a}, ${b})` : `$srem32(${a}, ${b})`;
        case '&': return fix(`${a} & ${b}`);
        case '|': return fix(`${a} | ${b}`);
        case '^': return fix(`${a} ^ ${b}`);
        case '<<': return fix(`${a} << ${cnt}`);
        case '>>': return u ? `(${a} >>> ${cnt})` : `(${a} >> ${cnt})`;
      }
    }
    const u = r === 'u64';
    const cnt = this.rep(bt) === 'i64' || this.rep(bt) === 'u64' ? `$toI32(${b})` : b;
    switch (op) {
      case '+': return `$add(${a}, ${b})`;
      case '-': return `$sub(${a}, ${b})`;
      case '*': return `$mul(${a}, ${b})`;
      case '/': return u ? `$udiv(${a}, ${b})` : `$sdiv(${a}, ${b})`;
      case '%': return u ? `$urem(${a}, ${b})` : `$srem(${a}, ${b})`;
      case '&': return `$and(${a}, ${b})`;
      case '|': return `$or(${a}, ${b})`;
      case '^': return `$xor(${a}, ${b})`;
      case '<<': return `$shl(${a}, ${cnt})`;
      case '>>': return u ? `$shr(${a}, ${cnt})` : `$sar(${a}, ${cnt})`;
    }
    throw new Error(`codegen: operator ${op}`);
  }

  private ptrAdd(p: string, i: string, scale: number, sub: boolean, ix: TExpr): string {
    if (ix.e === 'const') {
      const d = Number(ix.v) * scale * (sub ? -1 : 1);
      if (d === 0) return p;
      return this.p64 ? `$add(${p}, ${d})` : `((${p} + ${d}) >>> 0)`;
    }
    if (this.p64) {
      const off = scale === 1 ? i : `$mul(${i}, ${scale})`;
      return sub ? `$sub(${p}, ${off})` : `$add(${p}, ${off})`;
    }
    const off = scale === 1 ? i : `Math.imul(${i}, ${scale})`;
    return `((${p} ${sub ? '-' : '+'} ${off}) >>> 0)`;
  }

  /** Conversion of a JS value from type `from` to type `to`. */
  conv(v: string, from: CType, to: CType): string {
    if (to.k === 'void') return v;
    const rf = this.rep(from), rt = this.rep(to);
    if (to.k === 'int' && to.kind === 'bool') {
      return `((${v}) !== 0 ? 1 : 0)`;
    }
    if (rt === 'struct' || rf === 'struct') return v;
    if (rt === 'f64' || rt === 'f32') {
      if (rt === 'f32' && rf === 'i64') return `$toF32(${v})`;
      if (rt === 'f32' && rf === 'u64') return `$utoF32(${v})`;
      let d: string;
      if (rf === 'i64') d = `$toF64(${v})`;
      else if (rf === 'u64') d = `$utoF64(${v})`;
      else d = v;
      return rt === 'f32' && rf !== 'f32' ? `Math.fround(${d})` : d;
    }
    const size = to.k === 'int' ? to.size : this.T.L.ptrSize;
    const signed = to.k === 'int' ? to.signed : false;
    if (rf === 'f64' || rf === 'f32') {
      if (size === 8) return signed ? `$fromF64(${v})` : `$fromF64U(${v})`;
      if (size === 4) return signed ? `$f64ToI32(${v})` : `$f64ToU32(${v})`;
      return this.narrow(`$f64ToI32(${v})`, size, signed);
    }
    // integer/pointer to integer/pointer
    const fromSize = from.k === 'int' ? from.size : this.T.L.ptrSize;
    const fromSigned = from.k === 'int' ? from.signed : false;
    if (size === 8) {
      if (fromSize === 8) return v;
      return v; // sign- or zero-extension: the number already holds the value
    }
    let w = v;
    if (fromSize === 8) w = size === 4 && !signed ? `$toU32(${v})` : `$toI32(${v})`;
    if (size === 4) {
      if (fromSize === 8) return w;
      if (signed) return fromSigned ? w : `((${w}) | 0)`;
      return fromSigned ? `((${w}) >>> 0)` : w;
    }
    if (fromSize <= size && (fromSigned === signed || (!fromSigned && fromSize < size))) return w;
    return this.narrow(w, size, signed);
  }

  private narrow(v: string, size: number, signed: boolean): string {
    if (size === 1) return signed ? `((${v}) << 24 >> 24)` : `((${v}) & 255)`;
    if (size === 2) return signed ? `((${v}) << 16 >> 16)` : `((${v}) & 65535)`;
    return signed ? `((${v}) | 0)` : `((${v}) >>> 0)`;
  }

  // -------------------------------------------------------------------------------------------
  // Lvalues and memory

  /** An address known to be a JS number from a pointer value. */
  private addrNum(p: string): string {
    return this.p64 ? `$ptr(${p})` : p;
  }

  /** The address of an lvalue (or struct-valued expression), as a JS number expression. */
  addrOf(x: TExpr): string {
    switch (x.e) {
      case 'var': {
        const v = x.v;
        if (v.storage === 'global') {
          this.refs.add(v.sym!);
          return `@@A:${v.sym}@@`;
        }
        if (!v.inMemory) throw new Error(`codegen: address of register variable ${v.name}`);
        return `(bp + ${v.offset})`;
      }
      case 'deref':
        if (x.p.e === 'ptradd' && this.p64) {
          const pa = x.p;
          if (pa.i.e === 'const') {
            const d = Number(pa.i.v) * pa.scale * (pa.sub ? -1 : 1);
            return d ? `$padd(${this.value(pa.p)}, ${d})` : this.addrNum(this.value(pa.p));
          }
          // An index that started as a 32-bit int: the byte offset is an exact small number.
          const narrow = pa.i.e === 'cast' && pa.i.x.t.k === 'int' && pa.i.x.t.size <= 4 ? pa.i.x : undefined;
          if (narrow) {
            const [base, idx] = this.operands(pa.p, narrow);
            const off = pa.scale === 1 ? idx : `${idx} * ${pa.scale}`;
            // the address of an object is always a number; any other pointer goes through $padd
            if (pa.p.e === 'addr' || pa.p.e === 'symaddr') return `(${base} ${pa.sub ? '-' : '+'} ${off})`;
            return `$padd(${base}, ${pa.sub ? `-(${off})` : off})`;
          }
        }
        return this.addrNum(this.value(x.p));
      case 'member': {
        const base = this.addrOf(x.base);
        return x.m.offset ? `(${base} + ${x.m.offset})` : base;
      }
      case 'tempobj': {
        const v = x.v;
        if (v.offset === undefined) v.offset = this.L.mem(this.size(v.type), this.T.alignof(v.type));
        const a = `(bp + ${v.offset})`;
        this.initMemory(a, v.type, x.inits, true);
        return a;
      }
      case 'func':
        this.refs.add(x.f.sym);
        return `@@A:${x.f.sym}@@`;
      case 'cast':
        return this.addrOf(x.x);
      default: {
        // a struct-valued rvalue (call result, assignment, conditional...): its value is an address
        if (x.t.k === 'struct') return this.simple(this.value(x));
        throw new Error(`codegen: not an lvalue: ${x.e}`);
      }
    }
  }

  private loadMem(t: CType, a: string): string {
    switch (t.k) {
      case 'int':
        if (t.kind === 'bool') return `M.u8(${a})`;
        switch (t.size) {
          case 1: return t.signed ? `M.i8(${a})` : `M.u8(${a})`;
          case 2: return t.signed ? `M.i16(${a})` : `M.u16(${a})`;
          case 4: return t.signed ? `M.i32(${a})` : `M.u32(${a})`;
          default: return `M.i64(${a})`;
        }
      case 'ptr':
        return this.p64 ? `M.i64(${a})` : `M.u32(${a})`;
      case 'float':
        return t.size === 4 ? `M.f32(${a})` : `M.f64(${a})`;
      default:
        return a;
    }
  }

  private storeStmt(t: CType, a: string, v: string): string {
    switch (t.k) {
      case 'int':
        switch (t.size) {
          case 1: return `M.w8(${a}, ${v});`;
          case 2: return `M.w16(${a}, ${v});`;
          case 4: return `M.w32(${a}, ${v});`;
          default: return `M.w64(${a}, ${v});`;
        }
      case 'ptr':
        return this.p64 ? `M.w64(${a}, ${v});` : `M.w32(${a}, ${v});`;
      case 'float':
        return t.size === 4 ? `M.wf32(${a}, ${v});` : `M.wf64(${a}, ${v});`;
      case 'struct':
        return `M.copy(${a}, ${v}, ${this.size(t)});`;
      default:
        return `/* store of ${t.k} */`;
    }
  }

  /** Load of a scalar lvalue. */
  private load(lv: TExpr): string {
    if (lv.e === 'var' && !lv.v.inMemory && lv.v.storage !== 'global') return `v${lv.v.slot}`;
    if (lv.e === 'member' && lv.m.bitWidth !== undefined) {
      const a = this.addrOf(lv);
      return this.bitGet(lv.m, a);
    }
    return this.loadMem(lv.t, this.addrOf(lv));
  }

  private bitGet(m: Member, a: string): string {
    const t = m.type as Extract<CType, { k: 'int' }>;
    const v = `$bfget(M, ${a}, ${t.size}, ${m.bitOffset}, ${m.bitWidth}, ${t.signed && t.kind !== 'bool'})`;
    return v;
  }

  /**
   * A reference to an lvalue whose address is evaluated once: get is its value, set(v) a statement
   * expression storing v.
   */
  private lref(lv: TExpr): { get: string; set: (v: string) => string } {
    if (lv.e === 'var' && !lv.v.inMemory && lv.v.storage !== 'global') {
      const n = `v${lv.v.slot}`;
      return { get: n, set: (v) => `${n} = ${v}` };
    }
    const a = this.simple(this.addrOf(lv));
    if (lv.e === 'member' && lv.m.bitWidth !== undefined) {
      const m = lv.m;
      return { get: this.bitGet(m, a), set: (v) => `$bfset(M, ${a}, ${this.size(m.type)}, ${m.bitOffset}, ${m.bitWidth}, ${v})` };
    }
    return { get: this.loadMem(lv.t, a), set: (v) => this.storeStmt(lv.t, a, v).replace(/;$/, '') };
  }

  /** Truncates a value to a bit-field's width, as reading it back would give. */
  private bitTrunc(m: Member, v: string): string {
    const t = m.type as Extract<CType, { k: 'int' }>;
    const w = m.bitWidth!;
    if (t.size === 8) return t.signed ? `$sext(${v}, ${w})` : `$zext(${v}, ${w})`;
    if (t.kind === 'bool') return v;
    if (w >= 32) return v;
    return t.signed ? `((${v}) << ${32 - w} >> ${32 - w})` : `((${v}) & ${(2 ** w - 1) >>> 0})`;
  }

  private assign(x: Extract<TExpr, { e: 'assign' }>, wantValue: boolean): string {
    const t = x.target.t;
    if (t.k === 'struct') {
      const dst = this.simple(this.addrOf(x.target));
      const src = this.value(x.value);
      this.emit(`M.copy(${dst}, ${src}, ${this.size(t)});`);
      return dst;
    }
    const target = x.target;
    // As a value inside an expression, the assignment must be one JS expression: it may sit on the
    // right of && || ?: and run only when reached.
    if (wantValue && !needsStatements(x.value) && !(target.e === 'var' && !target.v.inMemory && target.v.storage !== 'global')) {
      const ta = this.tmp(), tv = this.tmp();
      const a = this.addrOf(target);
      const v = this.value(x.value);
      const bitm = target.e === 'member' && target.m.bitWidth !== undefined ? target.m : undefined;
      const store = bitm ? `$bfset(M, ${ta}, ${this.size(bitm.type)}, ${bitm.bitOffset}, ${bitm.bitWidth}, ${tv})` : this.storeStmt(t, ta, tv).replace(/;$/, '');
      return `(${ta} = ${a}, ${tv} = ${v}, ${store}, ${bitm ? this.bitTrunc(bitm, tv) : tv})`;
    }
    if (target.e === 'var' && !target.v.inMemory && target.v.storage !== 'global') {
      const v = this.value(x.value);
      const n = `v${target.v.slot}`;
      if (!wantValue) {
        this.emit(`${n} = ${v};`);
        return '';
      }
      return `(${n} = ${v})`;
    }
    const needsOrder = needsStatements(x.value);
    let a = this.addrOf(target);
    if (needsOrder) a = this.simple(a);
    const v = this.value(x.value);
    const bit = target.e === 'member' && target.m.bitWidth !== undefined ? target.m : undefined;
    if (!wantValue) {
      this.emit(bit ? `$bfset(M, ${a}, ${this.size(bit.type)}, ${bit.bitOffset}, ${bit.bitWidth}, ${v});` : this.storeStmt(t, a, v));
      return '';
    }
    const tv = this.tmp();
    const sa = this.simple(a);
    this.emit(`${tv} = ${v};`);
    this.emit(bit ? `$bfset(M, ${sa}, ${this.size(bit.type)}, ${bit.bitOffset}, ${bit.bitWidth}, ${tv});` : this.storeStmt(t, sa, tv));
    return bit ? this.bitTrunc(bit, tv) : tv;
  }

  private opassign(x: Extract<TExpr, { e: 'opassign' }>, wantValue: boolean): string {
    const target = x.target;
    const t = target.t;
    if (wantValue && !needsStatements(x.value)) return this.opassignExpr(x);
    const ref = this.lref(target);
    const rhs = needsStatements(x.value) ? this.simple(this.value(x.value)) : this.value(x.value);
    const old = wantValue && x.post ? this.tmp() : '';
    let cur = ref.get;
    if (old) {
      this.emit(`${old} = ${cur};`);
      cur = old;
    }
    let nv: string;
    if (x.ptrScale !== undefined) {
      nv = this.ptrAdd(cur, rhs, x.ptrScale, x.op === '-', x.value);
    } else {
      const a = this.conv(cur, t, x.opType);
      const combined = this.arith(x.op, a, rhs, x.opType, x.value.t);
      nv = this.conv(combined, x.opType, t);
    }
    const bit = target.e === 'member' && target.m.bitWidth !== undefined ? target.m : undefined;
    if (!wantValue) {
      this.emit(`${ref.set(nv)};`);
      return '';
    }
    if (x.post) {
      this.emit(`${ref.set(nv)};`);
      return old;
    }
    const tv = this.tmp();
    this.emit(`${tv} = ${nv};`);
    this.emit(`${ref.set(tv)};`);
    return bit ? this.bitTrunc(bit, tv) : tv;
  }

  /** x op= v, ++x, x++ as one JS expression (address evaluated once, into a temporary). */
  private opassignExpr(x: Extract<TExpr, { e: 'opassign' }>): string {
    const target = x.target;
    const t = target.t;
    const parts: string[] = [];
    let get: string;
    let set: (v: string) => string;
    const bitm = target.e === 'member' && target.m.bitWidth !== undefined ? target.m : undefined;
    if (target.e === 'var' && !target.v.inMemory && target.v.storage !== 'global') {
      const n = `v${target.v.slot}`;
      get = n;
      set = (v) => `${n} = ${v}`;
    } else {
      const ta = this.tmp();
      parts.push(`${ta} = ${this.addrOf(target)}`);
      if (bitm) {
        get = this.bitGet(bitm, ta);
        set = (v) => `$bfset(M, ${ta}, ${this.size(bitm.type)}, ${bitm.bitOffset}, ${bitm.bitWidth}, ${v})`;
      } else {
        get = this.loadMem(t, ta);
        set = (v) => this.storeStmt(t, ta, v).replace(/;$/, '');
      }
    }
    const rhs = this.value(x.value);
    const old = this.tmp();
    parts.push(`${old} = ${get}`);
    let nv: string;
    if (x.ptrScale !== undefined) nv = this.ptrAdd(old, rhs, x.ptrScale, x.op === '-', x.value);
    else nv = this.conv(this.arith(x.op, this.conv(old, t, x.opType), rhs, x.opType, x.value.t), x.opType, t);
    if (x.post) {
      parts.push(set(nv), old);
    } else {
      const tv = this.tmp();
      parts.push(`${tv} = ${nv}`, set(tv), bitm ? this.bitTrunc(bitm, tv) : tv);
    }
    return `(${parts.join(', ')})`;
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  /** Builds the argument list (struct copies, variadic spill) for a call or intrinsic. */
  private callArgs(args: TExpr[], nfixed: number, variadicCallee = false, spillFrom = nfixed): { list: string[]; va: string } {
    const vals = this.operands(...args);
    const list: string[] = [];
    for (let i = 0; i < nfixed && i < args.length; i++) {
      const a = args[i]!;
      if (a.t.k === 'struct') {
        const off = this.L.mem(this.size(a.t), this.T.alignof(a.t));
        this.emit(`M.copy(bp + ${off}, ${vals[i]}, ${this.size(a.t)});`);
        list.push(`bp + ${off}`);
      } else list.push(vals[i]!);
    }
    let va = '0';
    const extra = args.length - spillFrom;
    if (extra > 0 || variadicCallee) {
      // At least six slots: a callee such as syscall() reads six variadic arguments whatever the
      // caller passed (glibc reads six registers), and unused slots must be readable.
      const base = this.L.mem(Math.max(extra, 6) * 8, 16);
      va = `bp + ${base}`;
      const stores: string[] = [];
      for (let i = spillFrom; i < args.length; i++) {
        const a = args[i]!;
        const at = `bp + ${base + (i - spillFrom) * 8}`;
        const r = this.rep(a.t);
        if (r === 'f64' || r === 'f32') stores.push(`M.wf64(${at}, ${vals[i]});`);
        else if (r === 'struct') {
          const off = this.L.mem(this.size(a.t), this.T.alignof(a.t));
          stores.push(`M.copy(bp + ${off}, ${vals[i]}, ${this.size(a.t)}); M.w64(${at}, bp + ${off});`);
        } else stores.push(`M.w64(${at}, ${vals[i]});`);
      }
      this.emit(stores.join(' '));
    }
    return { list, va };
  }

  private call(x: Extract<TExpr, { e: 'call' }>, wantValue: boolean): string {
    let fnv = '';
    if (!x.direct) {
      fnv = this.value(x.fn);
      if (x.args.some(needsStatements)) fnv = this.simple(fnv);
    }
    // A call through an old-style declaration (`int f();`, or an implicit one: `syscall(...)` without
    // <unistd.h>) passes every argument as a fixed one and also spills them all; if the callee turns
    // out to be variadic (syscall, printf), its variadic arguments are the slots past its named ones,
    // as on x86_64, where both kinds travel in the same registers.
    const unprototyped = !!x.direct && x.ftype.oldStyle && x.args.length > 0;
    const { list, va: spilled } = this.callArgs(x.args, x.nfixed, x.ftype.variadic, unprototyped ? 0 : x.nfixed);
    let va = spilled;
    if (unprototyped) {
      const callee = `FN[@@F:${x.direct!.sym}@@]`;
      va = `(${callee}.variadic ? ${spilled} + ${callee}.nparams * 8 : 0)`;
    }
    let retBuf = '';
    if (x.t.k === 'struct') {
      const off = this.L.mem(this.size(x.t), this.T.alignof(x.t));
      retBuf = `(bp + ${off})`;
      list.unshift(retBuf);
    }
    const k = this.newBlock();
    let callExpr: string;
    if (x.direct) {
      this.refs.add(x.direct.sym);
      // The linker pads the argument array with zeros up to the callee's nlocals (@@P@@).
      callExpr = `P.call(FN[@@F:${x.direct.sym}@@], [${list.join(', ')}@@P:${x.direct.sym}:${list.length}@@], ${va})`;
    } else {
      callExpr = `P.callPtr(${fnv}, [${list.join(', ')}], ${va})`;
    }
    // P.call runs the callee right away when it can (0: returned, go on here); otherwise the
    // callee is suspended and this step returns STEP_NESTED, to be re-entered at k later.
    const stepCall = `F.pc = ${k.id}; F.line = ${this.line}; @@SAVE@@ if (${callExpr} !== 0) return 4;`;
    if (x.direct && !unprototyped && !x.ftype.variadic) {
      // The direct form calls the callee's direct form (the linker checks it has one).
      this.directCalls.add(x.direct.sym);
      this.emit2(stepCall, `pc = ${k.id}; P.rv = DF[@@F:${x.direct.sym}@@](P${list.map((a) => ', ' + a).join('')});`);
    } else {
      this.directOk = false;
      this.emit(stepCall);
    }
    this.start(k);
    if (!wantValue || x.t.k === 'void') return '';
    if (retBuf) return retBuf;
    const t = this.tmp();
    this.emit(`${t} = P.rv;`);
    return t;
  }

  private intrinsic(x: Extract<TExpr, { e: 'intrinsic' }>): string {
    const { list, va } = this.callArgs(x.args, x.nfixed);
    if (x.def.variadic) list.push(va);
    const name = x.def.host ?? x.def.name;
    const call = `H[${JSON.stringify(name)}](P${list.length ? ', ' + list.join(', ') : ''})`;
    if (x.t.k === 'void') return call;
    // Keep the host's result in the C range of the return type.
    const r = this.rep(x.t);
    if (r === 'i32' && x.t.k === 'int' && x.t.size === 4) return `(${call} | 0)`;
    if (r === 'u32') return `(${call} >>> 0)`;
    return call;
  }
}

/** Base64 without Node: used to embed initializer bytes in generated code. */
export const Buffer64 = {
  encode(bytes: Uint8Array): string {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
    return btoa(s);
  },
  decode(text: string): Uint8Array {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  },
};

/** Generates every function of a unit. */
export function generateFunctions(T: Types, fns: TFunction[], diags: Diagnostic[]): GeneratedFunction[] {
  return fns.map((f) => new FunctionCodegen(T, f, diags).generate());
}
