// The C lexer: chevrotain token types for C11 and the GNU extensions kernel code uses (keywords
// with their __x__ spellings, __attribute__, asm, typeof, __builtin_va_*), literals and
// punctuators. It reads preprocessed text, follows its gcc-style line markers (`# 12 "file.c"`)
// and gives every token its original file, line and column (`CToken.loc`).
import { type IToken, Lexer, type TokenType, createToken } from 'chevrotain';
import type { Loc } from './ast.js';
import type { Diagnostic } from './diagnostics.js';

/** A token with its position in the original source (after line markers). */
export interface CToken extends IToken {
  loc: Loc;
}

// Token categories the parser consumes as groups.
/** Any identifier or keyword (attribute names may be keywords: `__attribute__((const))`). */
export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA, label: 'identifier' });
export const StorageClassKw = createToken({ name: 'StorageClassKw', pattern: Lexer.NA, label: 'storage class' });
export const BasicTypeKw = createToken({ name: 'BasicTypeKw', pattern: Lexer.NA, label: 'type name' });
export const QualifierKw = createToken({ name: 'QualifierKw', pattern: Lexer.NA, label: 'type qualifier' });
export const FunctionSpecKw = createToken({ name: 'FunctionSpecKw', pattern: Lexer.NA, label: 'function specifier' });
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA, label: 'binary operator' });
export const AssignOperator = createToken({ name: 'AssignOperator', pattern: Lexer.NA, label: 'assignment operator' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_$\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/, categories: [AnyWord], label: 'identifier' });

/** Every C keyword token, by its canonical spelling. */
export const keywords: Record<string, TokenType> = {};

const KEYWORD_CATEGORIES: Record<string, TokenType> = {
  typedef: StorageClassKw, extern: StorageClassKw, static: StorageClassKw, auto: StorageClassKw, register: StorageClassKw, _Thread_local: StorageClassKw,
  void: BasicTypeKw, char: BasicTypeKw, short: BasicTypeKw, int: BasicTypeKw, long: BasicTypeKw, float: BasicTypeKw, double: BasicTypeKw,
  signed: BasicTypeKw, unsigned: BasicTypeKw, _Bool: BasicTypeKw, _Complex: BasicTypeKw, __int128: BasicTypeKw,
  const: QualifierKw, volatile: QualifierKw, restrict: QualifierKw, _Atomic: QualifierKw,
  inline: FunctionSpecKw, _Noreturn: FunctionSpecKw,
};

function keyword(name: string, ...spellings: string[]): TokenType {
  const all = [name, ...spellings].sort((a, b) => b.length - a.length);
  const category = KEYWORD_CATEGORIES[name];
  const t = createToken({
    name: `kw_${name}`,
    pattern: new RegExp(all.map((s) => s.replace(/\$/g, '\\$')).join('|')),
    longer_alt: Identifier,
    label: `'${name}'`,
    categories: category ? [AnyWord, category] : [AnyWord],
  });
  keywords[name] = t;
  return t;
}

export const Auto = keyword('auto');
export const Break = keyword('break');
export const Case = keyword('case');
export const Char = keyword('char');
export const Const = keyword('const', '__const', '__const__');
export const Continue = keyword('continue');
export const Default = keyword('default');
export const Do = keyword('do');
export const Double = keyword('double');
export const Else = keyword('else');
export const Enum = keyword('enum');
export const Extern = keyword('extern');
export const Float = keyword('float');
export const For = keyword('for');
export const Goto = keyword('goto');
export const If = keyword('if');
export const Inline = keyword('inline', '__inline', '__inline__');
export const Int = keyword('int');
export const Long = keyword('long');
export const Register = keyword('register');
export const Restrict = keyword('restrict', '__restrict', '__restrict__');
export const Return = keyword('return');
export const Short = keyword('short');
export const Signed = keyword('signed', '__signed', '__signed__');
export const Sizeof = keyword('sizeof');
export const Static = keyword('static');
export const Struct = keyword('struct');
export const Switch = keyword('switch');
export const Typedef = keyword('typedef');
export const Union = keyword('union');
export const Unsigned = keyword('unsigned');
export const Void = keyword('void');
export const Volatile = keyword('volatile', '__volatile', '__volatile__');
export const While = keyword('while');
export const Alignas = keyword('_Alignas');
export const Alignof = keyword('_Alignof', '__alignof', '__alignof__');
export const Atomic = keyword('_Atomic');
export const Bool = keyword('_Bool');
export const Complex = keyword('_Complex', '__complex__');
export const Generic = keyword('_Generic');
export const Noreturn = keyword('_Noreturn');
export const StaticAssert = keyword('_Static_assert');
export const ThreadLocal = keyword('_Thread_local', '__thread');
export const Attribute = keyword('__attribute__', '__attribute');
export const Asm = keyword('asm', '__asm', '__asm__');
export const Typeof = keyword('typeof', '__typeof', '__typeof__');
export const Extension = keyword('__extension__');
export const Int128 = keyword('__int128');
export const BuiltinVaList = keyword('__builtin_va_list');
export const BuiltinVaArg = keyword('__builtin_va_arg');
export const BuiltinOffsetof = keyword('__builtin_offsetof');

