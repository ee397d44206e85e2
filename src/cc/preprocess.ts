// The C preprocessor (C11 6.10 plus the GNU extensions kernel code uses): #include with quote
// and system search paths (#include_next, #pragma once, __has_include), conditionals with full
// integer expressions, object-like, function-like and variadic macros with # and ## and
// Prosser's hide sets (no recursive expansion), __VA_OPT__ and GNU `, ## __VA_ARGS__`, the
// predefined macros, #line, #error and #warning. The output is text with gcc-style line markers
// (`# 12 "file.c"`) that the lexer maps back to original positions, and tokens keep their
// original columns where the line was not changed by a macro. Files come through an injected
// readFile: nothing here touches Node.
import type { Loc } from './ast.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import { PPExprError, evaluatePPExpression } from './pp-expr.js';
import { type PPToken, copyToken, lexSingleToken, spellTokens, tokenizeSource } from './pp-tokens.js';

export interface PreprocessOptions {
  /** Returns a file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** Directories searched for `#include <...>` (and after quoteDirs for `"..."`). */
  includeDirs?: readonly string[];
  /** Directories searched for `#include "..."` after the including file's directory. */
  quoteDirs?: readonly string[];
  /** Predefined macros supplied by the caller (target macros like __x86_64__), NAME -> body. */
  predefined?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** -D definitions, NAME -> body (or NAME(args) -> body for function-like ones). */
  defines?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** -U names, applied after defines. */
  undefines?: readonly string[];
  /** The time __DATE__ and __TIME__ report; defaults to now. */
  now?: Date;
  /** Nesting limit for #include (gcc's default is 200). */
  maxIncludeDepth?: number;
}

export interface PreprocessResult {
  /** Preprocessed text with gcc-style line markers. */
  text: string;
  diagnostics: Diagnostic[];
  /** Every file read, main file first, as resolved paths. */
  deps: string[];
}

interface Macro {
  name: string;
  functionLike: boolean;
  params: string[];
  variadic: boolean;
  body: PPToken[];
  loc?: Loc;
  builtin?: (nameTok: PPToken) => PPToken[];
}

interface Conditional {
  /** The directive that opened or last continued the group: if, ifdef, ifndef, elif, else. */
  directive: string;
  loc: Loc;
  /** Some branch of this #if chain was taken. */
  taken: boolean;
  sawElse: boolean;
}

interface FileSource {
  kind: 'file';
  tokens: PPToken[];
  pos: number;
  path: string;
  /** Presumed file name (changed by #line) and line offset. */
  presumedName: string;
  lineDelta: number;
  /** Index in the search path where this file was found, for #include_next. */
  searchIndex: number;
  conditionals: Conditional[];
  /** Line of the #include in the parent, to emit the return marker. */
  system: boolean;
}

interface ListSource {
  kind: 'list';
  tokens: PPToken[];
  pos: number;
}

type Source = FileSource | ListSource;

/** Stops preprocessing after a fatal error (missing include). */
class FatalStop extends Error {}

/** Operators usable in #if that `#ifdef` reports as defined, as gcc does. */
const DEFINED_OPERATORS = new Set(['__has_include', '__has_include_next', '__has_attribute', '__has_c_attribute', '__has_builtin']);

/** Bounds the memory of absurdly nested invocations (each level holds its arguments). */
const MAX_LIVE_ARGUMENT_TOKENS = 2_000_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const KNOWN_ATTRIBUTES = new Set([
  'aligned', 'alias', 'always_inline', 'cold', 'const', 'constructor', 'deprecated', 'destructor',
  'fallthrough', 'format', 'hot', 'malloc', 'may_alias', 'noinline', 'nonnull', 'noreturn',
  'packed', 'pure', 'returns_nonnull', 'section', 'unused', 'used', 'visibility',
  'warn_unused_result', 'weak', 'transparent_union', 'mode', 'cleanup', 'nonstring',
]);

const KNOWN_BUILTINS = new Set(['__builtin_va_arg', '__builtin_va_list', '__builtin_offsetof', '__builtin_va_start', '__builtin_va_end', '__builtin_va_copy', '__builtin_expect', '__builtin_unreachable', '__builtin_trap']);

/** Joins and normalizes a path: resolves `.` and `..` segments. */
export function joinPath(dir: string, name: string): string {
  const full = name.startsWith('/') || dir === '' ? name : `${dir.replace(/\/+$/, '')}/${name}`;
  const abs = full.startsWith('/');
  const out: string[] = [];
  for (const seg of full.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && abs) continue;
    else out.push(seg);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined === '' ? '.' : joined;
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '';
  if (i === 0) return '/';
  return path.slice(0, i);
}

function quoteString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function entries(m: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined): [string, string][] {
  if (!m) return [];
  if (m instanceof Map) return [...m.entries()];
  return Object.entries(m as Record<string, string>);
}

/** Writes preprocessed tokens as text, keeping lines and columns, with line markers. */
class OutputWriter {
  private parts: string[] = [];
  private file = '';
  private line = 0;
  private col = 0;
  private last: PPToken | undefined;

  marker(file: string, line: number, flags: string): void {
    if (this.col > 0 || (this.parts.length > 0 && !this.parts[this.parts.length - 1]!.endsWith('\n'))) this.parts.push('\n');
    this.parts.push(`# ${line} ${quoteString(file)}${flags}\n`);
    this.file = file;
    this.line = line;
    this.col = 0;
    this.last = undefined;
  }

  private moveTo(file: string, line: number): void {
    if (file !== this.file || line < this.line || line - this.line > 8) {
      this.marker(file, line, '');
      return;
    }
    while (this.line < line) {
      this.parts.push('\n');
      this.line++;
      this.col = 0;
      this.last = undefined;
    }
  }

