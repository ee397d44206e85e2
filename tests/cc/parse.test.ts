// Tests for the C parser: every declarator shape, statement and expression kind, precedence and
// associativity, the typedef-name ambiguity, initializers, GNU extensions, literals, and the
// exact AST structure the back end relies on.
import { describe, expect, it } from 'vitest';
import type { Expr, FunctionDef, Stmt } from '../../src/cc/ast.js';
import { parseC } from '../../src/cc/frontend.js';
import { parseTranslationUnit, validateCGrammar } from '../../src/cc/parse.js';
import { exprToString, externalDeclToString, stmtToString } from '../../src/cc/parse-print.js';

function parse(src: string) {
  return parseC('test.c', { readFile: (p) => (p === 'test.c' ? src : undefined) });
}

function decls(src: string): string[] {
  const r = parse(src);
  expect(r.diagnostics).toEqual([]);
  return r.unit!.decls.map(externalDeclToString);
}

function body(src: string, prelude = ''): Stmt[] {
  const r = parse(`${prelude}\nvoid f(void) {\n${src}\n}\n`);
  expect(r.diagnostics).toEqual([]);
  const fn = r.unit!.decls[r.unit!.decls.length - 1] as FunctionDef;
  return fn.body.items as Stmt[];
}

function stmts(src: string, prelude = ''): string[] {
  return body(src, prelude).map(stmtToString);
}

function expr(src: string, prelude = ''): string {
  const [s] = body(`${src};`, prelude);
  if (s?.kind !== 'expr' || !s.expr) throw new Error('not an expression statement');
  return exprToString(s.expr);
}

function exprNode(src: string, prelude = ''): Expr {
  const [s] = body(`${src};`, prelude);
  if (s?.kind !== 'expr' || !s.expr) throw new Error('not an expression statement');
  return s.expr;
}

describe('grammar', () => {
  it('passes chevrotain\'s validations (the parser skips them at startup)', () => {
    expect(() => validateCGrammar()).not.toThrow();
  });
});

describe('declarators', () => {
  it('reads each shape outermost derivation first', () => {
    expect(decls('int x, *p, **pp, a[3], *ap[4], (*pa)[5], f(void), *fp(int), (*pf)(int, char *);')).toEqual([
      'x: int; p: pointer to int; pp: pointer to pointer to int; a: array[3] of int; ap: array[4] of pointer to int; pa: pointer to array[5] of int; f: function() returning int; fp: function(int) returning pointer to int; pf: pointer to function(int, pointer to char) returning int;',
    ]);
  });

  it('handles nested function pointers and arrays of them', () => {
    expect(decls('int (*(*fp)(int))[3];')).toEqual(['fp: pointer to function(int) returning pointer to array[3] of int;']);
    expect(decls('void (*signal(int sig, void (*handler)(int)))(int);')).toEqual([
      'signal: function(sig: int, handler: pointer to function(int) returning void) returning pointer to function(int) returning void;',
    ]);
    expect(decls('char *(*table[10])(const char *, ...);')).toEqual(['table: array[10] of pointer to function(pointer to const char, ...) returning pointer to char;']);
    expect(decls('int m[2][3];')).toEqual(['m: array[2] of array[3] of int;']);
    expect(decls('int (x);')).toEqual(['x: int;']);
  });

  it('pointer qualifiers bind to the pointer they follow', () => {
    expect(decls('const char * const * volatile p;')).toEqual(['p: volatile pointer to const pointer to const char;']);
    expect(decls('int * restrict r;')).toEqual(['r: restrict pointer to int;']);
  });

  it('abstract declarators in parameters, casts and sizeof', () => {
    expect(decls('void g(int, int *, int [], int (*)(void), int (*)[4], int *(void));')).toEqual([
      'g: function(int, pointer to int, array[] of int, pointer to function() returning int, pointer to array[4] of int, function() returning pointer to int) returning void;',
    ]);
    expect(expr('(int (*)(int))p')).toBe('((pointer to function(int) returning int) p)');
    expect(expr('sizeof(char *[3])')).toBe('sizeof(array[3] of pointer to char)');
  });

  it('distinguishes f(void), f() and variadic prototypes', () => {
    const r = parse('int a(void); int b(); int c(const char *fmt, ...); int d(static_t);'.replace(' int d(static_t);', ''));
    expect(r.diagnostics).toEqual([]);
    const fns = r.unit!.decls.map((d) => (d.kind === 'declaration' ? d.declarators[0]!.declarator.derived[0] : undefined));
    expect(fns).toEqual([
      { kind: 'function', params: [], variadic: false, oldStyle: false },
      { kind: 'function', params: [], variadic: false, oldStyle: true },
      expect.objectContaining({ kind: 'function', variadic: true, oldStyle: false }),
    ]);
  });

  it('array parameters with static and qualifiers', () => {
    expect(decls('void h(int a[static 10], char b[const]);')).toEqual(['h: function(a: array[static 10] of int, b: array[] of char) returning void;']);
  });

  it('gives declarators the location of their name', () => {
    const r = parse('int\n  *foo;');
    const d = r.unit!.decls[0]!;
    expect(d.kind === 'declaration' && d.declarators[0]!.declarator.loc).toEqual({ file: 'test.c', line: 2, col: 4 });
  });
});

