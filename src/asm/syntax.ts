// The AT&T assembly syntax that `ksim cc` accepts in .s/.S files, as GNU as reads it: a hand-written
// line parser producing statements (labels, `sym = expr`, directives with their arguments,
// instructions with operands), the expression grammar (numbers, symbols, `.`, numeric local labels
// `1f`/`1b`, C operators) and operands (`$imm`, `%reg`, `disp(base,index,scale)`, `*indirect`).
// Errors are gas's: `file:line: Error: message`.

/** An assembler error at a line of a file (printed as gas prints it). */
export class AsmError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly text: string,
    readonly severity: 'Error' | 'Warning' = 'Error',
  ) {
    super(`${file}:${line}: ${severity}: ${text}`);
    this.name = 'AsmError';
  }
}

export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; name: string }
  | { k: 'dot' }
  | { k: 'un'; op: string; a: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr };

export interface Register {
  name: string;
  /** Register number: 0..7 (eax ecx edx ebx esp ebp esi edi), 8..15 (r8..r15); 16 = rip. */
  num: number;
  /** Width in bytes: 1, 2, 4, 8. */
  width: number;
  /** ah, ch, dh, bh: bits 8..15 of registers 0..3. */
  high?: boolean;
  /** Needs 64-bit mode (r8..r15, the 64-bit registers, spl/bpl/sil/dil). */
  x64?: boolean;
}

export type Operand =
  | { k: 'reg'; reg: Register; indirect: boolean }
  | { k: 'imm'; e: Expr }
  | { k: 'mem'; disp: Expr | null; base: Register | null; index: Register | null; scale: number; indirect: boolean };

export type Statement =
  | { k: 'label'; name: string; line: number }
  | { k: 'assign'; name: string; e: Expr; line: number }
  | { k: 'directive'; name: string; args: string; line: number }
  | { k: 'insn'; mnemonic: string; operands: Operand[]; text: string; line: number };

const REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const REG8 = ['al', 'cl', 'dl', 'bl'];
const REG8H = ['ah', 'ch', 'dh', 'bh'];
const REG64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const REG8X = ['spl', 'bpl', 'sil', 'dil'];

const REGISTERS = new Map<string, Register>();
function addReg(r: Register): void {
  REGISTERS.set(r.name, r);
}
REG32.forEach((n, i) => addReg({ name: n, num: i, width: 4 }));
REG16.forEach((n, i) => addReg({ name: n, num: i, width: 2 }));
REG8.forEach((n, i) => addReg({ name: n, num: i, width: 1 }));
REG8H.forEach((n, i) => addReg({ name: n, num: i, width: 1, high: true }));
REG64.forEach((n, i) => addReg({ name: n, num: i, width: 8, x64: true }));
REG8X.forEach((n, i) => addReg({ name: n, num: i + 4, width: 1, x64: true }));
for (let i = 8; i < 16; i++) {
  addReg({ name: `r${i}`, num: i, width: 8, x64: true });
  addReg({ name: `r${i}d`, num: i, width: 4, x64: true });
  addReg({ name: `r${i}w`, num: i, width: 2, x64: true });
  addReg({ name: `r${i}b`, num: i, width: 1, x64: true });
  addReg({ name: `r${i}l`, num: i, width: 1, x64: true });
}
addReg({ name: 'rip', num: 16, width: 8, x64: true });
addReg({ name: 'eip', num: 16, width: 4 });

export function lookupRegister(name: string): Register | undefined {
  return REGISTERS.get(name.toLowerCase());
}

/** Numeric local labels (`1:`, `1f`, `1b`) are renamed per definition. */
export function localLabelName(n: string, instance: number): string {
  return `.L${n}\u0002${instance}`;
}

/** Per-file parsing state: numeric local label counts. */
export class LocalLabels {
  private counts = new Map<string, number>();
  define(n: string): string {
    const c = (this.counts.get(n) ?? 0) + 1;
    this.counts.set(n, c);
    return localLabelName(n, c);
  }
  ref(n: string, dir: 'f' | 'b'): string {
    const c = this.counts.get(n) ?? 0;
    return localLabelName(n, dir === 'f' ? c + 1 : c);
  }
}

// --- expressions ---------------------------------------------------------------------------------

const SYM_START = /[A-Za-z_.$]/;
const SYM_CHAR = /[A-Za-z0-9_.$\u0002]/;

/** Parses an expression from text; `err` reports gas-style problems. */
export class ExprParser {
  pos = 0;
  constructor(
    readonly src: string,
    private readonly locals: LocalLabels,
    private readonly err: (msg: string) => never,
  ) {}

