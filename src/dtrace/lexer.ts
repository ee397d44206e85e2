// The D lexer (chevrotain). D needs lexer states, as dt_lex.l has them:
//   top   — between clauses: probe descriptions (`syscall::open*:entry`, globs and `$1` included) are
//           one PSPEC token; a declaration keyword (int, inline, typedef, self, struct...) switches to
//   decl  — a declaration up to its `;` (identifiers, `[string]`, inline initialisers);
//   pred  — a predicate after `/`: an expression whose closing `/` is told from division by looking
//           ahead (dt_lex.l: EOF, `;`, `{` or `/` after it close the predicate);
//   body  — a clause body `{ ... }`, nested braces included.
// Control lines (`#pragma D option quiet`, cpp's `# 1 "file"`) are single tokens in every state.
import { createToken, Lexer, type TokenType, type IToken, type CustomPatternMatcherFunc } from 'chevrotain';

const tokens: Record<string, TokenType> = {};
function tok(name: string, pattern: RegExp | string | CustomPatternMatcherFunc, extra: Record<string, unknown> = {}): TokenType {
  const t = createToken({ name, pattern: pattern as RegExp, ...extra });
  tokens[name] = t;
  return t;
}

export const WhiteSpace = tok('WhiteSpace', /[ \t\r\n\f\v]+/, { group: Lexer.SKIPPED, line_breaks: true });
export const BlockComment = tok('BlockComment', /\/\*[\s\S]*?\*\//, { group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = tok('LineComment', /\/\/[^\n]*/, { group: Lexer.SKIPPED });

/** A control line: `#` first on its line (after blanks) up to the end of the line. */
const matchControl: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 35 /* # */) return null;
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i >= 0 && text[i] !== '\n') return null;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
};
export const ControlLine = tok('ControlLine', matchControl, { start_chars_hint: ['#'], line_breaks: false, group: 'control' });

// ---- keywords ---------------------------------------------------------------------------------
export const Identifier = tok('Identifier', /[a-zA-Z_][a-zA-Z_0-9]*/);

const keywordNames = [
  'auto', 'break', 'case', 'char', 'const', 'continue', 'counter', 'default', 'do', 'double', 'else', 'enum',
  'extern', 'float', 'for', 'goto', 'if', 'import', 'inline', 'int', 'long', 'offsetof', 'probe', 'provider',
  'register', 'restrict', 'return', 'self', 'short', 'signed', 'sizeof', 'static', 'string', 'stringof',
  'struct', 'switch', 'this', 'translator', 'typedef', 'union', 'unsigned', 'userland', 'void', 'volatile',
  'while', 'xlate',
] as const;
export type KeywordName = (typeof keywordNames)[number];

export const Keyword = tok('Keyword', Lexer.NA);
export const kw: Record<KeywordName, TokenType> = {} as Record<KeywordName, TokenType>;
for (const name of [...keywordNames].sort((a, b) => b.length - a.length)) {
  kw[name] = tok('KW_' + name, new RegExp(name), { longer_alt: Identifier, categories: [Keyword] });
}

/** Keywords that start a declaration at the top level switch the lexer into the decl state. */
const declStarters: KeywordName[] = [
  'char', 'const', 'double', 'enum', 'extern', 'float', 'inline', 'int', 'long', 'register', 'self', 'short',
  'signed', 'static', 'string', 'struct', 'this', 'translator', 'typedef', 'union', 'unsigned', 'void',
  'volatile', 'provider', 'userland',
];

// ---- literals --------------------------------------------------------------------------------
export const FloatLiteral = tok('FloatLiteral', /(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFlL]?|[0-9]+[eE][+-]?[0-9]+[fFlL]?/);
export const IntLiteral = tok('IntLiteral', /(?:0[xX][0-9a-fA-F]+|[0-9]+)(?:[uU](?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU]?)?/, { longer_alt: FloatLiteral });
export const StringLiteral = tok('StringLiteral', /"(?:[^"\\\n]|\\[\s\S])*"/);
export const UnterminatedString = tok('UnterminatedString', /"(?:[^"\\\n]|\\[\s\S])*/);
export const CharLiteral = tok('CharLiteral', /'(?:[^'\\\n]|\\[\s\S])+'/);
export const MacroStrArg = tok('MacroStrArg', /\$\$[0-9]+/);
export const MacroArg = tok('MacroArg', /\$[0-9]+/);
export const MacroVar = tok('MacroVar', /\$[a-zA-Z_][a-zA-Z_0-9]*/);
export const AggName = tok('AggName', /@[a-zA-Z_0-9]*/);

