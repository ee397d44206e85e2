// Evaluates the integer constant expression of `#if`/`#elif` (C11 6.10.1) after macro expansion
// and `defined` replacement: every C operator including `?:` and `,`, intmax_t/uintmax_t
// arithmetic in 64 bits (BigInt), the usual arithmetic conversions, character constants, and
// cpp's error messages ("missing binary operator before token", "division by zero in #if").
import type { PPToken } from './pp-tokens.js';

export interface PPValue {
  value: bigint; // wrapped to 64 bits, signed view when !unsigned
  unsigned: boolean;
}

export class PPExprError extends Error {
  constructor(
    message: string,
    readonly token: PPToken | undefined,
  ) {
    super(message);
  }
}

const MASK64 = (1n << 64n) - 1n;

function wrap(v: bigint, unsigned: boolean): bigint {
  return unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v);
}

function val(value: bigint, unsigned: boolean): PPValue {
  return { value: wrap(value, unsigned), unsigned };
}

/** Parses a pp-number as an integer constant of #if; throws PPExprError when it is not one. */
export function parsePPInteger(tok: PPToken): PPValue {
  const m = /^(0[xX][0-9a-fA-F']+|0[bB][01']+|[0-9][0-9']*)([uUlL]*)$/.exec(tok.text);
  if (!m) {
    if (/^[0-9.]/.test(tok.text) && /[.eEpP]/.test(tok.text) && !/^0[xX][0-9a-fA-F]*$/.test(tok.text))
      throw new PPExprError('floating constant in preprocessor expression', tok);
    throw new PPExprError(`invalid integer constant "${tok.text}" in #if`, tok);
  }
  const digits = m[1]!.replace(/'/g, '');
  const suffix = m[2]!.toLowerCase();
  if (!/^(u?(l|ll)?|(l|ll)u)$/.test(suffix)) throw new PPExprError(`invalid suffix "${m[2]}" on integer constant`, tok);
  let v: bigint;
  if (/^0[bB]/.test(digits)) v = BigInt('0b' + digits.slice(2));
  else if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') {
    if (/[89]/.test(digits)) throw new PPExprError(`invalid digit "${/[89]/.exec(digits)![0]}" in octal constant`, tok);
    v = BigInt('0o' + digits.slice(1));
  } else v = BigInt(digits);
  let unsigned = suffix.includes('u');
  if (v > MASK64) throw new PPExprError('integer constant is too large for its type', tok);
  if (v > (1n << 63n) - 1n) unsigned = true;
  return val(v, unsigned);
}

/** Decodes the value of a character constant as cpp does (plain char is signed). */
export function charConstantValue(text: string): number {
  let prefix = '';
  const m = /^(u8|u|U|L)?'/.exec(text);
  if (m && m[1]) prefix = m[1];
  const body = text.slice(prefix.length + 1, -1);
  const codes = decodeEscapes(body);
  if (codes.length === 0) return 0;
  if (prefix === '' || prefix === 'u8') {
    if (codes.length === 1) {
      const c = codes[0]! & 0xff;
      return c >= 0x80 ? c - 0x100 : c;
    }
    // Multi-character constant: gcc packs the bytes into an int.
    let v = 0;
    for (const c of codes) v = ((v << 8) | (c & 0xff)) | 0;
    return v;
  }
  const last = codes[codes.length - 1]!;
  if (prefix === 'u') return last & 0xffff;
  return last | 0;
}

/**
 * Decodes C escape sequences in the body of a character or string literal. Returns code units:
 * bytes (< 256) for escapes like \xff and \377, and code points for source characters and \u.
 * Non-ASCII source characters become code points; the caller encodes them.
 */
export function decodeEscapes(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      out.push(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1] ?? '';
    i += 2;
    switch (e) {
      case 'n': out.push(10); break;
      case 't': out.push(9); break;
      case 'r': out.push(13); break;
      case 'a': out.push(7); break;
      case 'b': out.push(8); break;
      case 'f': out.push(12); break;
      case 'v': out.push(11); break;
      case 'e': case 'E': out.push(27); break;
      case '\\': case "'": case '"': case '?': out.push(e.charCodeAt(0)); break;
      case 'x': {
        let j = i;
        let v = 0;
        while (j < body.length && /[0-9a-fA-F]/.test(body[j]!)) {
          v = (v * 16 + parseInt(body[j]!, 16)) >>> 0;
          j++;
        }
        out.push(v);
        i = j;
        break;
      }
      case 'u': case 'U': {
        const len = e === 'u' ? 4 : 8;
        const hex = body.slice(i, i + len);
        out.push(/^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : 0);
        i += len;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          let v = parseInt(e, 8);
          let k = 0;
          while (k < 2 && i < body.length && body[i]! >= '0' && body[i]! <= '7') {
            v = v * 8 + parseInt(body[i]!, 8);
            i++;
            k++;
          }
          out.push(v);
        } else out.push(e.charCodeAt(0) || 0);
    }
  }
  return out;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

/**
 * Evaluates fully expanded #if tokens (identifiers already replaced). `directive` names the
 * directive for messages ("#if" or "#elif").
 */
export function evaluatePPExpression(tokens: PPToken[], directive: string, endToken: PPToken | undefined): PPValue {
  let pos = 0;
  const peek = (): PPToken | undefined => tokens[pos];
  const describe = (t: PPToken | undefined): string => (t ? `"${t.text}"` : 'end of line');
  const isOp = (t: PPToken | undefined, op: string): boolean => !!t && t.kind === 'punct' && t.text === op;

  const primary = (evaluated: boolean): PPValue => {
    const t = peek();
    if (!t) {
      if (pos === 0) throw new PPExprError(`${directive} with no expression`, endToken);
      const prev = tokens[pos - 1]!;
      throw new PPExprError(`operator '${prev.text}' has no right operand`, prev);
    }
    if (t.kind === 'punct') {
      switch (t.text) {
        case '(': {
          pos++;
          if (isOp(peek(), ')')) throw new PPExprError(`missing expression between '(' and ')'`, peek());
          const v = comma(evaluated);
          if (!isOp(peek(), ')')) throw new PPExprError(`missing ')' in expression`, peek() ?? t);
          pos++;
          return v;
        }
        case '+': pos++; return primary(evaluated);
        case '-': { pos++; const v = primary(evaluated); return val(-v.value, v.unsigned); }
        case '~': { pos++; const v = primary(evaluated); return val(~v.value, v.unsigned); }
        case '!': { pos++; const v = primary(evaluated); return val(v.value === 0n ? 1n : 0n, false); }
        case ')':
          throw new PPExprError(`missing expression between '(' and ')'`, t);
      }
      if (BINARY_PRECEDENCE[t.text] !== undefined || t.text === '?' || t.text === ':' || t.text === ',') {
        if (pos === 0) throw new PPExprError(`operator '${t.text}' has no left operand`, t);
        throw new PPExprError(`operator '${tokens[pos - 1]!.text}' has no right operand`, tokens[pos - 1]);
      }
      throw new PPExprError(`token "${t.text}" is not valid in preprocessor expressions`, t);
    }
    if (t.kind === 'number') {
      pos++;
      return parsePPInteger(t);
    }
    if (t.kind === 'char') {
      pos++;
      const v = charConstantValue(t.text);
      return val(BigInt(v), false);
    }
    if (t.kind === 'string') throw new PPExprError(`token "${t.text}" is not valid in preprocessor expressions`, t);
    throw new PPExprError(`token "${t.text}" is not valid in preprocessor expressions`, t);
  };

  const binary = (minPrec: number, evaluated: boolean): PPValue => {
    let left = primary(evaluated);
    for (;;) {
      const t = peek();
      if (!t) return left;
      if (t.kind !== 'punct') throw new PPExprError(`missing binary operator before token "${t.text}"`, t);
      const prec = BINARY_PRECEDENCE[t.text];
      if (prec === undefined) {
        if (t.text === '?' || t.text === ':' || t.text === ',' || t.text === ')') return left;
        if (t.text === '(') throw new PPExprError(`missing binary operator before token "("`, t);
        throw new PPExprError(`token "${t.text}" is not valid in preprocessor expressions`, t);
      }
      if (prec < minPrec) return left;
      pos++;
      if (t.text === '&&') {
        const right = binary(prec + 1, evaluated && left.value !== 0n);
        left = val(left.value !== 0n && right.value !== 0n ? 1n : 0n, false);
        continue;
      }
      if (t.text === '||') {
        const right = binary(prec + 1, evaluated && left.value === 0n);
        left = val(left.value !== 0n || right.value !== 0n ? 1n : 0n, false);
        continue;
      }
      const right = binary(prec + 1, evaluated);
      left = apply(t, left, right, evaluated);
    }
  };

  const apply = (op: PPToken, a: PPValue, b: PPValue, evaluated: boolean): PPValue => {
    const shift = op.text === '<<' || op.text === '>>';
    const unsigned = shift ? a.unsigned : a.unsigned || b.unsigned;
    const x = wrap(a.value, unsigned);
    const y = shift ? b.value : wrap(b.value, unsigned);
    switch (op.text) {
      case '*': return val(x * y, unsigned);
      case '/':
      case '%':
        if (y === 0n) {
          if (evaluated) throw new PPExprError('division by zero in #if', op);
          return val(0n, unsigned);
        }
        return val(op.text === '/' ? x / y : x % y, unsigned);
      case '+': return val(x + y, unsigned);
      case '-': return val(x - y, unsigned);
      case '<<':
      case '>>': {
        const left = op.text === '<<' ? y >= 0n : y < 0n;
        const n = y < 0n ? -y : y;
        if (left) return val(n >= 64n ? 0n : x << n, unsigned);
        if (n >= 64n) return val(unsigned || x >= 0n ? 0n : -1n, unsigned);
        return val(x >> n, unsigned);
      }
      case '<': return val(x < y ? 1n : 0n, false);
      case '>': return val(x > y ? 1n : 0n, false);
      case '<=': return val(x <= y ? 1n : 0n, false);
      case '>=': return val(x >= y ? 1n : 0n, false);
      case '==': return val(x === y ? 1n : 0n, false);
      case '!=': return val(x !== y ? 1n : 0n, false);
      case '&': return val(x & y, unsigned);
      case '^': return val(x ^ y, unsigned);
      case '|': return val(x | y, unsigned);
    }
    throw new PPExprError(`token "${op.text}" is not valid in preprocessor expressions`, op);
  };

  const conditional = (evaluated: boolean): PPValue => {
    const c = binary(1, evaluated);
    if (!isOp(peek(), '?')) return c;
    const q = peek()!;
    pos++;
    const a = comma(evaluated && c.value !== 0n);
    if (!isOp(peek(), ':')) throw new PPExprError(`'?' without following ':'`, peek() ?? q);
    pos++;
    const b = conditional(evaluated && c.value === 0n);
    const unsigned = a.unsigned || b.unsigned;
    return val(c.value !== 0n ? a.value : b.value, unsigned);
  };

  const comma = (evaluated: boolean): PPValue => {
    let v = conditional(evaluated);
    while (isOp(peek(), ',')) {
      pos++;
      v = conditional(evaluated);
    }
    return v;
  };

  if (tokens.length === 0) throw new PPExprError(`${directive} with no expression`, endToken);
  const result = comma(true);
  const rest = peek();
  if (rest) {
    if (isOp(rest, ')')) throw new PPExprError(`missing '(' in expression`, rest);
    if (isOp(rest, ':')) throw new PPExprError(`':' without preceding '?'`, rest);
    throw new PPExprError(`missing binary operator before token ${describe(rest)}`, rest);
  }
  return result;
}