export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /(?:u8|u|U|L)?"(?:[^"\\\n]|\\[^\n])*"/, label: 'string constant' });
export const CharLiteral = createToken({ name: 'CharLiteral', pattern: /(?:u8|u|U|L)?'(?:[^'\\\n]|\\[^\n])*'/, label: 'character constant' });
/** A lone quote: an unterminated literal (reported as gcc does). */
export const UnterminatedQuote = createToken({ name: 'UnterminatedQuote', pattern: /(?:u8|u|U|L)?["'][^\n]*/, label: 'unterminated literal' });
/** pp-number: classified as an integer or floating constant by the parser. */
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*/, label: 'numeric constant' });

const BINARY_OPERATORS = new Set(['*', '/', '%', '+', '-', '<<', '>>', '<', '>', '<=', '>=', '==', '!=', '&', '^', '|', '&&', '||']);
const ASSIGN_OPERATORS = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

function punct(name: string, text: string): TokenType {
  const categories = BINARY_OPERATORS.has(text) ? [BinaryOperator] : ASSIGN_OPERATORS.has(text) ? [AssignOperator] : [];
  return createToken({ name, pattern: text, label: `'${text}'`, categories });
}

export const Ellipsis = punct('Ellipsis', '...');
export const ShlAssign = punct('ShlAssign', '<<=');
export const ShrAssign = punct('ShrAssign', '>>=');
export const Arrow = punct('Arrow', '->');
export const PlusPlus = punct('PlusPlus', '++');
export const MinusMinus = punct('MinusMinus', '--');
export const Shl = punct('Shl', '<<');
export const Shr = punct('Shr', '>>');
export const LessEq = punct('LessEq', '<=');
export const GreaterEq = punct('GreaterEq', '>=');
export const EqEq = punct('EqEq', '==');
export const NotEq = punct('NotEq', '!=');
export const AndAnd = punct('AndAnd', '&&');
export const OrOr = punct('OrOr', '||');
export const StarAssign = punct('StarAssign', '*=');
export const SlashAssign = punct('SlashAssign', '/=');
export const PercentAssign = punct('PercentAssign', '%=');
export const PlusAssign = punct('PlusAssign', '+=');
export const MinusAssign = punct('MinusAssign', '-=');
export const AndAssign = punct('AndAssign', '&=');
export const XorAssign = punct('XorAssign', '^=');
export const OrAssign = punct('OrAssign', '|=');
export const HashHash = punct('HashHash', '##');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');
export const Dot = punct('Dot', '.');
export const Amp = punct('Amp', '&');
export const Star = punct('Star', '*');
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Tilde = punct('Tilde', '~');
export const Bang = punct('Bang', '!');
export const Slash = punct('Slash', '/');
export const Percent = punct('Percent', '%');
export const Less = punct('Less', '<');
export const Greater = punct('Greater', '>');
export const Caret = punct('Caret', '^');
export const Pipe = punct('Pipe', '|');
export const Question = punct('Question', '?');
export const Colon = punct('Colon', ':');
export const Semi = punct('Semi', ';');
export const Assign = punct('Assign', '=');
export const Comma = punct('Comma', ',');
export const Hash = punct('Hash', '#');

/** A line-marker or #pragma line of the preprocessed text: `# 12 "file.c" 2`. */
export const LineMarker = createToken({
  name: 'LineMarker',
  pattern: {
    exec: (text: string, offset: number): RegExpExecArray | null => {
      if (text[offset] !== '#') return null;
      for (let i = offset - 1; i >= 0 && text[i] !== '\n'; i--) if (text[i] !== ' ' && text[i] !== '\t') return null;
      let end = text.indexOf('\n', offset);
      if (end < 0) end = text.length;
      const m = [text.slice(offset, end)] as unknown as RegExpExecArray;
      m.index = offset;
      m.input = text;
      return m;
    },
  },
  line_breaks: false,
  group: 'markers',
  start_chars_hint: ['#'],
});

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\r]+/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true, group: Lexer.SKIPPED });

function longestSpelling(t: TokenType): number {
  const source = (t.PATTERN as RegExp).source;
  return Math.max(...source.split('|').map((x) => x.length));
}