// ---- operators (longest first) ----------------------------------------------------------------
export const Arrow = tok('Arrow', '->');
export const Inc = tok('Inc', '++');
export const Dec = tok('Dec', '--');
export const ShlAssign = tok('ShlAssign', '<<=');
export const ShrAssign = tok('ShrAssign', '>>=');
export const AddAssign = tok('AddAssign', '+=');
export const SubAssign = tok('SubAssign', '-=');
export const MulAssign = tok('MulAssign', '*=');
export const DivAssign = tok('DivAssign', '/=');
export const ModAssign = tok('ModAssign', '%=');
export const AndAssign = tok('AndAssign', '&=');
export const OrAssign = tok('OrAssign', '|=');
export const XorAssign = tok('XorAssign', '^=');
export const Shl = tok('Shl', '<<');
export const Shr = tok('Shr', '>>');
export const Le = tok('Le', '<=');
export const Ge = tok('Ge', '>=');
export const EqEq = tok('EqEq', '==');
export const Ne = tok('Ne', '!=');
export const AndAnd = tok('AndAnd', '&&');
export const OrOr = tok('OrOr', '||');
export const XorXor = tok('XorXor', '^^');
export const Assign = tok('Assign', '=');
export const Lt = tok('Lt', '<');
export const Gt = tok('Gt', '>');
export const Plus = tok('Plus', '+');
export const Minus = tok('Minus', '-');
export const Star = tok('Star', '*');
export const Div = tok('Div', '/');
export const Mod = tok('Mod', '%');
export const Amp = tok('Amp', '&');
export const Pipe = tok('Pipe', '|');
export const Caret = tok('Caret', '^');
export const Bang = tok('Bang', '!');
export const Tilde = tok('Tilde', '~');
export const Question = tok('Question', '?');
export const Colon = tok('Colon', ':');
export const Comma = tok('Comma', ',');
export const Semi = tok('Semi', ';');
export const LParen = tok('LParen', '(');
export const RParen = tok('RParen', ')');
export const LBracket = tok('LBracket', '[');
export const RBracket = tok('RBracket', ']');
export const Dot = tok('Dot', '.');
export const Backquote = tok('Backquote', '`');
export const LBrace = tok('LBrace', '{', { push_mode: 'body' });
export const RBrace = tok('RBrace', '}', { pop_mode: true });

// ---- state switches ----------------------------------------------------------------------------
/** `}` at the top level: an error the parser reports (no state to pop). */
export const RBraceTop = tok('RBraceTop', '}', { categories: [RBrace] });
/** `/` at the top level opens a predicate. */
export const PredOpen = tok('PredOpen', '/', { push_mode: 'pred' });
/** `/` inside a predicate closes it when EOF, `;`, `{` or `/` follows (dt_lex.l's lookahead). */
const matchPredClose: CustomPatternMatcherFunc = (text, offset) => {
  if (text[offset] !== '/' || text[offset + 1] === '*' || text[offset + 1] === '/' && text[offset + 2] === '*') return null;
  let i = offset + 1;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0) { i = text.length; break; }
      i = e + 2;
      continue;
    }
    break;
  }
  if (i >= text.length || text[i] === ';' || text[i] === '{' || text[i] === '/') return ['/'] as unknown as RegExpExecArray;
  return null;
};
export const PredClose = tok('PredClose', matchPredClose, { pop_mode: true, start_chars_hint: ['/'] });
/** `;` ending a top-level declaration. */
export const DeclSemi = tok('DeclSemi', ';', { pop_mode: true, categories: [Semi] });

