// Decoding of C literals for the parser (and the preprocessor's #if): integer and floating
// constants with their suffixes, character constants, and string literals with escape
// processing into bytes (UTF-8 for non-ASCII source text and \u escapes; wide strings as
// little-endian 2- or 4-byte units).

/** A decoded unit of a literal body: a raw byte from \x or octal escapes, or a code point. */
export interface LiteralUnit {
  value: number;
  /** From a \x or octal escape: a byte/unit value, not a character to encode. */
  raw: boolean;
}

/** Decodes escape sequences. `problems` receives messages like "unknown escape sequence". */
export function decodeLiteralBody(body: string, problems?: string[]): LiteralUnit[] {
  const out: LiteralUnit[] = [];
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      out.push({ value: cp, raw: false });
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1] ?? '';
    i += 2;
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, E: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };
    if (simple[e] !== undefined) {
      out.push({ value: simple[e]!, raw: false });
      continue;
    }
    if (e === 'x') {
      let j = i;
      let v = 0;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j]!)) {
        v = (v * 16 + parseInt(body[j]!, 16)) >>> 0;
        j++;
      }
      if (j === i) problems?.push('\\x used with no following hex digits');
      out.push({ value: v, raw: true });
      i = j;
      continue;
    }
    if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) problems?.push(`incomplete universal character name \\${e}${hex}`);
      out.push({ value: /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : 0, raw: false });
      i += len;
      continue;
    }
    if (e >= '0' && e <= '7') {
      let v = parseInt(e, 8);
      let k = 0;
      while (k < 2 && i < body.length && body[i]! >= '0' && body[i]! <= '7') {
        v = v * 8 + parseInt(body[i]!, 8);
        i++;
        k++;
      }
      out.push({ value: v, raw: true });
      continue;
    }
    problems?.push(`unknown escape sequence: '\\${e}'`);
    out.push({ value: e.charCodeAt(0) || 0, raw: false });
  }
  return out;
}

