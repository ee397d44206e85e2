// Preprocessing tokens for the C preprocessor (preprocess.ts): splits a source file into
// pp-tokens (C11 6.4), removing comments and backslash-newline splices while keeping every
// token's original line and column, whether it starts a line and whether whitespace precedes it.

export type PPTokenKind = 'ident' | 'number' | 'char' | 'string' | 'punct' | 'other' | 'eof';

export interface PPToken {
  kind: PPTokenKind;
  text: string;
  file: string;
  line: number;
  col: number;
  /** First token on its (logical) source line. */
  bol: boolean;
  /** Whitespace or a comment precedes it. */
  space: boolean;
  /** Macro names this token may no longer expand (Prosser's hide set: the "blue paint"). */
  hide?: ReadonlySet<string>;
  /** Produced by a macro expansion (its location is the invocation's). */
  expanded?: boolean;
  /** A lone quote starting an unterminated character or string literal. */
  unterminated?: '"' | "'";
  /** Placemarker for an empty macro argument next to `##`. */
  placemarker?: boolean;
  /** Came from a macro argument during substitution: a `##` here is not an operator. */
  fromArg?: boolean;
}

/**
 * Copies a token with some fields changed. Every token has the same fields in the same order
 * (one hidden class for the JS engine: spreads of differently shaped tokens were slow).
 */
export function copyToken(t: PPToken, patch: Partial<PPToken> = {}): PPToken {
  return {
    kind: 'kind' in patch ? patch.kind! : t.kind,
    text: 'text' in patch ? patch.text! : t.text,
    file: 'file' in patch ? patch.file! : t.file,
    line: 'line' in patch ? patch.line! : t.line,
    col: 'col' in patch ? patch.col! : t.col,
    bol: 'bol' in patch ? patch.bol! : t.bol,
    space: 'space' in patch ? patch.space! : t.space,
    hide: 'hide' in patch ? patch.hide : t.hide,
    expanded: 'expanded' in patch ? patch.expanded : t.expanded,
    unterminated: 'unterminated' in patch ? patch.unterminated : t.unterminated,
    placemarker: 'placemarker' in patch ? patch.placemarker : t.placemarker,
    fromArg: 'fromArg' in patch ? patch.fromArg : t.fromArg,
  };
}

/** Problems the tokenizer found (unterminated comment), as located messages. */
export interface PPTokenizeProblem {
  message: string;
  line: number;
  col: number;
}

const PUNCTUATORS = [
  '%:%:', '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=',
  '&=', '^=', '|=', '##', '<:', ':>', '<%', '%>', '%:',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|',
  '?', ':', ';', '=', ',', '#',
];

/** Punctuators by first character, longest first. */
const PUNCTUATORS_BY_CHAR = new Map<string, string[]>();
for (const p of PUNCTUATORS) {
  const list = PUNCTUATORS_BY_CHAR.get(p[0]!) ?? [];
  list.push(p);
  PUNCTUATORS_BY_CHAR.set(p[0]!, list);
}

const DIGRAPHS: Record<string, string> = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#', '%:%:': '##' };

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$' || c.charCodeAt(0) >= 0x80;
}

function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** The source with line splices removed, and a map back to original positions. */
interface SplicedSource {
  text: string;
  /** Sorted spliced-text offsets at which a `\\\n` was removed. */
  spliceAt: number[];
  lineStarts: number[];
}

function splice(src: string): SplicedSource {
  const spliceAt: number[] = [];
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') lineStarts.push(i + 1);
  let text = '';
  let last = 0;
  let removed = 0;
  for (let i = src.indexOf('\\\n'); i >= 0; i = src.indexOf('\\\n', i + 2)) {
    text += src.slice(last, i);
    last = i + 2;
    spliceAt.push(i - removed);
    removed += 2;
  }
  text += src.slice(last);
  return { text, spliceAt, lineStarts };
}

