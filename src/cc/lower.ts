// Lowering support for the code generator: frame layout (which variables live in F.l slots and
// which in the C stack frame at F.bp + offset) and the analyses that decide where a function must
// be cut into basic blocks (calls, traps and statement expressions need a resumable point).
import type { TExpr, TFunction, TStmt, VarInfo } from './typed.js';
import type { Types } from './types.js';

/** Allocates F.l slots and frame bytes for one function. */
export class FrameLayout {
  nslots = 0;
  frameSize = 0;
  constructor(readonly T: Types) {}

  slot(): number {
    return this.nslots++;
  }

  /** Reserves bytes at an aligned offset from F.bp. */
  mem(size: number, align: number): number {
    const a = Math.max(1, Math.min(align, 16));
    const off = Math.ceil(this.frameSize / a) * a;
    this.frameSize = off + Math.max(size, 0);
    return off;
  }

  /** Places a variable: memory variables get an offset; every parameter also gets its slot. */
  place(v: VarInfo): void {
    if (v.inMemory) {
      v.offset = this.mem(this.T.sizeof(v.type), this.T.alignof(v.type));
      if (v.storage === 'param') v.slot = this.slot();
    } else {
      v.slot = this.slot();
    }
  }

  /** Lays out parameters (slots 0..n-1, as the ABI passes them) and then locals. */
  layoutFunction(f: TFunction): void {
    for (const p of f.params) {
      p.slot = this.slot();
      if (p.inMemory) p.offset = this.mem(this.T.sizeof(p.type), this.T.alignof(p.type));
    }
    for (const v of f.locals) {
      if (v.storage === 'param' || v.slot !== undefined || v.offset !== undefined) continue;
      if (v.storage === 'global') continue;
      this.place(v);
    }
  }

  /** Final frame size, 16-byte aligned. */
  finalSize(): number {
    return Math.ceil(this.frameSize / 16) * 16;
  }
}

const exprCache = new WeakMap<TExpr, boolean>();

/**
 * True when evaluating x needs statements of its own: a call (a resumable point), a trap, a
 * statement expression, a compound literal's initialization or a variadic intrinsic's spill.
 */
export function needsStatements(x: TExpr): boolean {
  const c = exprCache.get(x);
  if (c !== undefined) return c;
  let r: boolean;
  switch (x.e) {
    case 'call':
    case 'syscall':
    case 'stmtexpr':
    case 'tempobj':
    case 'setjmp':
    case 'longjmp':
      r = true;
      break;
    case 'intrinsic':
      r = x.args.length > x.nfixed || x.t.k === 'struct' || x.args.some((a) => a.t.k === 'struct' || needsStatements(a));
      break;
    case 'const':
    case 'symaddr':
    case 'var':
    case 'func':
    case 'va_start':
    case 'trap':
      r = false;
      break;
    case 'deref':
      r = needsStatements(x.p);
      break;
    case 'member':
      r = needsStatements(x.base);
      break;
    case 'addr':
      r = needsStatements(x.lv);
      break;
    case 'load':
      r = needsStatements(x.lv);
      break;
    case 'cast':
    case 'neg':
    case 'bitnot':
    case 'not':
      r = needsStatements(x.x);
      break;
    case 'bin':
    case 'logand':
    case 'logor':
    case 'comma':
      r = needsStatements(x.a) || needsStatements(x.b);
      break;
    case 'ptradd':
      r = needsStatements(x.p) || needsStatements(x.i);
      break;
    case 'ptrdiff':
      r = needsStatements(x.a) || needsStatements(x.b);
      break;
    case 'cond':
      r = needsStatements(x.c) || needsStatements(x.a) || needsStatements(x.b) || x.t.k === 'struct';
      break;
    case 'assign':
      // struct assignment copies with a statement
      r = x.t.k === 'struct' || needsStatements(x.target) || needsStatements(x.value);
      break;
    case 'opassign':
      r = needsStatements(x.target) || needsStatements(x.value);
      break;
    case 'va_arg':
      r = true; // reads and advances the va_list with statements
      break;
    case 'alloca':
      r = needsStatements(x.n);
      break;
  }
  exprCache.set(x, r);
  return r;
}

/** True when a statement can be emitted as structured JS inside one basic block. */
export function isStraightLine(s: TStmt): boolean {
  switch (s.s) {
    case 'expr':
      return !needsStatements(s.x);
    case 'init':
      return s.items.every((it) => (it.k === 'expr' ? !needsStatements(it.x) : it.k === 'copy' ? !needsStatements(it.src) : true));
    case 'if':
      return !needsStatements(s.c) && isStraightLine(s.then) && (!s.else || isStraightLine(s.else));
    case 'block':
      return s.items.every(isStraightLine);
    case 'return':
      return !s.x || !needsStatements(s.x);
    case 'break':
    case 'continue':
    case 'goto':
      return true;
    default:
      return false;
  }
}