  private ws(): void {
    while (this.pos < this.src.length && (this.src[this.pos] === ' ' || this.src[this.pos] === '\t')) this.pos++;
  }

  peek(): string {
    this.ws();
    return this.src[this.pos] ?? '';
  }

  atEnd(): boolean {
    return this.peek() === '';
  }

  parse(): Expr {
    return this.binary(0);
  }

  private static readonly PREC: [string[], number][] = [
    [['|'], 1], [['^'], 2], [['&'], 3], [['==', '!=', '<>'], 4], [['<', '>', '<=', '>='], 5],
    [['<<', '>>'], 6], [['+', '-'], 7], [['*', '/', '%'], 8],
  ];

  private binaryOp(): { op: string; prec: number } | undefined {
    this.ws();
    const two = this.src.slice(this.pos, this.pos + 2);
    for (const [ops, prec] of ExprParser.PREC) {
      for (const op of ops) {
        if (op.length === 2 && two === op) return { op, prec };
      }
    }
    const one = this.src[this.pos] ?? '';
    if (two === '||' || two === '&&') return undefined;
    for (const [ops, prec] of ExprParser.PREC) {
      if (ops.includes(one) && !(one === '<' && two === '<<') && !(one === '>' && two === '>>')) return { op: one, prec };
    }
    return undefined;
  }

  private binary(minPrec: number): Expr {
    let a = this.unary();
    for (;;) {
      const o = this.binaryOp();
      if (!o || o.prec < minPrec) break;
      this.pos += o.op.length;
      const b = this.binary(o.prec + 1);
      a = { k: 'bin', op: o.op, a, b };
    }
    return a;
  }

  private unary(): Expr {
    const c = this.peek();
    if (c === '-' || c === '~' || c === '+' || c === '!') {
      this.pos++;
      const a = this.unary();
      return c === '+' ? a : { k: 'un', op: c, a };
    }
    return this.primary();
  }

  private primary(): Expr {
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const e = this.binary(0);
      if (this.peek() !== ')') this.err(`missing ')'`);
      this.pos++;
      return e;
    }
    if (c === "'") {
      // A character constant: 'a (gas) or 'a' (accepted too), with C escapes.
      this.pos++;
      const { value, next } = readEscapedChar(this.src, this.pos, this.err);
      this.pos = next;
      if (this.src[this.pos] === "'") this.pos++;
      return { k: 'num', v: BigInt(value) };
    }
    if (/[0-9]/.test(c)) return this.number();
    if (SYM_START.test(c)) {
      const start = this.pos;
      while (this.pos < this.src.length && SYM_CHAR.test(this.src[this.pos]!)) this.pos++;
      const name = this.src.slice(start, this.pos);
      if (name === '.') return { k: 'dot' };
      return { k: 'sym', name };
    }
    if (c === '') this.err('missing operand');
    return this.err(`junk '${this.src.slice(this.pos)}' after expression`);
  }

  private number(): Expr {
    const s = this.src;
    const start = this.pos;
    // Local label references: 1f, 1b.
    const local = /^([0-9]+)([fb])(?![0-9A-Za-z_])/.exec(s.slice(start));
    if (local && !/^0[xX]/.test(s.slice(start))) {
      this.pos += local[0].length;
      return { k: 'sym', name: this.locals.ref(local[1]!, local[2] as 'f' | 'b') };
    }
    let m: RegExpExecArray | null;
    let v: bigint;
    if ((m = /^0[xX]([0-9a-fA-F]+)/.exec(s.slice(start)))) v = BigInt(`0x${m[1]}`);
    else if ((m = /^0[bB]([01]+)/.exec(s.slice(start)))) v = BigInt(`0b${m[1]}`);
    else if ((m = /^0([0-7]+)/.exec(s.slice(start)))) v = BigInt(`0o${m[1]}`);
    else if ((m = /^[0-9]+/.exec(s.slice(start)))) v = BigInt(m[0]);
    else return this.err(`bad expression`);
    this.pos += m[0].length;
    if (this.pos < s.length && /[0-9A-Za-z_]/.test(s[this.pos]!)) {
      return this.err(`junk '${s.slice(this.pos).trim()}' after expression`);
    }
    return { k: 'num', v };
  }
}