function originalPosition(s: SplicedSource, offset: number): { line: number; col: number } {
  // Count splices at or before offset: each added two characters in the original.
  let lo = 0;
  let hi = s.spliceAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.spliceAt[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  const orig = offset + lo * 2;
  let l = 0;
  let h = s.lineStarts.length - 1;
  while (l < h) {
    const mid = (l + h + 1) >> 1;
    if (s.lineStarts[mid]! <= orig) l = mid;
    else h = mid - 1;
  }
  return { line: l + 1, col: orig - s.lineStarts[l]! + 1 };
}

/** Splits C source into preprocessing tokens. Never throws; problems are returned. */
export function tokenizeSource(source: string, file: string): { tokens: PPToken[]; problems: PPTokenizeProblem[] } {
  const s = splice(source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const text = s.text;
  const tokens: PPToken[] = [];
  const problems: PPTokenizeProblem[] = [];
  let i = 0;
  let bol = true;
  let space = false;
  const push = (kind: PPTokenKind, start: number, end: number, extra?: Partial<PPToken>): void => {
    const pos = originalPosition(s, start);
    let t = text.slice(start, end);
    if (kind === 'punct' && DIGRAPHS[t]) t = DIGRAPHS[t]!;
    const base: PPToken = { kind, text: t, file, line: pos.line, col: pos.col, bol, space, hide: undefined, expanded: undefined, unterminated: undefined, placemarker: undefined, fromArg: undefined };
    tokens.push(extra ? copyToken(base, extra) : base);
    bol = false;
    space = false;
  };
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      bol = true;
      space = false;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r') {
      space = true;
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      space = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) {
        const pos = originalPosition(s, i);
        problems.push({ message: 'unterminated comment', line: pos.line, col: pos.col });
        i = n;
      } else i = end + 2;
      space = true;
      continue;
    }
    // Character and string literals, with an optional encoding prefix.
    let prefixLen = 0;
    if (c === 'L' || c === 'U') prefixLen = 1;
    else if (c === 'u') prefixLen = text[i + 1] === '8' ? 2 : 1;
    const q = prefixLen > 0 ? text[i + prefixLen] : c;
    if (q === '"' || q === "'") {
      let j = i + prefixLen + 1;
      let closed = false;
      while (j < n && text[j] !== '\n') {
        if (text[j] === '\\' && j + 1 < n && text[j + 1] !== '\n') j += 2;
        else if (text[j] === q) {
          closed = true;
          j++;
          break;
        } else j++;
      }
      if (closed) {
        push(q === '"' ? 'string' : 'char', i, j);
        i = j;
      } else {
        // Like cpp: the lone quote and the rest of the line become one "other" token.
        push('other', i, j, { unterminated: q as '"' | "'" });
        i = j;
      }
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text[j]!)) j++;
      push('ident', i, j);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n) {
        const d = text[j]!;
        if ((d === '+' || d === '-') && 'eEpP'.includes(text[j - 1]!)) j++;
        else if (isIdentChar(d) || d === '.') j++;
        else if (d === "'" && isIdentChar(text[j + 1] ?? '') && isIdentChar(text[j - 1] ?? '')) j++; // C23 digit separators
        else break;
      }
      push('number', i, j);
      i = j;
      continue;
    }
    let matched = '';
    for (const p of PUNCTUATORS_BY_CHAR.get(c) ?? []) {
      if (text.startsWith(p, i)) {
        matched = p;
        break;
      }
    }
    if (matched) {
      push('punct', i, i + matched.length);
      i += matched.length;
      continue;
    }
    push('other', i, i + 1);
    i++;
  }
  return { tokens, problems };
}

/** Re-lexes `text` (the result of `##`); returns the token if it is exactly one pp-token. */
export function lexSingleToken(text: string): PPToken | undefined {
  if (text === '') return undefined;
  const { tokens, problems } = tokenizeSource(text, '');
  if (problems.length > 0 || tokens.length !== 1) return undefined;
  const t = tokens[0]!;
  if (t.unterminated || t.text.length !== text.length) return undefined;
  return t;
}

/** Spells tokens back as source text, one space where whitespace was. */
export function spellTokens(tokens: readonly PPToken[]): string {
  let out = '';
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.placemarker) continue;
    if (k > 0 && t.space && out !== '') out += ' ';
    out += t.text;
  }
  return out;
}