  token(t: PPToken): void {
    if (t.placemarker) return;
    this.moveTo(t.file, t.line);
    // A macro expansion earlier on this line made it longer: restart the line with a marker so
    // that this token keeps its original column.
    if (!t.expanded && this.col > t.col - 1) this.marker(t.file, t.line, '');
    if (this.col < t.col - 1 && (!t.expanded || this.col === 0)) {
      this.parts.push(' '.repeat(t.col - 1 - this.col));
      this.col = t.col - 1;
    } else if (this.last && (t.space || wouldPaste(this.last, t))) {
      this.parts.push(' ');
      this.col++;
    }
    this.parts.push(t.text);
    this.col += t.text.length;
    this.last = t;
  }

  /** A line of its own (a #pragma), at the position of `at`. */
  directiveLine(text: string, at: PPToken): void {
    this.moveTo(at.file, at.line);
    if (this.col > 0) {
      this.parts.push('\n');
      this.line++;
      this.col = 0;
    }
    this.parts.push(text + '\n');
    this.line++;
    this.col = 0;
    this.last = undefined;
  }

  text(): string {
    const s = this.parts.join('');
    return s.endsWith('\n') ? s : s + '\n';
  }
}

/** True when printing b right after a would lex differently. */
function wouldPaste(a: PPToken, b: PPToken): boolean {
  const x = a.text[a.text.length - 1]!;
  const y = b.text[0]!;
  const wordChar = (c: string): boolean => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;
  if ((a.kind === 'ident' || a.kind === 'number') && (wordChar(y) || b.kind === 'string' || b.kind === 'char')) return true;
  if (a.kind === 'number' && (y === '.' || ((y === '+' || y === '-') && /[eEpP]$/.test(a.text)))) return true;
  if (a.text === '.' && b.kind === 'number') return true;
  if (a.kind === 'punct' && b.kind === 'punct') {
    const joined = a.text + b.text;
    return lexSingleToken(joined) !== undefined || joined.startsWith('//') || joined.startsWith('/*') || /^(\.\.|%:|<:|<%|:>|%>)/.test(joined) || lexSingleToken(joined.slice(0, 3))?.text.length === 3;
  }
  return x === '/' && (y === '/' || y === '*');
}

export function preprocess(mainFile: string, opts: PreprocessOptions): PreprocessResult {
  return new Preprocessor(opts).run(mainFile);
}

class Preprocessor {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly deps: string[] = [];
  private readonly macros = new Map<string, Macro>();
  private readonly onceFiles = new Set<string>();
  private readonly out = new OutputWriter();
  private stack: Source[] = [];
  private counter = 0;
  /** Argument tokens held by invocations being expanded (nested ones hold overlapping copies). */
  private liveArgumentTokens = 0;
  private readonly includeDirs: string[];
  private readonly quoteDirs: string[];
  private readonly maxDepth: number;
  private includeDepth = 0;
  private readonly fileCache = new Map<string, string | undefined>();

  constructor(private readonly opts: PreprocessOptions) {
    this.includeDirs = [...(opts.includeDirs ?? [])];
    this.quoteDirs = [...(opts.quoteDirs ?? [])];
    this.maxDepth = opts.maxIncludeDepth ?? 200;
  }

  run(mainFile: string): PreprocessResult {
    try {
      this.defineBuiltins();
      for (const [name, body] of entries(this.opts.predefined)) this.defineFromText(name, body, '<built-in>');
      for (const [name, body] of entries(this.opts.defines)) this.defineFromText(name, body, '<command-line>');
      for (const name of this.opts.undefines ?? []) this.macros.delete(name);
      const text = this.read(mainFile);
      if (text === undefined) {
        this.diagnostics.push({ severity: 'fatal error', message: `${mainFile}: No such file or directory` });
        return { text: '', diagnostics: this.diagnostics, deps: this.deps };
      }
      this.pushFile(mainFile, mainFile, text, -1, false);
      this.out.marker(mainFile, 1, '');
      for (;;) {
        const t = this.expandNext();
        if (t.kind === 'eof') {
          if (!this.popFile()) break;
          continue;
        }
        if (t.unterminated) this.warning(`missing terminating ${t.unterminated} character`, t);
        this.out.token(t);
      }
    } catch (e) {
      if (e instanceof RangeError) {
        const f = this.currentFile();
        const at = f?.tokens[Math.max(0, f.pos - 1)];
        this.diagnostics.push({ severity: 'fatal error', message: 'macro expansion or #include nested too deeply', ...(at ? { loc: locOf(at) } : {}) });
      } else if (!(e instanceof FatalStop)) {
        this.diagnostics.push({ severity: 'error', message: `internal preprocessor error: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    return { text: this.out.text(), diagnostics: this.diagnostics, deps: this.deps };
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics

  private report(severity: Severity, message: string, at: PPToken | Loc | undefined, length?: number): void {
    const loc = at ? { file: at.file, line: at.line, col: at.col } : undefined;
    const d: Diagnostic = { severity, message, ...(loc ? { loc } : {}) };
    if (length !== undefined) d.length = length;
    else if (at && 'text' in at) d.length = Math.max(1, at.text.length);
    this.diagnostics.push(d);
  }

  private error(message: string, at: PPToken | Loc | undefined): void {
    this.report('error', message, at);
  }

  private warning(message: string, at: PPToken | Loc | undefined): void {
    this.report('warning', message, at);
  }

  // -------------------------------------------------------------------------------------------
  // Files and the token stream

  private read(path: string): string | undefined {
    if (this.fileCache.has(path)) return this.fileCache.get(path);
    let text: string | undefined;
    try {
      text = this.opts.readFile(path);
    } catch {
      text = undefined;
    }
    this.fileCache.set(path, text);
    return text;
  }

  private pushFile(path: string, presumedName: string, text: string, searchIndex: number, system: boolean): void {
    if (!this.deps.includes(path)) this.deps.push(path);
    const { tokens, problems } = tokenizeSource(text, presumedName);
    for (const p of problems) this.error(p.message, { file: presumedName, line: p.line, col: p.col });
    this.stack.push({ kind: 'file', tokens, pos: 0, path, presumedName, lineDelta: 0, searchIndex, conditionals: [], system });
    this.includeDepth++;
  }

  /** Ends the current file; false when it was the main file. */
  private popFile(): boolean {
    const top = this.stack[this.stack.length - 1];
    if (!top || top.kind !== 'file') return false;
    for (const c of top.conditionals) this.error(`unterminated #${c.directive}`, c.loc);
    this.stack.pop();
    this.includeDepth--;
    const parent = this.currentFile();
    if (!parent) return false;
    // The parent resumes on the line after the #include.
    const next = parent.tokens[parent.pos];
    const prev = parent.tokens[parent.pos - 1];
    const line = (prev ? prev.line + 1 : next ? next.line : 1) + parent.lineDelta;
    this.out.marker(parent.presumedName, line, parent.system ? ' 2 3' : ' 2');
    return true;
  }

  private currentFile(): FileSource | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const s = this.stack[i]!;
      if (s.kind === 'file') return s;
    }
    return undefined;
  }

  private eofToken(): PPToken {
    const f = this.currentFile();
    const last = f?.tokens[f.tokens.length - 1];
    return { kind: 'eof', text: '', file: f?.presumedName ?? '', line: (last?.line ?? 1) + (f?.lineDelta ?? 0), col: 1, bol: true, space: false };
  }

  /** Next token from the current source without macro expansion; handles directives. */
  private nextRaw(): PPToken {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) return this.eofToken();
      if (top.pos >= top.tokens.length) {
        if (top.kind === 'list') {
          if (this.stack.length === 1) return { kind: 'eof', text: '', file: '', line: 0, col: 0, bol: true, space: false };
          this.stack.pop();
          continue;
        }
        return this.eofToken();
      }
      const t = top.tokens[top.pos++]!;
      if (top.kind === 'file') {
        if (t.bol && t.kind === 'punct' && t.text === '#') {
          this.directive(top, t);
          continue;
        }
        return this.presumed(top, t);
      }
      return t;
    }
  }