/** A probe description token at the top level (dt_lex.l's RGX_PSPEC). */
export const PSpec = tok('PSpec', /[-$:a-zA-Z_.?*\\[\]!][-$:0-9a-zA-Z_.`?*\\[\]!]*/);
/** The same text as an integer: a probe ID (`dtrace -i 5` compiles to it). */
export const PSpecInt = tok('PSpecInt', /[0-9]+/, { longer_alt: PSpec, categories: [PSpec] });

const topKeywords: TokenType[] = [];
for (const name of [...keywordNames].sort((a, b) => b.length - a.length)) {
  const starts = declStarters.includes(name);
  topKeywords.push(
    tok('TOPKW_' + name, new RegExp(name + '(?![-$:0-9a-zA-Z_.`?*\\\\[\\]!])'), {
      categories: [kw[name], Keyword],
      ...(starts ? { push_mode: 'decl' } : {}),
    }),
  );
}

const skipped = [WhiteSpace, BlockComment, LineComment, ControlLine];
const operators = [
  Arrow, Inc, Dec, ShlAssign, ShrAssign, AddAssign, SubAssign, MulAssign, DivAssign, ModAssign, AndAssign,
  OrAssign, XorAssign, Shl, Shr, Le, Ge, EqEq, Ne, AndAnd, OrOr, XorXor, Assign, Lt, Gt, Plus, Minus, Star,
];
const afterDiv = [Mod, Amp, Pipe, Caret, Bang, Tilde, Question, Colon, Comma];
const brackets = [LParen, RParen, LBracket, RBracket, Dot, Backquote];
const literals = [FloatLiteral, IntLiteral, StringLiteral, UnterminatedString, CharLiteral, MacroStrArg, MacroArg, MacroVar, AggName];
const keywordTokens = [...keywordNames].sort((a, b) => b.length - a.length).map((n) => kw[n]);

function exprMode(semi: TokenType, close: TokenType[], extra: TokenType[] = []): TokenType[] {
  return [...skipped, ...extra, ...literals, ...keywordTokens, Identifier, ...operators, Div, ...afterDiv, semi, ...brackets, LBrace, ...close];
}

export const lexerDefinition = {
  modes: {
    top: [...skipped, ...topKeywords, PSpecInt, PSpec, Comma, Semi, LBrace, RBraceTop, PredOpen],
    decl: exprMode(DeclSemi, []),
    body: exprMode(Semi, [RBrace]),
    pred: [...skipped, PredClose, ...exprMode(Semi, [RBrace]).filter((t) => !skipped.includes(t))],
  },
  defaultMode: 'top',
};

export const allTokens = Object.values(tokens);

export const dLexer = new Lexer(lexerDefinition, { positionTracking: 'full', ensureOptimizations: false, recoveryEnabled: false, skipValidations: true });

export interface LexResult {
  tokens: IToken[];
  /** Control lines (`#pragma ...`) in source order. */
  controls: IToken[];
  /** The first lexing error, as a D message. */
  error?: { line: number; message: string; tag: string };
}

/** Lexes a D program; the first error stops the program as dtrace's lexer does. */
export function lexD(text: string): LexResult {
  const r = dLexer.tokenize(text);
  const controls = (r.groups['control'] ?? []) as IToken[];
  for (const t of r.tokens) {
    if (t.tokenType === UnterminatedString) {
      return { tokens: r.tokens, controls, error: { line: t.startLine ?? 1, message: 'newline encountered in string literal', tag: 'D_STR_NL' } };
    }
  }
  if (r.errors.length > 0) {
    const e = r.errors[0]!;
    const ch = text.slice(e.offset, e.offset + 1);
    if (ch === '}' || e.message.includes('pop')) {
      return { tokens: r.tokens, controls, error: { line: e.line ?? 1, message: `syntax error near "}"`, tag: 'D_SYNTAX' } };
    }
    return {
      tokens: r.tokens,
      controls,
      error: { line: e.line ?? 1, message: `syntax error near "${ch}"`, tag: 'D_SYNTAX' },
    };
  }
  return { tokens: r.tokens, controls };
}