describe('declaration specifiers and types', () => {
  it('storage classes, qualifiers and function specifiers', () => {
    expect(decls('static const volatile unsigned long int x; extern int y; register int z; static inline _Noreturn void die(void);')).toEqual([
      'x: static const volatile unsigned long int;',
      'y: extern int;',
      'z: register int;',
      'die: function() returning static inline _Noreturn void;',
    ]);
  });

  it('structs, unions, bit-fields, anonymous members and forward declarations', () => {
    expect(decls('struct s; struct s { int a, *b; unsigned f : 3, : 0; union { int i; float g; }; struct s *next; }; union u { char c; };')).toEqual([
      'struct s;',
      'struct s { a: int, b: pointer to int; f: unsigned : 3, unsigned : 0; union { i: int; g: float; }; next: pointer to struct s; };',
      'union u { c: char; };',
    ]);
  });

  it('enums with values and a trailing comma', () => {
    expect(decls('enum e { A, B = 5, C = B + 1, }; enum e v;')).toEqual(['enum e { A, B = 5, C = (B + 1) };', 'v: enum e;']);
  });

  it('typedef names act as types, and are tracked by scope', () => {
    expect(
      stmts('T * x; T(y); { int T; T * 2; } T * z; size_t n = sizeof(T);', 'typedef int T; typedef unsigned long size_t;'),
    ).toEqual(['x: pointer to T;', 'y: T;', '{ T: int; (T * 2); }', 'z: pointer to T;', 'n: size_t = sizeof(T);']);
  });

  it('a typedef name can be redeclared as a member, parameter or variable', () => {
    expect(decls('typedef int T; struct s { long T; }; void f(int T) { T = 1; } int g(T x);')).toEqual([
      'T: typedef int;',
      'struct s { T: long; };',
      'f: function(T: int) returning void { (T = 1); }',
      'g: function(x: T) returning int;',
    ]);
  });

  it('typedef chains and struct typedefs', () => {
    expect(decls('typedef struct node { struct node *next; } node_t, *node_p; node_p head; typedef node_t list[4]; list l;')).toEqual([
      'node_t: typedef struct node { next: pointer to struct node; }; node_p: pointer to typedef struct node { next: pointer to struct node; };',
      'head: node_p;',
      'list: array[4] of typedef node_t;',
      'l: list;',
    ]);
  });

  it('typeof, __builtin_va_list, _Alignas, _Static_assert', () => {
    expect(decls('typeof(int *) a; __typeof__(a) b; __builtin_va_list ap; _Alignas(16) char buf[16]; _Static_assert(sizeof(int) == 4, "int");')).toEqual([
      'a: typeof(pointer to int);',
      'b: typeof(a);',
      'ap: __builtin_va_list;',
      'buf: array[16] of char __attribute__((aligned(16)));',
      '_Static_assert((sizeof(int) == 4), "int");',
    ]);
  });

  it('attributes everywhere they can appear', () => {
    const r = parse(
      'struct __attribute__((packed)) p { char c; int i __attribute__((aligned(8))); } __attribute__((aligned(4)));\n' +
        '__attribute__((noreturn)) void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));\n' +
        'int x __attribute__((unused)) = 1;\n' +
        'static int __attribute__((section(".data"))) y;\n' +
        'char * __attribute__((aligned(8))) p;\n' +
        'int v asm("real_v");',
    );
    expect(r.diagnostics).toEqual([]);
    const [s, die, x, y, p, v] = r.unit!.decls;
    expect(s!.kind === 'declaration' && s!.specs.base.kind === 'struct' && s!.specs.base.attributes).toEqual([
      { name: 'packed', args: [] },
      { name: 'aligned', args: [expect.objectContaining({ kind: 'int', value: 4n })] },
    ]);
    expect(die!.kind === 'declaration' && die!.specs.attributes.map((a) => a.name)).toEqual(['noreturn']);
    expect(die!.kind === 'declaration' && die!.declarators[0]!.declarator.attributes.map((a) => [a.name, a.args.map(exprToString)])).toEqual([['format', ['printf', '1', '2']]]);
    expect(externalDeclToString(x!)).toBe('x: int __attribute__((unused)) = 1;');
    expect(y!.kind === 'declaration' && y!.specs.attributes).toEqual([{ name: 'section', args: [expect.objectContaining({ kind: 'string', value: new TextEncoder().encode('.data') })] }]);
    expect(externalDeclToString(p!)).toBe('p: pointer to char __attribute__((aligned));');
    expect(externalDeclToString(v!)).toBe('v: int asm("real_v");');
  });
});