  private presumed(f: FileSource, t: PPToken): PPToken {
    if (f.lineDelta === 0 && t.file === f.presumedName) return t;
    return copyToken(t, { file: f.presumedName, line: t.line + f.lineDelta });
  }

  private unread(t: PPToken): void {
    const top = this.stack[this.stack.length - 1];
    if (top && top.pos > 0 && top.tokens[top.pos - 1] === t) {
      top.pos--;
      return;
    }
    this.stack.push({ kind: 'list', tokens: [t], pos: 0 });
  }

  /** Peeks the next raw token (crossing macro-expansion boundaries but not the file's end). */
  private peekRaw(): PPToken {
    const t = this.nextRaw();
    if (t.kind !== 'eof') this.unread(t);
    return t;
  }

  /** Reads the rest of a directive line (tokens until the next line start). */
  private restOfLine(f: FileSource): PPToken[] {
    const out: PPToken[] = [];
    while (f.pos < f.tokens.length && !f.tokens[f.pos]!.bol) out.push(this.presumed(f, f.tokens[f.pos++]!));
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Macro expansion

  /** Next fully macro-expanded token. */
  private expandNext(): PPToken {
    for (;;) {
      const t = this.nextRaw();
      if (t.kind !== 'ident') return t;
      if (t.text === '_Pragma' && this.pragmaOperator(t)) continue;
      const m = this.macros.get(t.text);
      if (!m || t.hide?.has(t.text)) return t;
      if (this.expandMacro(m, t)) continue;
      return t;
    }
  }

  /** Expands `tokens` in isolation (a macro argument, a #if line), returning the result. */
  private expandList(tokens: PPToken[]): PPToken[] {
    const saved = this.stack;
    this.stack = [{ kind: 'list', tokens, pos: 0 }];
    const out: PPToken[] = [];
    try {
      for (;;) {
        const t = this.expandNext();
        if (t.kind === 'eof') break;
        out.push(t);
      }
    } finally {
      this.stack = saved;
    }
    return out;
  }

  /** Replaces the invocation at `name` by its expansion; false if it is not an invocation. */
  private expandMacro(m: Macro, name: PPToken): boolean {
    if (m.builtin) {
      const result = m.builtin(name).map((r) => (copyToken(r, { file: name.file, line: name.line, col: name.col, expanded: true, bol: false, space: false })));
      if (result[0]) {
        result[0].space = name.space;
        result[0].bol = name.bol;
      }
      this.stack.push({ kind: 'list', tokens: result, pos: 0 });
      return true;
    }
    if (!m.functionLike) {
      const hide = union(name.hide, m.name);
      const body = this.paste(m.body.map((b) => (copyToken(b))), m);
      this.pushExpansion(body, name, hide);
      return true;
    }
    // A function-like macro name not followed by '(' is an ordinary identifier.
    const paren = this.peekRaw();
    if (paren.kind !== 'punct' || paren.text !== '(') return false;
    this.nextRaw();
    const liveBefore = this.liveArgumentTokens;
    try {
      const collected = this.collectArguments(m, name);
      if (!collected) return true;
      const { args, rparen } = collected;
      const hide = union(intersect(name.hide, rparen.hide), m.name);
      const body = this.substitute(m, args, name);
      this.pushExpansion(body, name, hide);
      return true;
    } finally {
      this.liveArgumentTokens = liveBefore;
    }
  }

  private pushExpansion(body: PPToken[], name: PPToken, hide: ReadonlySet<string>): void {
    const result: PPToken[] = [];
    for (const b of body) {
      result.push(copyToken(b, { file: name.file, line: name.line, col: name.col, expanded: true, bol: false, fromArg: false, hide: unionSets(b.hide, hide) }));
    }
    const first = result.find((r) => !r.placemarker);
    if (first) {
      first.space = name.space;
      first.bol = name.bol;
    }
    this.stack.push({ kind: 'list', tokens: result.filter((r) => !r.placemarker), pos: 0 });
  }

  private tooDeep(at: PPToken): never {
    this.report('fatal error', 'macro expansion or #include nested too deeply', at);
    throw new FatalStop();
  }

  /** Reads the arguments of an invocation after its '('. Undefined after an error. */
  private collectArguments(m: Macro, name: PPToken): { args: PPToken[][]; rparen: PPToken } | undefined {
    const args: PPToken[][] = [[]];
    let depth = 0;
    for (;;) {
      const t = this.nextRaw();
      if (t.kind === 'eof') {
        this.error(`unterminated argument list invoking macro "${m.name}"`, name);
        return undefined;
      }
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            return this.checkArgumentCount(m, name, args) ? { args, rparen: t } : undefined;
          }
          depth--;
        } else if (t.text === ',' && depth === 0 && !(m.variadic && args.length === m.params.length)) {
          args.push([]);
          continue;
        }
      }
      if (++this.liveArgumentTokens > MAX_LIVE_ARGUMENT_TOKENS) this.tooDeep(name);
      const arg = args[args.length - 1]!;
      // A newline inside the arguments is whitespace; the argument's first token has none.
      const space = arg.length === 0 ? false : t.space || t.bol;
      arg.push(space === t.space && !t.bol ? t : copyToken(t, { space, bol: false }));
    }
  }

  private checkArgumentCount(m: Macro, name: PPToken, args: PPToken[][]): boolean {
    const n = m.params.length;
    if (n === 0) {
      if (args.length === 1 && args[0]!.length === 0) {
        args.length = 0;
        return true;
      }
      this.error(`macro "${m.name}" passed ${args.length} arguments, but takes just 0`, name);
      return false;
    }
    if (m.variadic && args.length === n - 1) {
      args.push([]);
      return true;
    }
    if (args.length < n) {
      this.error(`macro "${m.name}" requires ${n} arguments, but only ${args.length} given`, name);
      return false;
    }
    if (args.length > n) {
      this.error(`macro "${m.name}" passed ${args.length} arguments, but takes just ${n}`, name);
      return false;
    }
    return true;
  }

  /** Replaces parameters in a function-like macro's body (6.10.3.1-3), then pastes. */
  private substitute(m: Macro, args: PPToken[][], name: PPToken): PPToken[] {
    const body = m.body;
    const out: PPToken[] = [];
    const expandedCache = new Map<number, PPToken[]>();
    const paramIndex = (t: PPToken | undefined): number => (t && t.kind === 'ident' ? m.params.indexOf(t.text) : -1);
    const expandedArg = (i: number): PPToken[] => {
      let e = expandedCache.get(i);
      if (!e) {
        e = this.expandList(args[i]!);
        expandedCache.set(i, e);
      }
      return e;
    };
    const isPaste = (t: PPToken | undefined): boolean => !!t && t.kind === 'punct' && t.text === '##' && !t.placemarker;
    const vaIndex = m.variadic ? m.params.length - 1 : -1;
    const vaArgsPresent = (): boolean => vaIndex >= 0 && expandedArg(vaIndex).length > 0;

    for (let i = 0; i < body.length; i++) {
      const t = body[i]!;
      // # param: stringify the unexpanded argument.
      if (m.functionLike && t.kind === 'punct' && t.text === '#') {
        const p = paramIndex(body[i + 1]);
        if (p >= 0) {
          out.push(copyToken(t, { kind: 'string', text: stringify(args[p]!), space: t.space }));
          i++;
          continue;
        }
      }
      // __VA_OPT__(content)
      if (t.kind === 'ident' && t.text === '__VA_OPT__' && m.variadic) {
        const close = matchingParen(body, i + 1);
        if (close > i + 1) {
          const inner = body.slice(i + 2, close);
          if (vaArgsPresent()) {
            const sub = this.substitute({ ...m, body: inner, builtin: undefined }, args, name);
            if (sub.length > 0) sub[0] = copyToken(sub[0]!, { space: t.space });
            out.push(...sub);
          } else out.push(copyToken(t, { text: '', placemarker: true }));
          i = close;
          continue;
        }
      }
      // GNU: , ## __VA_ARGS__ drops the comma when the variable arguments are empty.
      if (t.kind === 'punct' && t.text === ',' && isPaste(body[i + 1]) && vaIndex >= 0 && paramIndex(body[i + 2]) === vaIndex) {
        if (args[vaIndex]!.length === 0) {
          out.push(copyToken(t, { text: '', placemarker: true }));
        } else {
          out.push(t);
          out.push(...args[vaIndex]!.map((a, k) => (copyToken(a, { fromArg: true, space: k === 0 ? body[i + 2]!.space : a.space }))));
        }
        i += 2;
        continue;
      }
      const p = paramIndex(t);
      if (p >= 0) {
        const nextIsPaste = isPaste(body[i + 1]);
        const prevIsPaste = isPaste(body[i - 1]);
        const replacement = (nextIsPaste || prevIsPaste ? args[p]! : expandedArg(p)).map((a) => (copyToken(a, { fromArg: true })));
        if (replacement.length === 0) {
          out.push(copyToken(t, { text: '', placemarker: true }));
        } else {
          replacement[0]!.space = t.space;
          out.push(...replacement);
        }
        continue;
      }
      out.push(copyToken(t));
    }
    return this.paste(out, m);
  }

  /** Performs the `##` operators of a substituted body. */
  private paste(tokens: PPToken[], m: Macro): PPToken[] {
    if (!tokens.some((t) => t.kind === 'punct' && t.text === '##' && !t.placemarker)) return tokens;
    const out: PPToken[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === 'punct' && t.text === '##' && !t.placemarker && !t.fromArg && out.length > 0 && i + 1 < tokens.length) {
        const left = out.pop()!;
        const right = tokens[++i]!;
        if (left.placemarker) {
          out.push(copyToken(right, { space: left.space }));
          continue;
        }
        if (right.placemarker) {
          out.push(left);
          continue;
        }
        const text = left.text + right.text;
        const single = lexSingleToken(text);
        if (!single) {
          this.error(`pasting "${left.text}" and "${right.text}" does not give a valid preprocessing token`, m.loc ?? left);
          out.push(left, copyToken(right, { space: false }));
          continue;
        }
        out.push(copyToken(left, { kind: single.kind, text: single.text, hide: intersect(left.hide, right.hide) }));
        continue;
      }
      out.push(t);
    }
    return out;
  }

  /** `_Pragma("...")`: becomes a #pragma line. False when not followed by ( string ). */
  private pragmaOperator(t: PPToken): boolean {
    const open = this.peekRaw();
    if (open.kind !== 'punct' || open.text !== '(') return false;
    this.nextRaw();
    const str = this.nextRaw();
    const close = str.kind === 'string' ? this.nextRaw() : str;
    if (str.kind !== 'string' || close.kind !== 'punct' || close.text !== ')') {
      this.error('_Pragma takes a parenthesized string literal', t);
      return true;
    }
    const body = str.text.replace(/^(u8|u|U|L)?"/, '').slice(0, -1).replace(/\\(["\\])/g, '$1');
    this.out.directiveLine(`#pragma ${body}`, t);
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Definitions

  private defineBuiltins(): void {
    const builtin = (name: string, f: (t: PPToken) => PPToken[]): void => {
      this.macros.set(name, { name, functionLike: false, params: [], variadic: false, body: [], builtin: f });
    };
    const tok = (kind: PPToken['kind'], text: string): PPToken => ({ kind, text, file: '', line: 0, col: 0, bol: false, space: false });
    const now = this.opts.now ?? new Date();
    const two = (n: number): string => String(n).padStart(2, '0');
    builtin('__FILE__', (t) => [tok('string', quoteString(t.file))]);
    builtin('__LINE__', (t) => [tok('number', String(t.line))]);
    builtin('__COUNTER__', () => [tok('number', String(this.counter++))]);
    builtin('__INCLUDE_LEVEL__', () => [tok('number', String(Math.max(0, this.includeDepth - 1)))]);
    builtin('__BASE_FILE__', () => [tok('string', quoteString(this.deps[0] ?? ''))]);
    builtin('__DATE__', () => [tok('string', `"${MONTHS[now.getMonth()]} ${String(now.getDate()).padStart(2, ' ')} ${now.getFullYear()}"`)]);
    builtin('__TIME__', () => [tok('string', `"${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}"`)]);
    this.defineFromText('__STDC__', '1', '<built-in>');
    this.defineFromText('__STDC_VERSION__', '201710L', '<built-in>');
    this.defineFromText('__STDC_HOSTED__', '1', '<built-in>');
  }

  /** Defines NAME or NAME(params) from a -D style string. */
  private defineFromText(name: string, body: string, file: string): void {
    const { tokens } = tokenizeSource(`${name} ${body}`, file);
    if (tokens.length === 0) return;
    // `NAME(x)` given as the name must keep '(' adjacent.
    const fn = /^[A-Za-z_$][A-Za-z0-9_$]*\(/.test(name);
    if (fn && tokens[1]) tokens[1].space = false;
    const f: FileSource = { kind: 'file', tokens, pos: 0, path: file, presumedName: file, lineDelta: 0, searchIndex: -1, conditionals: [], system: false };
    this.defineDirective(f, tokens, tokens[0]!);
  }

  /** #define: `tokens` is the rest of the line after `define`. */
  private defineDirective(_f: FileSource, tokens: PPToken[], directiveTok: PPToken): void {
    const nameTok = tokens[0];
    if (!nameTok) {
      this.error('no macro name given in #define directive', directiveTok);
      return;
    }
    if (nameTok.kind !== 'ident') {
      this.error('macro names must be identifiers', nameTok);
      return;
    }
    if (nameTok.text === 'defined') {
      this.error('"defined" cannot be used as a macro name', nameTok);
      return;
    }
    let i = 1;
    const params: string[] = [];
    let variadic = false;
    let functionLike = false;
    const open = tokens[1];
    if (open && open.kind === 'punct' && open.text === '(' && !open.space) {
      functionLike = true;
      i = 2;
      let expectParam = true;
      for (;;) {
        const t = tokens[i++];
        if (!t) {
          this.error(`missing ')' in macro parameter list`, tokens[i - 2] ?? nameTok);
          return;
        }
        if (t.kind === 'punct' && t.text === ')' && (params.length === 0 || !expectParam)) break;
        if (expectParam) {
          if (t.kind === 'punct' && t.text === '...') {
            variadic = true;
            params.push('__VA_ARGS__');
            const close = tokens[i++];
            if (!close || close.text !== ')') {
              this.error(`missing ')' in macro parameter list`, close ?? t);
              return;
            }
            break;
          }
          if (t.kind !== 'ident') {
            this.error(`expected parameter name, found "${t.text}"`, t);
            return;
          }
          if (params.includes(t.text)) {
            this.error(`duplicate macro parameter "${t.text}"`, t);
            return;
          }
          params.push(t.text);
          const dots = tokens[i];
          if (dots && dots.kind === 'punct' && dots.text === '...') {
            variadic = true;
            i++;
            const close = tokens[i++];
            if (!close || close.text !== ')') {
              this.error(`missing ')' in macro parameter list`, close ?? dots);
              return;
            }
            break;
          }
          expectParam = false;
        } else {
          if (t.kind === 'punct' && t.text === ',') {
            expectParam = true;
            continue;
          }
          this.error(`expected ',' or ')', found "${t.text}"`, t);
          return;
        }
      }
    } else if (open && !open.space) {
      this.warning(`missing whitespace after the macro name`, open);
    }
    const body = tokens.slice(i).map((t) => (copyToken(t)));
    if (body[0]) body[0].space = false;
    // Constraints on # and ##.
    if (body.length > 0) {
      const first = body[0]!;
      const last = body[body.length - 1]!;
      if ((first.kind === 'punct' && first.text === '##') || (last.kind === 'punct' && last.text === '##' && body.length > 0)) {
        this.error(`'##' cannot appear at either end of a macro expansion`, first.text === '##' ? first : last);
        return;
      }
    }
    if (functionLike) {
      for (let k = 0; k < body.length; k++) {
        const t = body[k]!;
        if (t.kind === 'punct' && t.text === '#') {
          const nx = body[k + 1];
          if (!nx || nx.kind !== 'ident' || !(params.includes(nx.text) || (variadic && nx.text === '__VA_OPT__'))) {
            this.error(`'#' is not followed by a macro parameter`, t);
            return;
          }
        }
      }
    }
    const macro: Macro = { name: nameTok.text, functionLike, params, variadic, body, loc: { file: nameTok.file, line: nameTok.line, col: nameTok.col } };
    const old = this.macros.get(nameTok.text);
    if (old && !sameDefinition(old, macro)) {
      if (old.builtin || ['__STDC__', '__STDC_VERSION__', '__STDC_HOSTED__'].includes(old.name)) this.warning(`redefining builtin macro "${old.name}"`, nameTok);
      else {
        this.warning(`"${nameTok.text}" redefined`, nameTok);
        if (old.loc && old.loc.file !== '<built-in>' && old.loc.file !== '<command-line>') this.report('note', 'this is the location of the previous definition', old.loc, old.name.length);
      }
    }
    this.macros.set(nameTok.text, macro);
  }

  // -------------------------------------------------------------------------------------------
  // Directives

  private directive(f: FileSource, hash: PPToken): void {
    const line = this.restOfLine(f);
    const nameTok = line[0];
    if (!nameTok) return; // the null directive
    const rest = line.slice(1);
    if (nameTok.kind === 'number') {
      // GNU line marker `# 33 "file" flags` in source.
      this.lineDirective(f, line, hash);
      return;
    }
    const name = nameTok.kind === 'ident' ? nameTok.text : '';
    switch (name) {
      case 'define':
        this.defineDirective(f, rest, nameTok);
        return;
      case 'undef': {
        const t = rest[0];
        if (!t) this.error('no macro name given in #undef directive', nameTok);
        else if (t.kind !== 'ident') this.error('macro names must be identifiers', t);
        else {
          if (t.text === 'defined') this.error('"defined" cannot be used as a macro name', t);
          else this.macros.delete(t.text);
          if (rest.length > 1) this.warning('extra tokens at end of #undef directive', rest[1]!);
        }
        return;
      }
      case 'include':
      case 'include_next':
      case 'import':
        this.includeDirective(f, rest, nameTok, name === 'include_next');
        return;
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const taken = this.conditionValue(name, rest, nameTok);
        f.conditionals.push({ directive: name, loc: locOf(nameTok), taken, sawElse: false });
        if (!taken) this.skipGroup(f);
        return;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef':
      case 'else': {
        const c = f.conditionals[f.conditionals.length - 1];
        if (!c) {
          this.error(`#${name} without #if`, nameTok);
          return;
        }
        if (c.sawElse) {
          this.error(`#${name} after #else`, nameTok);
          this.report('note', 'the conditional began here', c.loc, 2);
        }
        if (name === 'else') {
          c.sawElse = true;
          if (rest.length > 0) this.warning('extra tokens at end of #else directive', rest[0]!);
        }
        c.directive = name;
        c.loc = locOf(nameTok);
        // We were in a taken group: skip everything up to #endif.
        c.taken = true;
        this.skipGroup(f);
        return;
      }
      case 'endif': {
        if (!f.conditionals.pop()) this.error('#endif without #if', nameTok);
        else if (rest.length > 0) this.warning('extra tokens at end of #endif directive', rest[0]!);
        return;
      }
      case 'line':
        this.lineDirective(f, rest, nameTok);
        return;
      case 'error':
        this.report('error', `#error ${spellTokens(rest)}`.trimEnd(), nameTok, 5);
        return;
      case 'warning':
        this.report('warning', `#warning ${spellTokens(rest)}`.trimEnd(), nameTok, 7);
        return;
      case 'pragma':
        this.pragmaDirective(f, rest, hash);
        return;
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return;
    }
    this.error(`invalid preprocessing directive #${nameTok.text}`, nameTok);
  }

  private pragmaDirective(f: FileSource, rest: PPToken[], hash: PPToken): void {
    const first = rest[0];
    if (first && first.text === 'once' && rest.length === 1) {
      this.onceFiles.add(f.path);
      return;
    }
    if (first && first.text === 'GCC' && rest[1] && (rest[1].text === 'system_header' || rest[1].text === 'poison' || rest[1].text === 'dependency')) return;
    if (first && (first.text === 'push_macro' || first.text === 'pop_macro')) {
      this.pushPopMacro(first.text === 'push_macro', rest);
      return;
    }
    this.out.directiveLine(`#pragma ${spellTokens(rest)}`, this.presumed(f, hash));
  }

  private readonly pushedMacros = new Map<string, (Macro | undefined)[]>();

  private pushPopMacro(push: boolean, rest: PPToken[]): void {
    const str = rest.find((t) => t.kind === 'string');
    if (!str) return;
    const name = str.text.slice(1, -1);
    let list = this.pushedMacros.get(name);
    if (push) {
      if (!list) this.pushedMacros.set(name, (list = []));
      list.push(this.macros.get(name));
    } else if (list && list.length > 0) {
      const m = list.pop();
      if (m) this.macros.set(name, m);
      else this.macros.delete(name);
    }
  }

  private lineDirective(f: FileSource, tokens: PPToken[], at: PPToken): void {
    const expanded = tokens[0]?.kind === 'number' && at.kind === 'number' ? tokens : this.expandList(tokens.map((t) => (copyToken(t))));
    const num = expanded[0];
    if (!num || num.kind !== 'number' || !/^[0-9]+$/.test(num.text)) {
      this.error(`"${num?.text ?? ''}" after #line is not a positive integer`, num ?? at);
      return;
    }
    const physicalNext = (f.tokens[f.pos - 1]?.line ?? at.line) + 1;
    const wanted = parseInt(num.text, 10);
    const nameTok = expanded[1];
    if (nameTok) {
      if (nameTok.kind !== 'string') {
        this.error(`invalid filename "${nameTok.text}"`, nameTok);
        return;
      }
      f.presumedName = nameTok.text.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    // Lines of the physical file map to presumed lines: physical + delta.
    f.lineDelta = wanted - physicalNext;
    this.out.marker(f.presumedName, wanted, '');
  }

  /** #include / #include_next. */
  private includeDirective(f: FileSource, tokens: PPToken[], nameTok: PPToken, next: boolean): void {
    let toks = tokens;
    const first = toks[0];
    if (!first) {
      this.error(`#${nameTok.text} expects "FILENAME" or <FILENAME>`, nameTok);
      return;
    }
    if (first.kind !== 'string' && !(first.kind === 'punct' && first.text === '<')) toks = this.expandList(toks.map((t) => (copyToken(t))));
    const head = toks[0];
    let header: string;
    let angled: boolean;
    let extraIndex: number;
    if (head && head.kind === 'string' && head.text.startsWith('"')) {
      header = head.text.slice(1, -1);
      angled = false;
      extraIndex = 1;
    } else if (head && head.kind === 'punct' && head.text === '<') {
      const close = toks.findIndex((t, k) => k > 0 && t.kind === 'punct' && t.text === '>');
      if (close < 0) {
        this.error(`missing terminating > character`, head);
        return;
      }
      header = spellTokens(toks.slice(1, close).map((t, k) => (k === 0 ? copyToken(t, { space: false }) : t)));
      angled = true;
      extraIndex = close + 1;
    } else {
      this.error(`#${nameTok.text} expects "FILENAME" or <FILENAME>`, head ?? nameTok);
      return;
    }
    if (toks.length > extraIndex) this.warning(`extra tokens at end of #${nameTok.text} directive`, toks[extraIndex]!);
    if (header === '') {
      this.error(`empty filename in #${nameTok.text}`, head);
      return;
    }
    const found = this.resolveInclude(f, header, angled, next);
    if (!found) {
      this.report('fatal error', `${header}: No such file or directory`, head, (angled ? header.length + 2 : head.text.length));
      throw new FatalStop();
    }
    if (this.onceFiles.has(found.path)) return;
    if (this.includeDepth >= this.maxDepth) {
      this.error(`#include nested depth ${this.includeDepth} exceeds maximum of ${this.maxDepth} (use -fmax-include-depth=DEPTH to increase the maximum)`, nameTok);
      return;
    }
    const system = found.searchIndex >= this.quoteDirs.length && found.searchIndex >= 0 || f.system;
    this.out.marker(found.path, 1, system ? ' 1 3' : ' 1');
    this.pushFile(found.path, found.path, found.text, found.searchIndex, system);
  }

  /**
   * Search order: for "x": the including file's directory, then quoteDirs, then includeDirs;
   * for <x>: includeDirs. searchIndex counts quoteDirs then includeDirs (-1 for the file's dir).
   */
  private resolveInclude(f: FileSource, header: string, angled: boolean, next: boolean): { path: string; text: string; searchIndex: number } | undefined {
    if (header.startsWith('/')) {
      const text = this.read(joinPath('', header));
      return text === undefined ? undefined : { path: joinPath('', header), text, searchIndex: -1 };
    }
    const dirs = [...this.quoteDirs, ...this.includeDirs];
    let start = angled ? this.quoteDirs.length : 0;
    if (next && f.searchIndex >= 0) start = f.searchIndex + 1;
    else if (!angled && !next) {
      const path = joinPath(dirName(f.path), header);
      const text = this.read(path);
      if (text !== undefined) return { path, text, searchIndex: -1 };
    }
    for (let i = start; i < dirs.length; i++) {
      const path = joinPath(dirs[i]!, header);
      const text = this.read(path);
      if (text !== undefined) return { path, text, searchIndex: i };
    }
    return undefined;
  }

  /** Evaluates #if/#ifdef/#ifndef/#elif. Errors count as false. */
  private conditionValue(directive: string, tokens: PPToken[], nameTok: PPToken): boolean {
    if (directive === 'ifdef' || directive === 'ifndef' || directive === 'elifdef' || directive === 'elifndef') {
      const t = tokens[0];
      if (!t) {
        this.error(`no macro name given in #${directive} directive`, nameTok);
        return false;
      }
      if (t.kind !== 'ident') {
        this.error('macro names must be identifiers', t);
        return false;
      }
      if (tokens.length > 1) this.warning(`extra tokens at end of #${directive} directive`, tokens[1]!);
      const defined = this.isDefined(t.text);
      return directive.endsWith('ndef') ? !defined : defined;
    }
    const file = this.currentFile();
    try {
      const replaced = this.replaceDefined(tokens, file);
      const expanded = this.replaceDefined(this.expandList(replaced), file);
      const final = expanded.map((t) => (t.kind === 'ident' ? copyToken(t, { kind: 'number' as const, text: t.text === 'true' ? '1' : '0' }) : t));
      const v = evaluatePPExpression(final, `#${directive}`, nameTok);
      return v.value !== 0n;
    } catch (e) {
      if (e instanceof PPExprError) {
        this.error(e.message, e.token ?? nameTok);
        return false;
      }
      throw e;
    }
  }

  /** `defined X`: a macro, or one of the operators gcc also reports as defined. */
  private isDefined(name: string): boolean {
    return this.macros.has(name) || DEFINED_OPERATORS.has(name);
  }

  /** Replaces `defined X`, `defined(X)`, __has_include(...) and friends by 0 or 1. */
  private replaceDefined(tokens: PPToken[], file: FileSource | undefined): PPToken[] {
    const out: PPToken[] = [];
    const one = (t: PPToken, v: boolean): PPToken => (copyToken(t, { kind: 'number', text: v ? '1' : '0' }));
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind !== 'ident') {
        out.push(t);
        continue;
      }
      if (t.text === 'defined') {
        let j = i + 1;
        const paren = tokens[j]?.kind === 'punct' && tokens[j]!.text === '(';
        if (paren) j++;
        const id = tokens[j];
        if (!id || id.kind !== 'ident') throw new PPExprError(`operator "defined" requires an identifier`, id ?? t);
        if (paren) {
          const close = tokens[j + 1];
          if (!close || close.kind !== 'punct' || close.text !== ')') throw new PPExprError(`missing ')' after "defined"`, close ?? id);
          j++;
        }
        out.push(one(t, this.isDefined(id.text)));
        i = j;
        continue;
      }
      if (t.text === '__has_include' || t.text === '__has_include_next') {
        const open = tokens[i + 1];
        if (!open || open.text !== '(') throw new PPExprError(`missing '(' before "${t.text}" operand`, open ?? t);
        let j = i + 2;
        let header = '';
        let angled = false;
        const h = tokens[j];
        if (h && h.kind === 'string') {
          header = h.text.slice(1, -1);
          j++;
        } else if (h && h.text === '<') {
          const parts: PPToken[] = [];
          j++;
          while (j < tokens.length && tokens[j]!.text !== '>') parts.push(tokens[j++]!);
          header = spellTokens(parts.map((p, k) => (k === 0 ? copyToken(p, { space: false }) : p)));
          angled = true;
          j++;
        } else throw new PPExprError(`operator "${t.text}" requires a header-name`, h ?? t);
        const close = tokens[j];
        if (!close || close.text !== ')') throw new PPExprError(`missing ')' after "${t.text}" operand`, close ?? t);
        const found = file ? this.resolveInclude(file, header, angled, t.text === '__has_include_next') : undefined;
        out.push(one(t, !!found));
        i = j;
        continue;
      }
      if (['__has_attribute', '__has_builtin', '__has_feature', '__has_extension', '__has_c_attribute', '__has_cpp_attribute', '__has_warning'].includes(t.text) && tokens[i + 1]?.text === '(') {
        let j = i + 2;
        let depth = 1;
        const inner: PPToken[] = [];
        for (; j < tokens.length; j++) {
          if (tokens[j]!.text === '(') depth++;
          if (tokens[j]!.text === ')' && --depth === 0) break;
          inner.push(tokens[j]!);
        }
        if (j >= tokens.length) throw new PPExprError(`missing ')' after "${t.text}" operand`, t);
        const word = (inner.find((x) => x.kind === 'ident')?.text ?? '').replace(/^__(.*)__$/, '$1');
        let v = false;
        if (t.text === '__has_attribute' || t.text === '__has_c_attribute') v = KNOWN_ATTRIBUTES.has(word);
        else if (t.text === '__has_builtin') v = KNOWN_BUILTINS.has(inner[0]?.text ?? '');
        out.push(one(t, v));
        i = j;
        continue;
      }
      out.push(t);
    }
    return out;
  }

  /** Skips a group whose condition is false, up to the #elif/#else that is taken or #endif. */
  private skipGroup(f: FileSource): void {
    let depth = 0;
    const tokens = f.tokens;
    while (f.pos < tokens.length) {
      const t = tokens[f.pos++]!;
      if (!(t.bol && t.kind === 'punct' && t.text === '#')) continue;
      const nameTok = tokens[f.pos];
      if (!nameTok || nameTok.bol) continue;
      const name = nameTok.kind === 'ident' ? nameTok.text : '';
      if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
        depth++;
        this.restOfLine(f);
        continue;
      }
      if (name === 'endif') {
        if (depth === 0) {
          f.pos++;
          const rest = this.restOfLine(f);
          f.conditionals.pop();
          if (rest.length > 0) this.warning('extra tokens at end of #endif directive', rest[0]!);
          return;
        }
        depth--;
        this.restOfLine(f);
        continue;
      }
      if (depth === 0 && (name === 'else' || name === 'elif' || name === 'elifdef' || name === 'elifndef')) {
        f.pos++;
        const rest = this.restOfLine(f);
        const c = f.conditionals[f.conditionals.length - 1]!;
        const nt = this.presumed(f, nameTok);
        if (c.sawElse) {
          this.error(`#${name} after #else`, nt);
          this.report('note', 'the conditional began here', c.loc, 2);
        }
        c.directive = name;
        c.loc = locOf(nt);
        if (name === 'else') {
          c.sawElse = true;
          if (rest.length > 0) this.warning('extra tokens at end of #else directive', rest[0]!);
          if (!c.taken) {
            c.taken = true;
            return;
          }
          continue;
        }
        if (c.taken) continue;
        if (this.conditionValue(name, rest, nt)) {
          c.taken = true;
          return;
        }
        continue;
      }
      this.restOfLine(f);
    }
  }
}

