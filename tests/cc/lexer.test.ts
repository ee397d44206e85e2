// Tests for the C lexer: keyword spellings (GNU __x__ forms map to one token type), literals with
// prefixes and suffixes, punctuators (longest match), line markers mapped back to original
// files and lines, and lexical errors.
import { describe, expect, it } from 'vitest';
import { type CToken, LineMap, describeToken, lexC } from '../../src/cc/lexer.js';

function kinds(src: string): string[] {
  const r = lexC(src, 't.c');
  expect(r.diagnostics).toEqual([]);
  return r.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe('tokens', () => {
  it('keywords, with their GNU spellings, and identifiers that only start like keywords', () => {
    expect(kinds('int integer double do __inline__ inline __inline __const__ __volatile__ asm __asm__ typeof __typeof__ __attribute__ __restrict _Bool __builtin_va_list doubles')).toEqual([
      'kw_int:int', 'Identifier:integer', 'kw_double:double', 'kw_do:do', 'kw_inline:__inline__', 'kw_inline:inline', 'kw_inline:__inline',
      'kw_const:__const__', 'kw_volatile:__volatile__', 'kw_asm:asm', 'kw_asm:__asm__', 'kw_typeof:typeof', 'kw_typeof:__typeof__',
      'kw___attribute__:__attribute__', 'kw_restrict:__restrict', 'kw__Bool:_Bool', 'kw___builtin_va_list:__builtin_va_list', 'Identifier:doubles',
    ]);
  });

  it('literals with prefixes and suffixes', () => {
    expect(kinds(`42 0x1fUL 017 1.5e-3f .5 0x1p-2 'a' L'b' '\\'' "s\\"t" u8"x" L"w" U"u"`)).toEqual([
      'NumberLiteral:42', 'NumberLiteral:0x1fUL', 'NumberLiteral:017', 'NumberLiteral:1.5e-3f', 'NumberLiteral:.5', 'NumberLiteral:0x1p-2',
      "CharLiteral:'a'", "CharLiteral:L'b'", "CharLiteral:'\\''", 'StringLiteral:"s\\"t"', 'StringLiteral:u8"x"', 'StringLiteral:L"w"', 'StringLiteral:U"u"',
    ]);
  });

  it('punctuators, longest match first', () => {
    expect(kinds('a->b ... <<= >>= ++ -- && || == != <= >= += -= *= /= %= &= ^= |= ? : ; , # ##').map((k) => k.slice(k.indexOf(':') + 1))).toEqual([
      'a', '->', 'b', '...', '<<=', '>>=', '++', '--', '&&', '||', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '?', ':', ';', ',', '#', '##',
    ]);
    expect(kinds('x+++y').map((k) => k.slice(k.indexOf(':') + 1))).toEqual(['x', '++', '+', 'y']);
  });

  it('describes tokens the way gcc does in messages', () => {
    const t = lexC('return foo 12 "s" \'c\' ) ;', 't.c').tokens;
    expect(t.map(describeToken)).toEqual(["'return'", "'foo'", 'numeric constant', 'string constant', 'character constant', "')' token", "';' token"]);
    expect(describeToken(undefined)).toBe('end of input');
  });
});

describe('positions', () => {
  it('columns and lines without markers', () => {
    const t = lexC('int\n  x;', 'a.c').tokens;
    expect(t.map((x) => x.loc)).toEqual([
      { file: 'a.c', line: 1, col: 1 },
      { file: 'a.c', line: 2, col: 3 },
      { file: 'a.c', line: 2, col: 4 },
    ]);
  });

  it('follows line markers and skips #pragma lines', () => {
    const text = ['# 1 "main.c"', 'a', '# 1 "/usr/include/x.h" 1 3', 'b', '#pragma pack(1)', 'c', '# 40 "main.c" 2', '   d', '#line 7 "other.c"', 'e'].join('\n');
    const r = lexC(text, 'main.c');
    expect(r.diagnostics).toEqual([]);
    expect(r.tokens.map((t: CToken) => [t.image, t.loc.file, t.loc.line, t.loc.col])).toEqual([
      ['a', 'main.c', 1, 1],
      ['b', '/usr/include/x.h', 1, 1],
      ['c', '/usr/include/x.h', 3, 1],
      ['d', 'main.c', 40, 4],
      ['e', 'other.c', 7, 1],
    ]);
  });

  it('LineMap maps a marker without a file name to the current file', () => {
    const m = new LineMap('d.c');
    m.add(1, '# 10 "x.c"');
    m.add(5, '# 100');
    expect([m.map(2, 3), m.map(4, 1), m.map(6, 2), m.map(9, 1)]).toEqual([
      { file: 'x.c', line: 10, col: 3 },
      { file: 'x.c', line: 12, col: 1 },
      { file: 'x.c', line: 100, col: 2 },
      { file: 'x.c', line: 103, col: 1 },
    ]);
  });
});

describe('lexical errors', () => {
  it('stray characters and unterminated literals are diagnostics, not exceptions', () => {
    const r = lexC('int a = 1 @ 2;\nchar *s = "open;\nint `b;', 't.c');
    expect(r.diagnostics).toEqual([
      { severity: 'error', message: "stray '@' in program", loc: { file: 't.c', line: 1, col: 11 }, length: 1 },
      { severity: 'error', message: 'missing terminating " character', loc: { file: 't.c', line: 2, col: 11 }, length: 6 },
      { severity: 'error', message: "stray '`' in program", loc: { file: 't.c', line: 3, col: 5 }, length: 1 },
    ]);
    expect(r.tokens.map((t) => t.image)).toEqual(['int', 'a', '=', '1', '2', ';', 'char', '*', 's', '=', 'int', 'b', ';']);
  });

  it('control characters are shown as octal escapes', () => {
    expect(lexC('a \u0001 b', 't.c').diagnostics.map((d) => d.message)).toEqual(["stray '\\001' in program"]);
  });
});