describe('initializers', () => {
  it('designated initializers, nested lists, GNU ranges and old-style field designators', () => {
    expect(decls('int a[] = { 1, [4] = 2, [6 ... 9] = 3, }; struct pt p = { .x = 1, .y = { [0].z = 2 } }, q = { x: 5 };'.replace('struct pt', 'struct pt { int x; struct { int z; } y[1]; }'))).toEqual([
      'a: array[] of int = {1, [4]=2, [6 ... 9]=3};',
      'p: struct pt { x: int; y: array[1] of struct { z: int; }; } = {.x=1, .y={[0].z=2}}; q: struct pt { x: int; y: array[1] of struct { z: int; }; } = {.x=5};',
    ]);
  });

  it('FreeBSD module data and sysent style initializers', () => {
    expect(
      decls('typedef struct moduledata { const char *name; int (*evhand)(void *, int, void *); void *priv; } moduledata_t;\nstatic int handler(void *m, int e, void *a) { return 0; }\nstatic moduledata_t m = { "x", handler, ((void *)0) };'),
    ).toEqual([
      'moduledata_t: typedef struct moduledata { name: pointer to const char; evhand: pointer to function(pointer to void, int, pointer to void) returning int; priv: pointer to void; };',
      'handler: function(m: pointer to void, e: int, a: pointer to void) returning static int { return 0; }',
      'm: static moduledata_t = {"x", handler, ((pointer to void) 0)};',
    ]);
  });

  it('empty braces and compound literals', () => {
    expect(decls('struct s { int a; } z = {}; int *p = (int[]){ 1, 2 };')).toEqual(['z: struct s { a: int; } = {};', 'p: pointer to int = (array[] of int){1, 2};']);
  });
});

describe('statements', () => {
  it('every statement kind', () => {
    expect(
      stmts(
        'int i = 0;\n;\nif (i) i++; else if (!i) i--; else {}\nwhile (i < 10) i += 2;\ndo i--; while (i);\nfor (;;) break;\nfor (i = 0; i < 3; i++) continue;\nfor (int j = 0, k = 1; j < k; ) j++;\nswitch (i) { case 1: case 2 ... 4: break; default: ; }\nlabel: i = 1;\ngoto label;\nreturn;',
      ),
    ).toEqual([
      'i: int = 0;',
      ';',
      'if (i) (i++); else if ((!i)) (i--); else { }',
      'while ((i < 10)) (i += 2);',
      'do (i--); while (i);',
      'for (; ; ) break;',
      'for ((i = 0); (i < 3); (i++)) continue;',
      'for (j: int = 0; k: int = 1; (j < k); ) (j++);',
      'switch (i) { case 1: case 2 ... 4: break; default: ; }',
      'label: (i = 1);',
      'goto label;',
      'return;',
    ]);
  });

  it('a label before a declaration or at the end of a block labels an empty statement', () => {
    expect(stmts('again: int x = 1;\nswitch (x) { case 1: int y = 2; x = y; }')).toEqual(['again: ;', 'x: int = 1;', 'switch (x) { case 1: ; y: int = 2; (x = y); }']);
    const r = parse('void f(int x) {\n  if (x) { out: }\n}');
    expect(r.diagnostics).toEqual([{ severity: 'warning', message: 'label at end of compound statement', loc: { file: 'test.c', line: 2, col: 17 }, length: 1 }]);
    expect(externalDeclToString(r.unit!.decls[0]!)).toBe('f: function(x: int) returning void { if (x) { out: ; } }');
  });

  it('dangling else binds to the nearest if', () => {
    expect(stmts('if (a) if (b) x(); else y();')).toEqual(['if (a) if (b) x(); else y();']);
    const [s] = body('if (a) if (b) x(); else y();');
    expect(s!.kind === 'if' && s!.else).toBeUndefined();
  });

  it('asm statements keep their template; asm operands are parsed', () => {
    expect(stmts('__asm__ __volatile__("mov %1, %0\\n\\t" "nop" : "=r"(x) : "r"(y), [z] "m"(w) : "memory", "cc");\nasm("hlt");')).toEqual([
      'asm("mov %1, %0\n\tnop");',
      'asm("hlt");',
    ]);
  });

  it('statement attributes such as fallthrough', () => {
    expect(stmts('switch (x) { case 1: y(); __attribute__((fallthrough)); case 2: break; }')).toEqual(['switch (x) { case 1: y(); ; case 2: break; }']);
  });

  it('gives statements the location of their first token', () => {
    const [, ret] = body('int x;\n    return x;');
    expect(ret!.loc).toEqual({ file: 'test.c', line: 4, col: 5 });
  });
});