function locOf(t: PPToken): Loc {
  return { file: t.file, line: t.line, col: t.col };
}

function union(a: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
  if (a?.has(name)) return a;
  const s = new Set(a);
  s.add(name);
  return s;
}

/** a ∪ b, reusing either set when it already contains the other. */
function unionSets(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (!a || a.size === 0 || a === b) return b;
  let aInB = true;
  for (const n of a) if (!b.has(n)) { aInB = false; break; }
  if (aInB) return b;
  let bInA = true;
  for (const n of b) if (!a.has(n)) { bInA = false; break; }
  if (bInA) return a;
  const s = new Set(a);
  for (const n of b) s.add(n);
  return s;
}

function intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  if (!a || !b) return undefined;
  const s = new Set<string>();
  for (const n of a) if (b.has(n)) s.add(n);
  return s.size ? s : undefined;
}

/** `#x`: the argument's spelling as a string literal (6.10.3.2). */
function stringify(arg: PPToken[]): string {
  let s = '';
  arg.forEach((t, k) => {
    if (t.placemarker) return;
    if (k > 0 && t.space) s += ' ';
    s += t.kind === 'string' || t.kind === 'char' ? t.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : t.text;
  });
  return `"${s}"`;
}

function matchingParen(body: PPToken[], open: number): number {
  const t = body[open];
  if (!t || t.text !== '(') return -1;
  let depth = 0;
  for (let i = open; i < body.length; i++) {
    if (body[i]!.text === '(') depth++;
    else if (body[i]!.text === ')' && --depth === 0) return i;
  }
  return -1;
}

function sameDefinition(a: Macro, b: Macro): boolean {
  if (a.builtin || b.builtin) return false;
  if (a.functionLike !== b.functionLike || a.variadic !== b.variadic || a.params.join(',') !== b.params.join(',')) return false;
  if (a.body.length !== b.body.length) return false;
  return a.body.every((t, i) => t.text === b.body[i]!.text && (i === 0 || t.space === b.body[i]!.space));
}