export const allTokens: TokenType[] = [
  AnyWord, StorageClassKw, BasicTypeKw, QualifierKw, FunctionSpecKw, BinaryOperator, AssignOperator,
  WhiteSpace,
  Newline,
  LineMarker,
  StringLiteral,
  CharLiteral,
  UnterminatedQuote,
  // Longest first: `do` must not match the start of `double` (longer_alt only checks Identifier).
  ...Object.values(keywords).sort((a, b) => longestSpelling(b) - longestSpelling(a)),
  Identifier,
  NumberLiteral,
  Ellipsis, ShlAssign, ShrAssign, Arrow, PlusPlus, MinusMinus, Shl, Shr, LessEq, GreaterEq, EqEq,
  NotEq, AndAnd, OrOr, StarAssign, SlashAssign, PercentAssign, PlusAssign, MinusAssign, AndAssign,
  XorAssign, OrAssign, HashHash, LBracket, RBracket, LParen, RParen, LBrace, RBrace, Dot, Amp, Star,
  Plus, Minus, Tilde, Bang, Slash, Percent, Less, Greater, Caret, Pipe, Question, Colon, Semi,
  Assign, Comma, Hash,
];

let lexerInstance: Lexer | undefined;

function cLexer(): Lexer {
  lexerInstance ??= new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false, skipValidations: true });
  return lexerInstance;
}

/** Maps lines of preprocessed text to original files and lines via its line markers. */
export class LineMap {
  private readonly ppLines: number[] = [];
  private readonly files: string[] = [];
  private readonly lines: number[] = [];

  constructor(private readonly defaultFile: string) {}

  /** Records a marker `# line "file"` found on preprocessed line `ppLine`. */
  add(ppLine: number, text: string): void {
    const m = /^#\s*(?:line\s+)?(\d+)(?:\s+"((?:[^"\\]|\\.)*)")?/.exec(text);
    if (!m) return; // #pragma and friends do not move positions
    const file = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : this.files[this.files.length - 1] ?? this.defaultFile;
    this.ppLines.push(ppLine);
    this.files.push(file);
    this.lines.push(parseInt(m[1]!, 10));
  }

  map(ppLine: number, col: number): Loc {
    let lo = 0;
    let hi = this.ppLines.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ppLines[mid]! < ppLine) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return { file: this.defaultFile, line: ppLine, col };
    return { file: this.files[found]!, line: this.lines[found]! + (ppLine - this.ppLines[found]! - 1), col };
  }
}

export interface LexResult {
  tokens: CToken[];
  diagnostics: Diagnostic[];
}

/** Lexes preprocessed C text. Never throws; bad characters become diagnostics. */
export function lexC(text: string, fileName: string): LexResult {
  const diagnostics: Diagnostic[] = [];
  const result = cLexer().tokenize(text);
  const lineMap = new LineMap(fileName);
  const markers = (result.groups['markers'] ?? []) as IToken[];
  for (const m of markers) lineMap.add(m.startLine ?? 1, m.image);
  const tokens: CToken[] = [];
  for (const t of result.tokens) {
    const ct = t as CToken;
    ct.loc = lineMap.map(t.startLine ?? 1, t.startColumn ?? 1);
    if (t.tokenType === UnterminatedQuote) {
      const q = t.image.replace(/^(u8|u|U|L)/, '')[0];
      diagnostics.push({ severity: 'error', message: `missing terminating ${q} character`, loc: ct.loc, length: t.image.length });
      continue;
    }
    tokens.push(ct);
  }
  for (const e of result.errors) {
    const loc = lineMap.map(e.line ?? 1, e.column ?? 1);
    const ch = text.substr(e.offset, 1);
    const code = ch.charCodeAt(0);
    const shown = code < 32 || code === 127 ? `\\${code.toString(8).padStart(3, '0')}` : ch;
    diagnostics.push({ severity: 'error', message: `stray '${shown}' in program`, loc, length: 1 });
  }
  diagnostics.sort((a, b) => (a.loc && b.loc ? a.loc.line - b.loc.line || a.loc.col - b.loc.col : 0));
  return { tokens, diagnostics };
}

/** How gcc describes a token after "before": 'return', ')' token, numeric constant... */
export function describeToken(t: IToken | undefined): string {
  if (!t || t.tokenType === undefined || t.image === '' || t.tokenType.name === 'EOF') return 'end of input';
  const type = t.tokenType;
  if (type === UnterminatedQuote) return `'${t.image}'`;
  if (type === NumberLiteral) return 'numeric constant';
  if (type === StringLiteral) return 'string constant';
  if (type === CharLiteral) return 'character constant';
  if (type === Identifier || type.name.startsWith('kw_')) return `'${t.image}'`;
  return `'${t.image}' token`;
}