describe('expressions', () => {
  it('binary precedence and left associativity', () => {
    expect(expr('a + b * c - d / e % f')).toBe('((a + (b * c)) - ((d / e) % f))');
    expect(expr('a - b - c')).toBe('((a - b) - c)');
    expect(expr('a << 1 + 2 < b == c & d ^ e | f && g || h')).toBe('((((((a << (1 + 2)) < b) == c) & d) ^ e) | f) && g) || h)'.replace(/^/, '(('));
  });

  it('assignment and ?: associate to the right', () => {
    expect(expr('a = b += c')).toBe('(a = (b += c))');
    expect(expr('a ? b : c ? d : e')).toBe('(a ? b : (c ? d : e))');
    expect(expr('a = b ? c : d')).toBe('(a = (b ? c : d))');
    expect(expr('a, b = c, d')).toBe('((a, (b = c)), d)');
    expect(expr('a ?: b')).toBe('(a ?  : b)');
    const n = exprNode('a ?: b');
    expect(n.kind === 'cond' && n.then === n.cond).toBe(true);
  });

  it('unary, postfix, casts and sizeof', () => {
    expect(expr('-a++ + !~*p-- - &x[1] + ++*q')).toBe('((((-(a++)) + (!(~(*(p--))))) - (&x[1])) + (++(*q)))');
    expect(expr('s.a->b[2](x, y).c')).toBe('s.a->b[2](x, y).c');
    expect(expr('(long)(unsigned char)c')).toBe('((long) ((unsigned char) c))');
    expect(expr('sizeof x + sizeof(int) + sizeof(x) + sizeof *p')).toBe('(((sizeof(x) + sizeof(int)) + sizeof(x)) + sizeof((*p)))');
    expect(expr('_Alignof(double) + __alignof__(x)')).toBe('(_Alignof(double) + _Alignof(typeof(x)))');
    expect(expr('(T)-1', 'typedef int T;')).toBe('((T) (-1))');
    expect(expr('(a)-1')).toBe('(a - 1)');
    expect(expr('sizeof (int[]){ 1, 2, 3 }')).toBe('sizeof((array[] of int){1, 2, 3})');
    expect(expr('sizeof(x)[0]')).toBe('sizeof(x[0])');
  });

  it('GNU statement expressions, compound literals, va_arg, offsetof and _Generic', () => {
    expect(expr('({ int t = a; t * 2; })')).toBe('({ t: int = a; (t * 2); })');
    expect(expr('(struct p){ .x = 1 }.x')).toBe('(struct p){.x=1}.x');
    expect(expr('__builtin_va_arg(ap, char *)')).toBe('va_arg(ap, pointer to char)');
    expect(expr('__builtin_offsetof(struct s, a.b[2].c)')).toBe('offsetof(struct s, a.b[2].c)');
    expect(expr('_Generic(x, int: 1, char *: 2, default: 3)')).toBe('_Generic(x, int: 1, pointer to char: 2, default: 3)');
    expect(expr('__extension__ 1')).toBe('1');
  });

  it('expression nodes carry their operator location', () => {
    const n = exprNode('a +\n  b');
    expect(n).toMatchObject({ kind: 'binary', op: '+', loc: { line: 3, col: 3 }, left: { kind: 'ident', name: 'a', loc: { line: 3, col: 1 } }, right: { kind: 'ident', name: 'b', loc: { line: 4, col: 3 } } });
  });
});