/** Reads one possibly escaped character at pos (after an opening quote). */
export function readEscapedChar(s: string, pos: number, err: (m: string) => never): { value: number; next: number } {
  if (pos >= s.length) err('unterminated string; newline inserted');
  const c = s[pos]!;
  if (c !== '\\') return { value: c.charCodeAt(0) & 0xff, next: pos + 1 };
  const e = s[pos + 1];
  if (e === undefined) err('unterminated string; newline inserted');
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '\\': 92, '"': 34, "'": 39, e: 27 };
  if (e! in simple) return { value: simple[e!]!, next: pos + 2 };
  if (/[0-7]/.test(e!)) {
    let j = pos + 1;
    let v = 0;
    while (j < s.length && j < pos + 4 && /[0-7]/.test(s[j]!)) v = v * 8 + Number(s[j++]);
    return { value: v & 0xff, next: j };
  }
  if (e === 'x') {
    let j = pos + 2;
    let v = 0;
    while (j < s.length && /[0-9a-fA-F]/.test(s[j]!)) v = (v * 16 + parseInt(s[j++]!, 16)) & 0xff;
    return { value: v, next: j };
  }
  return { value: e!.charCodeAt(0) & 0xff, next: pos + 2 };
}

/** The bytes of a string literal starting at pos (a `"`); returns the bytes and the next position. */
export function readString(s: string, pos: number, err: (m: string) => never): { bytes: number[]; next: number } {
  const out: number[] = [];
  let i = pos + 1;
  for (;;) {
    if (i >= s.length) err('unterminated string; newline inserted');
    if (s[i] === '"') return { bytes: out, next: i + 1 };
    const { value, next } = readEscapedChar(s, i, err);
    if (s[i] !== '\\') {
      // Keep non-ASCII text as UTF-8, as gas copies the file's bytes.
      const ch = s.codePointAt(i)!;
      if (ch > 0x7f) {
        const enc = new TextEncoder().encode(String.fromCodePoint(ch));
        out.push(...enc);
        i += ch > 0xffff ? 2 : 1;
        continue;
      }
    }
    out.push(value);
    i = next;
  }
}

// --- lines ---------------------------------------------------------------------------------------

/** Removes a `#` comment (outside strings and character constants) and `/* *\/` comments on the line. */
function stripComment(line: string): string {
  let out = '';
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inStr) {
      out += c;
      if (c === '\\' && i + 1 < line.length) out += line[++i];
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') {
      inStr = true;
      out += c;
      continue;
    }
    if (c === "'") {
      // A character constant: copy it (and its escape) without treating # as a comment.
      out += c;
      if (i + 1 < line.length) {
        out += line[++i];
        if (line[i] === '\\' && i + 1 < line.length) out += line[++i];
      }
      continue;
    }
    if (c === '#') break;
    out += c;
  }
  return out;
}

/** Splits on `;` statement separators outside strings. */
function splitStatements(line: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inStr) {
      cur += c;
      if (c === '\\' && i + 1 < line.length) cur += line[++i];
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    if (c === ';') {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

/** Removes block comments across lines, keeping line breaks (so line numbers stay right). */
function stripBlockComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Splits operands on commas outside parentheses and strings. */
export function splitOperands(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inStr) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '' || out.length) out.push(cur.trim());
  return out;
}

/** The instruction as gas echoes it in messages: whitespace squeezed, none around commas. */
function scrubbed(mnemonic: string, ops: string): string {
  const o = ops.replace(/\s*,\s*/g, ',').replace(/\s+/g, ' ').trim();
  return o ? `${mnemonic} ${o}` : mnemonic;
}

