// Tests for the C front end's syntax errors: gcc's wording and exact file:line:col, the
// missing-';' placement after the previous token, lexer errors, and that no input whatsoever
// makes the parser throw.
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/cc/diagnostics.js';
import { parseC } from '../../src/cc/frontend.js';
import { parseTranslationUnit } from '../../src/cc/parse.js';

function errors(src: string): string[] {
  const r = parseC('test.c', { readFile: (p) => (p === 'test.c' ? src : undefined) });
  return r.diagnostics.map((d) => `${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ` : ''}${d.severity}: ${d.message}`);
}

describe('syntax errors read like gcc', () => {
  const cases: [string, string[]][] = [
    ['int main(void) {\n  foo()\n  return 0;\n}\n', ["test.c:2:8: error: expected ';' before 'return'"]],
    ['int main(void) {\n  return 0\n}\n', ["test.c:2:11: error: expected ';' before '}' token"]],
    ['int main(void) { return 0 }\n', ["test.c:1:27: error: expected ';' before '}' token"]],
    ['int main(void) {\n  int x = 1\n  return x;\n}\n', ["test.c:3:3: error: expected ',' or ';' before 'return'"]],
    ['int x\nint y;\n', ["test.c:2:1: error: expected '=', ',', ';', 'asm' or '__attribute__' before 'int'"]],
    ['int main(void) {\n  int a;\n  a = (1 + );\n}\n', ["test.c:3:12: error: expected expression before ')' token"]],
    ['int = 5;\n', ["test.c:1:5: error: expected identifier or '(' before '=' token"]],
    ['int 3x;\n', ["test.c:1:5: error: expected identifier or '(' before numeric constant"]],
    ['int a, ;\n', ["test.c:1:8: error: expected identifier or '(' before ';' token"]],
    ['return 0;\n', ["test.c:1:1: error: expected identifier or '(' before 'return'"]],
    ['}\n', ["test.c:1:1: error: expected identifier or '(' before '}' token"]],
    ['int f(void) {\n  if x) return 1;\n}\n', ["test.c:2:6: error: expected '(' before 'x'"]],
    ['int f(void) {\n  if (x return 1;\n}\n', ["test.c:2:9: error: expected ')' before 'return'"]],
    ['int f(void) {\n  return 1;\n', ['test.c:2:11: error: expected declaration or statement at end of input']],
    ['struct s { int a b; };\n', ["test.c:1:18: error: expected ':', ',', ';', '}' or '__attribute__' before 'b'"]],
    ['int f(int a b);\n', ["test.c:1:13: error: expected ';', ',' or ')' before 'b'"]],
    ['foo x;\n', ["test.c:1:1: error: unknown type name 'foo'"]],
    ['void f(void) {\n  foo *p, x;\n  bar y;\n}\n', ["test.c:3:3: error: unknown type name 'bar'"]],
    ['void f(bar y);\n', ["test.c:1:8: error: unknown type name 'bar'"]],
    ['int x = ;\n', ["test.c:1:9: error: expected expression before ';' token"]],
    ['void f(void) { x = y.; }\n', ["test.c:1:22: error: expected identifier before ';' token"]],
    ['void f(void) { p->3; }\n', ['test.c:1:19: error: expected identifier before numeric constant']],
    ['void f(void) { f(1, 2; }\n', ["test.c:1:22: error: expected ')' before ';' token"]],
    ['int f(void) {\n  else return 1;\n}\n', ["test.c:2:3: error: expected expression before 'else'"]],
    ['enum { A B };\n', ["test.c:1:10: error: expected ',' or '}' before 'B'"]],
    ['void f(void) { goto 1; }\n', ["test.c:1:21: error: expected identifier or '*' before numeric constant"]],
    ['void f(void) { switch (x) { case 1 return; } }\n', ["test.c:1:36: error: expected ':' or '...' before 'return'"]],
    ['void f(void) { for (int i = 0; i < 3) ; }\n', ["test.c:1:37: error: expected ';' before ')' token"]],
    ['void f(void) { do x++; while (x) }\n', ["test.c:1:34: error: expected ';' before '}' token"]],
    ['void f(void) { int a[3; }\n', ["test.c:1:23: error: expected ']' before ';' token"]],
    ['int main(void) {\n  printf("x"\n}\n', ["test.c:2:13: error: expected ')' before '}' token"]],
    ['void f(void) { x = "s" 1; }\n', ["test.c:1:24: error: expected ';' before numeric constant"]],
    ['int f(void) {\n  return g(\n', ["test.c:2:12: error: expected ')' at end of input"]],
    ['struct s { int a\n};\nint x', ['test.c:2:1: warning: no semicolon at end of struct or union', "test.c:3:5: error: expected '=', ',', ';', 'asm' or '__attribute__' at end of input"]],
  ];
  for (const [src, expected] of cases) {
    it(JSON.stringify(src), () => {
      expect(errors(src)).toEqual(expected);
    });
  }
});

describe('lexical and literal errors', () => {
  it('stray characters, unterminated literals and bad constants', () => {
    expect(errors('void f(void) { @; }\n')).toEqual(["test.c:1:16: error: stray '@' in program"]);
    expect(errors('void f(void) { int a = 08; }\n')).toEqual(['test.c:1:24: error: invalid digit "8" in octal constant']);
    expect(errors('void f(void) { double a = 1.5q; }\n')).toEqual(['test.c:1:27: error: invalid suffix "q" on floating constant']);
    expect(errors('int a = 12abc;\n')).toEqual(['test.c:1:9: error: invalid suffix "abc" on integer constant']);
    expect(errors('double d = 1e;\n')).toEqual(['test.c:1:12: error: exponent has no digits']);
    expect(errors("int c = '';\n")).toEqual(['test.c:1:9: error: empty character constant']);
    expect(errors('char *s = "abc;\n')[0]).toBe('test.c:1:11: warning: missing terminating " character');
    expect(errors('char *s = "abc;\n')[1]).toBe('test.c:1:11: error: missing terminating " character');
  });

  it('implicit int gets gcc\'s warnings, not an error', () => {
    expect(errors('x;\nmain(void) { return 0; }\n')).toEqual(['test.c:1:1: warning: data definition has no type or storage class', "test.c:2:1: warning: return type defaults to 'int'"]);
    expect(errors('static y;\nvoid f(void) { register r = 1; }\n')).toEqual(["test.c:1:8: warning: type defaults to 'int' in declaration of 'y'", "test.c:2:25: warning: type defaults to 'int' in declaration of 'r'"]);
  });
});

describe('positions through the preprocessor', () => {
  it('reports errors in included files at their own file, line and column', () => {
    const files: Record<string, string> = { 'test.c': '#include "a.h"\nint ok;\n', 'a.h': '\n\nint f(void) {\n  return 1\n}\n' };
    const r = parseC('test.c', { readFile: (p) => files[p] });
    expect(r.diagnostics.map((d) => [d.loc, d.message])).toEqual([[{ file: 'a.h', line: 4, col: 11 }, "expected ';' before '}' token"]]);
  });

  it('keeps columns after macros on other lines, and formats with the source line and caret', () => {
    const src = '#define N 10\nint a[N];\nint main(void) {\n    int b = a[0]\n    return b;\n}\n';
    const r = parseC('test.c', { readFile: (p) => (p === 'test.c' ? src : undefined) });
    expect(formatDiagnostics(r.diagnostics, () => src)).toBe("test.c:5:5: error: expected ',' or ';' before 'return'\n    5 |     return b;\n      |     ^~~~~~\n");
  });
});

describe('robustness', () => {
  it('never throws, whatever the input', () => {
    const pieces = ['int', 'x', '(', ')', '{', '}', '[', ']', ';', ',', '*', '=', '1', '"s"', 'struct', 'typedef', 'if', 'else', '?', ':', '...', '__attribute__', 'sizeof', '->', '.', '#', 'case', '__asm__', '({', '})', 'enum', 'T', '\n'];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const n = 1 + rand(30);
      let src = 'typedef int T;\n';
      for (let k = 0; k < n; k++) src += pieces[rand(pieces.length)] + ' ';
      const r = parseTranslationUnit(src, 'fuzz.c');
      expect(Array.isArray(r.diagnostics)).toBe(true);
      for (const d of r.diagnostics) expect(d.message).not.toMatch(/internal/);
    }
  });

  it('survives very deep nesting with a diagnostic', () => {
    const deep = `int x = ${'('.repeat(5000)}1${')'.repeat(5000)};`;
    const r = parseTranslationUnit(deep, 'deep.c');
    expect(r.unit === undefined ? r.diagnostics[0]!.message : 'parsed').toMatch(/parsed|nesting too deep/);
  });
});

describe('columns after macro expansions on the same line', () => {
  it('a token after a lengthening expansion keeps its original column', () => {
    const src = '#define LONG_EXPANSION (1 + 2 + 3 + 4 + 5 + 6)\nint a = LONG_EXPANSION b;\n';
    expect(errors(src)).toEqual(["test.c:2:24: error: expected ',' or ';' before 'b'"]);
  });
});