describe('literals', () => {
  it('integer constants: radix, suffixes normalized, values as BigInt', () => {
    const values = ['0', '42', '0x1F', '017', '0b101', '10u', '10UL', '10lu', '10ll', '10ULL', '18446744073709551615u'].map((t) => exprNode(t));
    expect(values.map((v) => (v.kind === 'int' ? [v.value, v.suffix, v.radix, v.text] : v.kind))).toEqual([
      [0n, '', 10, '0'],
      [42n, '', 10, '42'],
      [31n, '', 16, '0x1F'],
      [15n, '', 8, '017'],
      [5n, '', 2, '0b101'],
      [10n, 'u', 10, '10u'],
      [10n, 'ul', 10, '10UL'],
      [10n, 'ul', 10, '10lu'],
      [10n, 'll', 10, '10ll'],
      [10n, 'ull', 10, '10ULL'],
      [18446744073709551615n, 'u', 10, '18446744073709551615u'],
    ]);
  });

  it('floating constants, decimal and hexadecimal', () => {
    const values = ['1.5', '.5f', '1e3', '2.5E-1L', '0x1p4', '0x1.8p1'].map((t) => exprNode(t));
    expect(values.map((v) => (v.kind === 'float' ? [v.value, v.suffix] : v.kind))).toEqual([
      [1.5, ''],
      [0.5, 'f'],
      [1000, ''],
      [0.25, 'l'],
      [16, ''],
      [3, ''],
    ]);
  });

  it('character constants (plain char is signed)', () => {
    const values = ["'a'", "'\\n'", "'\\0'", "'\\377'", "'\\x41'", "L'x'"].map((t) => exprNode(t));
    expect(values.map((v) => (v.kind === 'char' ? [v.value, v.prefix] : v.kind))).toEqual([
      [97, ''],
      [10, ''],
      [0, ''],
      [-1, ''],
      [65, ''],
      [120, 'L'],
    ]);
    const multi = parse("int m = 'ab';");
    expect(multi.diagnostics).toEqual([{ severity: 'warning', message: 'multi-character character constant', loc: { file: 'test.c', line: 1, col: 9 }, length: 4 }]);
    const init = multi.unit!.decls[0]!.kind === 'declaration' && multi.unit!.decls[0]!.declarators[0]!.init;
    expect(init && init.kind === 'expr' && init.expr).toMatchObject({ kind: 'char', value: 0x6162 });
  });

  it('strings: escapes, adjacent concatenation, UTF-8 and wide strings', () => {
    const s = exprNode('"a\\tb" "\\x41\\101\\n" "é€"');
    expect(s.kind === 'string' && Array.from(s.value)).toEqual([97, 9, 98, 0x41, 0x41, 10, 0xc3, 0xa9, 0xe2, 0x82, 0xac]);
    const w = exprNode('L"a" "b"');
    expect(w.kind === 'string' && [w.prefix, Array.from(w.value)]).toEqual(['L', [97, 0, 0, 0, 98, 0, 0, 0]]);
    const u = exprNode('u"\\u00e9"');
    expect(u.kind === 'string' && Array.from(u.value)).toEqual([0xe9, 0]);
    const e = exprNode('""');
    expect(e.kind === 'string' && e.value.length).toBe(0);
  });
});

describe('line markers', () => {
  it('maps tokens back to the original file and line', () => {
    const text = '# 1 "main.c"\nint a;\n# 1 "inc.h" 1\nint b;\n# 7 "main.c" 2\n  int c;\n';
    const r = parseTranslationUnit(text, 'main.c');
    expect(r.diagnostics).toEqual([]);
    expect(r.unit!.decls.map((d) => d.kind === 'declaration' && d.declarators[0]!.declarator.loc)).toEqual([
      { file: 'main.c', line: 1, col: 5 },
      { file: 'inc.h', line: 1, col: 5 },
      { file: 'main.c', line: 7, col: 7 },
    ]);
  });
});

describe('old-style (K&R) definitions', () => {
  it('gives identifier-list parameters the types their declarations give', () => {
    const r = parse('int f(a, b, c)\n  char *b;\n  long a;\n{ return a; }\nint g(x, y);');
    expect(r.diagnostics).toEqual([{ severity: 'warning', message: "type of 'c' defaults to 'int'", loc: { file: 'test.c', line: 1, col: 13 }, length: 1 }]);
    expect(r.unit!.decls.map(externalDeclToString)).toEqual([
      'f: function(a: long, b: pointer to char, c: int) returning int { return a; }',
      'g: function(x: int, y: int) returning int;',
    ]);
    const f = r.unit!.decls[0] as FunctionDef;
    expect(f.krDecls.length).toBe(2);
    expect(f.declarator.derived[0]).toMatchObject({ kind: 'function', oldStyle: true, variadic: false });
  });

  it('rejects declarations for parameters that do not exist', () => {
    const r = parse('int f(a) int z; { return 0; }');
    expect(r.diagnostics.map((d) => d.message)).toEqual(["type of 'a' defaults to 'int'", "declaration for parameter 'z' but no such parameter"]);
  });
});