function parseOperand(text: string, locals: LocalLabels, err: (m: string) => never): Operand {
  let s = text.trim();
  let indirect = false;
  if (s.startsWith('*')) {
    indirect = true;
    s = s.slice(1).trim();
  }
  if (s === '') err('missing operand');
  if (s.startsWith('$')) {
    const p = new ExprParser(s.slice(1), locals, err);
    const e = p.parse();
    if (!p.atEnd()) err(`junk '${s.slice(1 + p.pos).trim()}' after expression`);
    return { k: 'imm', e };
  }
  if (s.startsWith('%')) {
    const name = s.slice(1);
    const reg = lookupRegister(name);
    if (!reg) err(`bad register name '%${name}'`);
    return { k: 'reg', reg: reg!, indirect };
  }
  // Memory: [disp](base,index,scale) or a bare expression (absolute memory / direct branch target).
  let disp: Expr | null = null;
  let rest = s;
  const paren = findMemParen(s);
  if (paren < 0) {
    const p = new ExprParser(s, locals, err);
    disp = p.parse();
    if (!p.atEnd()) err(`junk '${s.slice(p.pos).trim()}' after expression`);
    return { k: 'mem', disp, base: null, index: null, scale: 1, indirect };
  }
  const dispText = s.slice(0, paren).trim();
  rest = s.slice(paren);
  if (dispText !== '') {
    const p = new ExprParser(dispText, locals, err);
    disp = p.parse();
    if (!p.atEnd()) err(`junk '${dispText.slice(p.pos).trim()}' after expression`);
  }
  if (!rest.endsWith(')')) err(`junk '${rest.slice(rest.indexOf(')') + 1)}' after register`);
  const inner = rest.slice(1, -1).split(',').map((x) => x.trim());
  if (inner.length > 3) err(`bad memory operand '${s}'`);
  const reg = (t: string): Register | null => {
    if (t === '') return null;
    if (!t.startsWith('%')) err(`bad memory operand '${s}'`);
    const r = lookupRegister(t.slice(1));
    if (!r) err(`bad register name '${t}'`);
    return r!;
  };
  const base = reg(inner[0] ?? '');
  const index = inner.length > 1 ? reg(inner[1]!) : null;
  let scale = 1;
  if (inner.length > 2 && inner[2] !== '') {
    const sc = Number(inner[2]);
    if (![1, 2, 4, 8].includes(sc)) err(`expecting scale factor of 1, 2, 4, or 8: got '${inner[2]}'`);
    scale = sc;
  }
  if (base && base.width < 4) err(`'${s}' is not a valid base/index expression`);
  if (index && (index.width < 4 || index.num === 4 || index.num === 16)) err(`'${s}' is not a valid base/index expression`);
  return { k: 'mem', disp, base, index, scale, indirect };
}

/** Index of the '(' that opens a memory operand's register part (a '(' followed by '%' or ','). */
function findMemParen(s: string): number {
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === '(' && /^\(\s*(%|,)/.test(s.slice(i))) return i;
  }
  return -1;
}

/** Parses a whole source file into statements; errors are collected, one per bad line. */
export function parseAsm(file: string, text: string, opts: { lineMarkers?: boolean } = {}): { statements: Statement[]; errors: AsmError[] } {
  const statements: Statement[] = [];
  const errors: AsmError[] = [];
  const locals = new LocalLabels();
  const lines = stripBlockComments(text).split('\n');
  // After the C preprocessor (.S files), `# N "file"` markers give the original file and line.
  let markFile = file;
  let markDelta = 0;
  lines.forEach((raw, i) => {
    if (opts.lineMarkers) {
      const mk = /^#\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"/.exec(raw);
      if (mk) {
        markFile = mk[2]!;
        markDelta = Number(mk[1]) - (i + 2);
        return;
      }
    }
    const line = i + 1 + markDelta;
    const where = markFile;
    const err = (m: string): never => {
      throw new AsmError(where, line, m);
    };
    for (let part of splitStatements(stripComment(raw.replace(/\r$/, '')))) {
      try {
        part = part.trim();
        // Labels (several may precede a statement).
        for (;;) {
          const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*|[0-9]+)\s*:(?!:)/.exec(part);
          if (!m) break;
          const name = /^[0-9]+$/.test(m[1]!) ? locals.define(m[1]!) : m[1]!;
          statements.push({ k: 'label', name, line });
          part = part.slice(m[0].length).trim();
        }
        if (part === '') continue;
        const assign = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*=(?!=)\s*(.*)$/.exec(part);
        if (assign) {
          const p = new ExprParser(assign[2]!, locals, err);
          const e = p.parse();
          if (!p.atEnd()) err(`junk at end of line, first unrecognized character is '${assign[2]!.slice(p.pos).trim()[0]}'`);
          statements.push({ k: 'assign', name: assign[1]!, e, line });
          continue;
        }
        const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*)(.*)$/.exec(part);
        if (!m) err(`junk at end of line, first unrecognized character is '${part[0]}'`);
        const word = m![1]!;
        const rest = m![2]!.trim();
        if (word.startsWith('.')) {
          // Numeric local label references inside directive arguments (.long 1b) are resolved now.
          const args = rest.replace(/(^|[^0-9A-Za-z_.$'"])([0-9]+)([fb])(?![0-9A-Za-z_])/g, (_x, pre: string, n: string, d: string) => `${pre}${locals.ref(n, d as 'f' | 'b')}`);
          statements.push({ k: 'directive', name: word.toLowerCase(), args, line });
          continue;
        }
        const mnemonic = word.toLowerCase();
        const text = scrubbed(word, rest);
        const opTexts = rest === '' ? [] : splitOperands(rest);
        const operands = opTexts.map((o) => parseOperand(o, locals, err));
        statements.push({ k: 'insn', mnemonic, operands, text, line });
      } catch (e) {
        if (e instanceof AsmError) errors.push(e);
        else throw e;
      }
    }
  });
  return { statements, errors };
}