function utf8(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/** Splits a literal token into its prefix ('', 'L', 'u', 'U', 'u8') and body between quotes. */
export function splitLiteral(image: string): { prefix: string; body: string } {
  const m = /^(u8|u|U|L)?(["'])/.exec(image)!;
  const prefix = m?.[1] ?? '';
  return { prefix, body: image.slice(prefix.length + 1, -1) };
}

/** Encodes the units of a string literal as bytes (without the terminating NUL). */
export function encodeStringUnits(units: LiteralUnit[], prefix: string): number[] {
  const out: number[] = [];
  if (prefix === '' || prefix === 'u8') {
    for (const u of units) {
      if (u.raw) out.push(u.value & 0xff);
      else utf8(u.value, out);
    }
    return out;
  }
  const width = prefix === 'u' ? 2 : 4;
  for (const u of units) {
    let vals = [u.value];
    if (width === 2 && !u.raw && u.value > 0xffff) {
      const v = u.value - 0x10000;
      vals = [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
    }
    for (const v of vals) for (let b = 0; b < width; b++) out.push((v >>> (8 * b)) & 0xff);
  }
  return out;
}

/** The int value of a character constant, as gcc computes it (plain char is signed). */
export function charLiteralValue(image: string, problems?: string[]): { value: number; prefix: string } {
  const { prefix, body } = splitLiteral(image);
  const units = decodeLiteralBody(body, problems);
  if (units.length === 0) {
    problems?.push('empty character constant');
    return { value: 0, prefix };
  }
  if (prefix === '' || prefix === 'u8') {
    const bytes = encodeStringUnits(units, '');
    if (bytes.length === 1) {
      const c = bytes[0]!;
      return { value: prefix === 'u8' ? c : c >= 0x80 ? c - 0x100 : c, prefix };
    }
    problems?.push('multi-character character constant');
    let v = 0;
    for (const b of bytes.slice(-4)) v = ((v << 8) | b) | 0;
    return { value: v, prefix };
  }
  const last = units[units.length - 1]!.value;
  if (units.length > 1) problems?.push('character constant too long for its type');
  if (prefix === 'u') return { value: last & 0xffff, prefix };
  if (prefix === 'U') return { value: last >>> 0, prefix };
  return { value: last | 0, prefix };
}

export type NumberLiteralValue =
  | { kind: 'int'; value: bigint; suffix: string; radix: number }
  | { kind: 'float'; value: number; suffix: string };

/**
 * Classifies and decodes a pp-number as a C constant. Returns an error message (gcc's wording)
 * when it is not a valid constant.
 */
export function parseNumberLiteral(text: string): NumberLiteralValue | { kind: 'error'; message: string } {
  const clean = text.replace(/(?<=[0-9a-fA-F])'(?=[0-9a-fA-F])/g, '');
  const isHex = /^0[xX]/.test(clean);
  const isFloat = isHex ? /[.pP]/.test(clean) : /[.eE]/.test(clean) && !/^0[bB]/.test(clean);
  if (isFloat) {
    let m: RegExpExecArray | null;
    let value: number;
    let suffix: string;
    if (isHex) {
      m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?([pP]([+-]?[0-9]*))?(.*)$/.exec(clean);
      if (!m || (m[1] === '' && (m[2] ?? '') === '')) return { kind: 'error', message: `invalid suffix "${clean.slice(2)}" on integer constant` };
      if (m[3] === undefined) return { kind: 'error', message: 'hexadecimal floating constants require an exponent' };
      if (m[4] === '' || m[4] === '+' || m[4] === '-') return { kind: 'error', message: 'exponent has no digits' };
      const mant = (m[1] ?? '') + (m[2] ?? '');
      value = Number(BigInt('0x' + (mant || '0'))) * Math.pow(2, parseInt(m[4]!, 10) - 4 * (m[2] ?? '').length);
      suffix = m[5]!;
    } else {
      m = /^([0-9]*(?:\.[0-9]*)?)([eE]([+-]?[0-9]*))?(.*)$/.exec(clean);
      if (!m || m[1] === '.' || m[1] === '') return { kind: 'error', message: `invalid suffix "${clean}" on floating constant` };
      if (m[2] !== undefined && (m[3] === '' || m[3] === '+' || m[3] === '-')) return { kind: 'error', message: 'exponent has no digits' };
      value = parseFloat(m[1]! + (m[2] ?? ''));
      suffix = m[4]!;
    }
    const lower = suffix.toLowerCase();
    if (lower !== '' && lower !== 'f' && lower !== 'l') return { kind: 'error', message: `invalid suffix "${suffix}" on floating constant` };
    if (lower === 'f') value = Math.fround(value);
    return { kind: 'float', value, suffix: lower };
  }
  const m = /^(0[xX][0-9a-fA-F]*|0[bB][01]*|[0-9]+)(.*)$/.exec(clean);
  if (!m) return { kind: 'error', message: `invalid suffix "${clean}" on integer constant` };
  const digits = m[1]!;
  const suffixText = m[2]!;
  const lower = suffixText.toLowerCase();
  const normalized = /^(u?)(l|ll)?$/.exec(lower) ?? /^(l|ll)(u)$/.exec(lower);
  if (!normalized || /lL|Ll/.test(suffixText)) {
    if (/^0[bB]/.test(digits) && /^[2-9]/.test(suffixText)) return { kind: 'error', message: `invalid digit "${suffixText[0]}" in binary constant` };
    return { kind: 'error', message: `invalid suffix "${suffixText}" on integer constant` };
  }
  const suffix = (lower.includes('u') ? 'u' : '') + lower.replace('u', '');
  let radix = 10;
  let value: bigint;
  if (/^0[xX]/.test(digits)) {
    if (digits.length === 2) return { kind: 'error', message: `invalid suffix "${digits[1]}${suffixText}" on integer constant` };
    radix = 16;
    value = BigInt(digits);
  } else if (/^0[bB]/.test(digits)) {
    if (digits.length === 2) return { kind: 'error', message: `invalid suffix "${digits[1]}${suffixText}" on integer constant` };
    radix = 2;
    value = BigInt(digits);
  } else if (digits.length > 1 && digits[0] === '0') {
    radix = 8;
    const bad = /[89]/.exec(digits);
    if (bad) return { kind: 'error', message: `invalid digit "${bad[0]}" in octal constant` };
    value = BigInt('0o' + digits.slice(1));
  } else value = BigInt(digits);
  if (value >= 1n << 64n) return { kind: 'error', message: 'integer constant is too large for its type' };
  return { kind: 'int', value, suffix, radix };
}
