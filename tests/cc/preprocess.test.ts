// Tests for the C preprocessor: the C standard's macro examples (6.10.3.5), stringify and
// paste, variadic macros, #if arithmetic, include resolution over an in-memory file map, line
// markers, and the exact diagnostics for bad input.
import { describe, expect, it } from 'vitest';
import { type PreprocessOptions, preprocess } from '../../src/cc/preprocess.js';

function run(files: Record<string, string>, opts: Partial<PreprocessOptions> = {}, main = 'main.c') {
  return preprocess(main, { readFile: (p) => files[p], now: new Date(2024, 0, 5, 1, 2, 3), ...opts });
}

/**
 * The output as source lines: line markers and blank lines dropped, whitespace runs collapsed,
 * and a line restarted by a marker (to keep columns after a long expansion) joined back.
 */
function lines(text: string): string[] {
  const out: string[] = [];
  let file = '';
  let line = 0;
  let lastKey = '';
  for (const raw of text.split('\n')) {
    const m = /^# (\d+) "(.*)"/.exec(raw);
    if (m) {
      line = Number(m[1]);
      file = m[2]!;
      continue;
    }
    const t = raw.trim().replace(/\s+/g, ' ');
    const key = `${file}:${line}`;
    if (t !== '') {
      if (key === lastKey && out.length > 0) out[out.length - 1] += ' ' + t;
      else out.push(t);
      lastKey = key;
    }
    line++;
  }
  return out;
}

function expand(src: string, opts: Partial<PreprocessOptions> = {}): string[] {
  const r = run({ 'main.c': src }, opts);
  expect(r.diagnostics).toEqual([]);
  return lines(r.text);
}

function diags(src: string, files: Record<string, string> = {}): string[] {
  const r = run({ 'main.c': src, ...files });
  return r.diagnostics.map((d) => `${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ` : ''}${d.severity}: ${d.message}`);
}

describe('macro expansion: C11 6.10.3.5', () => {
  it('EXAMPLE 3: redefinition, rescanning and blue paint', () => {
    const src = [
      '#define x 3', '#define f(a) f(x * (a))', '#undef x', '#define x 2', '#define g f', '#define z z[0]',
      '#define h g(~', '#define m(a) a(w)', '#define w 0,1', '#define t(a) a', '#define p() int', '#define q(x) x',
      '#define r(x,y) x ## y', '#define str(x) # x',
      'f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);',
      'g(x+(3,4)-w) | h 5) & m',
      '(f)^m(m);',
      'p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };',
      'char c[2][6] = { str(hello), str() };',
    ].join('\n');
    expect(expand(src)).toEqual([
      'f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);',
      'f(2 * (2+(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))',
      '^m(0,1) ;',
      'int i[ ] = { 1 , 23 , 4 , 5 , };',
      'char c[2][6] = { "hello" , "" };',
    ]);
  });

  it('EXAMPLE 4: # and ## with strings, and the order of operations', () => {
    const src = [
      '#define str(s) # s', '#define xstr(s) str(s)',
      '#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\',
      ' x ## s, x ## t)',
      '#define INCFILE(n) vers ## n', '#define glue(a, b) a ## b', '#define xglue(a, b) glue(a, b)',
      '#define HIGHLOW "hello"', '#define LOW LOW ", world"',
      'debug(1, 2);',
      'fputs(str(strncmp("abc\\0d", "abc", \'\\4\') // this goes away',
      '== 0) str(: @\\n), s);',
      '#include xstr(INCFILE(2).h)',
      'glue(HIGH, LOW);',
      'xglue(HIGH, LOW)',
    ].join('\n');
    const r = run({ 'main.c': src, 'vers2.h': 'int from_vers2;\n' });
    expect(r.diagnostics).toEqual([]);
    expect(lines(r.text)).toEqual([
      'printf("x" "1" "= %d, x" "2" "= %s", x1, x2) ;',
      'fputs("strncmp(\\"abc\\\\0d\\", \\"abc\\", \'\\\\4\') == 0"',
      '": @\\n" , s);',
      'int from_vers2;',
      '"hello" ;',
      '"hello" ", world"',
    ]);
    expect(r.deps).toEqual(['main.c', 'vers2.h']);
  });

  it('EXAMPLE 5: placemarkers', () => {
    const src = '#define t(x,y,z) x ## y ## z\nint j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),\n t(10,,), t(,11,), t(,,12), t(,,) };';
    expect(expand(src).join(' ')).toBe('int j[] = { 123 , 45 , 67 , 89 , 10 , 11 , 12 , };');
  });

  it('EXAMPLE 7: variable arguments', () => {
    const src = [
      '#define debug(...) fprintf(stderr, __VA_ARGS__)',
      '#define showlist(...) puts(#__VA_ARGS__)',
      '#define report(test, ...) ((test)?puts(#test):\\',
      ' printf(__VA_ARGS__))',
      'debug("Flag");',
      'debug("X = %d\\n", x);',
      'showlist(The first, second, and third items.);',
      'report(x>y, "x is %d but y is %d", x, y);',
    ].join('\n');
    expect(expand(src)).toEqual([
      'fprintf(stderr, "Flag") ;',
      'fprintf(stderr, "X = %d\\n", x) ;',
      'puts("The first, second, and third items.") ;',
      '((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y)) ;',
    ]);
  });
});

describe('macro expansion: GNU and C2x forms', () => {
  it('drops the comma of `, ## __VA_ARGS__` when there are no variable arguments', () => {
    expect(expand('#define pr(fmt, ...) printk(fmt, ## __VA_ARGS__)\npr("a");\npr("b", 1, 2);')).toEqual(['printk("a") ;', 'printk("b", 1, 2) ;']);
  });

  it('supports named variadic parameters (args...)', () => {
    expect(expand('#define e(fmt, args...) f(fmt, ##args)\ne(1) e(1, 2, 3)')).toEqual(['f(1) f(1,2, 3)']);
  });

  it('supports __VA_OPT__', () => {
    expect(expand('#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)\nF(1) F(1, 2)')).toEqual(['f(1) f(1 , 2)']);
  });

  it('does not expand a function-like macro name without arguments', () => {
    expect(expand('#define f(x) [x]\nint f; f (1) f\n(2)')).toEqual(['int f; [1] [2]']);
  });

  it('does not expand a macro recursively (blue paint survives rescans)', () => {
    expect(expand('#define foo foo bar\n#define bar foo\nfoo bar')).toEqual(['foo foo foo bar']);
    expect(expand('#define f(x) g(x)\n#define g(x) f(x)\nf(1)')).toEqual(['f(1)']);
  });

  it('expands arguments fully before substitution, but not operands of # and ##', () => {
    expect(expand('#define ONE 1\n#define s(x) #x\n#define xs(x) s(x)\n#define cat(a,b) a##b\ns(ONE) xs(ONE) cat(ONE,2)')).toEqual(['"ONE" "1" ONE2']);
  });

  it('the Linux SYSCALL_DEFINE style of macro', () => {
    const src = [
      '#define __MAP1(m,t,a) m(t,a)',
      '#define __SC_DECL(t, a) t a',
      '#define SYSCALL_DEFINE1(name, ...) long sys_##name(__MAP1(__SC_DECL, __VA_ARGS__))',
      'SYSCALL_DEFINE1(stephen, char *, msg) { return 0; }',
    ].join('\n');
    expect(expand(src)).toEqual(['long sys_stephen(char * msg) { return 0; }']);
  });

  it('_Pragma becomes a #pragma line', () => {
    const r = run({ 'main.c': 'a _Pragma("pack(1)") b\n' });
    expect(r.text).toBe(`# 1 "main.c"\na\n#pragma pack(1)\n# 1 "main.c"\n${' '.repeat(21)}b\n`);
  });
});

describe('predefined macros', () => {
  it('__FILE__, __LINE__, __COUNTER__, __STDC_VERSION__, __DATE__, __TIME__', () => {
    expect(expand('__FILE__ __LINE__\n__LINE__ __COUNTER__ __COUNTER__\n__STDC__ __STDC_VERSION__ __DATE__ __TIME__')).toEqual([
      '"main.c" 1',
      '2 0 1',
      '1 201710L "Jan 5 2024" "01:02:03"',
    ]);
  });

  it('caller-supplied predefined macros, -D and -U', () => {
    expect(expand('__x86_64__ DEBUG MAX(1,2) __linux__', { predefined: { __x86_64__: '1', __linux__: '1' }, defines: new Map([['DEBUG', '2'], ['MAX(a,b)', '((a)>(b)?(a):(b))']]), undefines: ['__linux__'] })).toEqual([
      '1 2 ((1)>(2)?(1):(2)) __linux__',
    ]);
  });
});

describe('#if expressions', () => {
  const truth = (expr: string, defs = ''): boolean => {
    const out = expand(`${defs}#if ${expr}\nyes\n#else\nno\n#endif`);
    expect(out.length).toBe(1);
    return out[0] === 'yes';
  };

  it('integer arithmetic with C precedence', () => {
    expect(truth('1 + 2 * 3 == 7')).toBe(true);
    expect(truth('(1 + 2) * 3 == 9')).toBe(true);
    expect(truth('10 / 3 == 3 && 10 % 3 == 1')).toBe(true);
    expect(truth('1 << 62 > 0')).toBe(true);
    expect(truth('-1 >> 1 == -1')).toBe(true);
    expect(truth('~0 == -1 && !0 == 1')).toBe(true);
    expect(truth('(3 & 5) == 1 && (3 | 5) == 7 && (3 ^ 5) == 6')).toBe(true);
    expect(truth('0x10 == 16 && 010 == 8 && 0b101 == 5')).toBe(true);
    expect(truth('1 ? 2 : 3 == 2')).toBe(true);
    expect(truth('(0, 1)')).toBe(true);
  });

  it('unsigned arithmetic and intmax_t range', () => {
    expect(truth('-1 < 0')).toBe(true);
    expect(truth('-1 < 0u')).toBe(false);
    expect(truth('0xffffffffffffffff == -1')).toBe(true);
    expect(truth('9223372036854775807 + 0 > 0')).toBe(true);
    expect(truth('18446744073709551615u / 2 == 9223372036854775807')).toBe(true);
  });

  it('character constants', () => {
    expect(truth("'A' == 65 && '\\n' == 10 && '\\377' < 0 && '\\x41' == 'A'")).toBe(true);
  });

  it('defined, undefined identifiers and short-circuit evaluation', () => {
    expect(truth('defined(FOO) && defined BAR', '#define FOO\n#define BAR 0\n')).toBe(true);
    expect(truth('defined FOO', '')).toBe(false);
    expect(truth('UNDEFINED_NAME == 0')).toBe(true);
    expect(truth('0 && 1 / 0')).toBe(false);
    expect(truth('1 || 1 / 0')).toBe(true);
    expect(truth('VERSION >= 3', '#define VERSION 2 + 1\n')).toBe(true);
  });

  it('#elif chains, nesting, #ifdef and #ifndef', () => {
    const src = '#define B 1\n#if A\na\n#elif B\nb\n#ifdef A\nx\n#elif 1\ny\n#endif\n#else\nc\n#endif\n#ifndef A\nnotA\n#endif';
    expect(expand(src)).toEqual(['b', 'y', 'notA']);
  });

  it('#ifdef __has_include is true, as in gcc', () => {
    expect(expand('#ifdef __has_include\nyes\n#endif\n#if defined(__has_attribute) && !defined(__has_feature)\nyes2\n#endif')).toEqual(['yes', 'yes2']);
  });

  it('__has_include and __has_attribute', () => {
    const r = run({ 'main.c': '#if __has_include("x.h") && !__has_include(<nope.h>) && __has_attribute(packed) && !__has_attribute(bogus)\nyes\n#endif', 'x.h': '' });
    expect(lines(r.text)).toEqual(['yes']);
  });
});

describe('#include', () => {
  it('resolves "..." relative to the including file first, then quote and system directories', () => {
    const files = {
      'src/main.c': '#include "local.h"\n#include <sys/types.h>\n#include "sysonly.h"\nend',
      'src/local.h': '#include "../common/inner.h"\nlocal',
      'common/inner.h': 'inner',
      'inc/sys/types.h': 'types',
      'inc/sysonly.h': 'sysonly',
    };
    const r = run(files, { includeDirs: ['inc'] }, 'src/main.c');
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toBe(
      [
        '# 1 "src/main.c"',
        '# 1 "src/local.h" 1',
        '# 1 "common/inner.h" 1',
        'inner',
        '# 2 "src/local.h" 2',
        'local',
        '# 2 "src/main.c" 2',
        '# 1 "inc/sys/types.h" 1 3',
        'types',
        '# 3 "src/main.c" 2',
        '# 1 "inc/sysonly.h" 1 3',
        'sysonly',
        '# 4 "src/main.c" 2',
        'end',
        '',
      ].join('\n'),
    );
    expect(r.deps).toEqual(['src/main.c', 'src/local.h', 'common/inner.h', 'inc/sys/types.h', 'inc/sysonly.h']);
  });

  it('honours #pragma once and include guards', () => {
    const files = { 'main.c': '#include "a.h"\n#include "a.h"\n#include "b.h"\n#include "b.h"\n', 'a.h': '#pragma once\nA', 'b.h': '#ifndef B_H\n#define B_H\nB\n#endif\n' };
    expect(lines(run(files).text)).toEqual(['A', 'B']);
  });

  it('#include_next continues the search after the directory of the current file', () => {
    const files = { 'main.c': '#include <x.h>', 'one/x.h': 'one\n#include_next <x.h>', 'two/x.h': 'two' };
    expect(lines(run(files, { includeDirs: ['one', 'two'] }).text)).toEqual(['one', 'two']);
  });

  it('a missing header is a fatal error that stops preprocessing', () => {
    const r = run({ 'main.c': 'int a;\n#include <missing.h>\nint b;\n' });
    expect(r.diagnostics).toEqual([{ severity: 'fatal error', message: 'missing.h: No such file or directory', loc: { file: 'main.c', line: 2, col: 10 }, length: 11 }]);
    expect(r.text).not.toContain('int b');
  });

  it('a missing main file', () => {
    const r = run({}, {}, 'nope.c');
    expect(r.diagnostics).toEqual([{ severity: 'fatal error', message: 'nope.c: No such file or directory' }]);
  });
});

describe('output text and line markers', () => {
  it('keeps lines and columns, and marks jumps over long skipped regions', () => {
    const src = 'int a;\n#if 0\n\n\n\n\n\n\n\n\n\n\n#endif\n    int b;\n';
    expect(run({ 'main.c': src }).text).toBe('# 1 "main.c"\nint a;\n# 14 "main.c"\n    int b;\n');
  });

  it('#line renames the file and renumbers lines', () => {
    expect(run({ 'main.c': 'a\n#line 100 "other.c"\nb\n__LINE__ __FILE__\n' }).text).toBe('# 1 "main.c"\na\n# 100 "other.c"\nb\n101 "other.c"\n');
  });

  it('removes comments and splices continued lines (tokens keep their physical lines)', () => {
    expect(run({ 'main.c': 'a /* x\n y */ b // c\nd \\\ne' }).text).toBe('# 1 "main.c"\na\n      b\nd\ne\n');
    expect(lines(run({ 'main.c': '#define X 1 + \\\n 2\nX' }).text)).toEqual(['1 + 2']);
  });

  it('ignores a UTF-8 byte order mark and CRLF line ends', () => {
    expect(run({ 'main.c': '\uFEFFint a;\r\nint b;\r\n' }).text).toBe('# 1 "main.c"\nint a;\nint b;\n');
  });

  it('passes other pragmas through', () => {
    expect(run({ 'main.c': '#pragma pack(push, 1)\nx\n' }).text).toBe('# 1 "main.c"\n#pragma pack(push, 1)\nx\n');
  });

  it('restarts a line lengthened by an expansion so later tokens keep their columns', () => {
    expect(run({ 'main.c': '#define LONG 1 + 2 + 3\nint a = LONG; int b;\n' }).text).toBe('# 1 "main.c"\n\nint a = 1 + 2 + 3\n# 2 "main.c"\n            ; int b;\n');
  });

  it('separates tokens that would otherwise paste', () => {
    expect(expand('#define P +\n#define E(x) x\nP+ E(-)- E(a)b')).toEqual(['+ + - - a b']);
  });
});

describe('diagnostics', () => {
  it('#error and #warning', () => {
    expect(diags('#error this is "bad"\n#warning careful  now')).toEqual(['main.c:1:2: error: #error this is "bad"', 'main.c:2:2: warning: #warning careful now']);
  });

  it('unterminated conditionals and stray #else/#endif', () => {
    expect(diags('#if 1\nx\n')).toEqual(['main.c:1:2: error: unterminated #if']);
    expect(diags('#ifdef X\n#else\n')).toEqual(['main.c:2:2: error: unterminated #else']);
    expect(diags('#endif\n#else\n#elif 1')).toEqual(['main.c:1:2: error: #endif without #if', 'main.c:2:2: error: #else without #if', 'main.c:3:2: error: #elif without #if']);
    expect(diags('#if 1\n#else\n#else\n#endif')).toEqual(['main.c:3:2: error: #else after #else', 'main.c:2:2: note: the conditional began here']);
  });

  it('bad directives and bad #if expressions', () => {
    expect(diags('#foo bar')).toEqual(['main.c:1:2: error: invalid preprocessing directive #foo']);
    expect(diags('#if\n#endif')).toEqual(['main.c:1:2: error: #if with no expression']);
    expect(diags('#if 1 +\n#endif')).toEqual(["main.c:1:7: error: operator '+' has no right operand"]);
    expect(diags('#if 1 2\n#endif')).toEqual(['main.c:1:7: error: missing binary operator before token "2"']);
    expect(diags('#if (1\n#endif')).toEqual(["main.c:1:5: error: missing ')' in expression"]);
    expect(diags('#if 1 / 0\n#endif')).toEqual(['main.c:1:7: error: division by zero in #if']);
    expect(diags('#if defined\n#endif')).toEqual(['main.c:1:5: error: operator "defined" requires an identifier']);
    expect(diags('#if 1.0\n#endif')).toEqual(['main.c:1:5: error: floating constant in preprocessor expression']);
  });

  it('bad macro definitions', () => {
    expect(diags('#define')).toEqual(['main.c:1:2: error: no macro name given in #define directive']);
    expect(diags('#define 3 x')).toEqual(['main.c:1:9: error: macro names must be identifiers']);
    expect(diags('#define f(x) #y')).toEqual(["main.c:1:14: error: '#' is not followed by a macro parameter"]);
    expect(diags('#define f(x) ## x')).toEqual(["main.c:1:14: error: '##' cannot appear at either end of a macro expansion"]);
    expect(diags('#define f(x, x) x')).toEqual(['main.c:1:14: error: duplicate macro parameter "x"']);
    expect(diags('#define A 1\n#define A 2')).toEqual(['main.c:2:9: warning: "A" redefined', 'main.c:1:9: note: this is the location of the previous definition']);
    expect(diags('#define A 1\n#define A 1')).toEqual([]);
  });

  it('bad invocations', () => {
    expect(diags('#define f(x) x\nf(1,\n2')).toEqual(['main.c:2:1: error: unterminated argument list invoking macro "f"']);
    expect(diags('#define f(x, y) x\nf(1)')).toEqual(['main.c:2:1: error: macro "f" requires 2 arguments, but only 1 given']);
    expect(diags('#define f(x) x\nf(1, 2)')).toEqual(['main.c:2:1: error: macro "f" passed 2 arguments, but takes just 1']);
    expect(diags('#define cat(a, b) a ## b\ncat(+, /)')).toEqual(['main.c:1:9: error: pasting "+" and "/" does not give a valid preprocessing token']);
  });

  it('bad includes and comments', () => {
    expect(diags('#include foo')).toEqual(['main.c:1:10: error: #include expects "FILENAME" or <FILENAME>']);
    expect(diags('a /* never closed')).toEqual(['main.c:1:3: error: unterminated comment']);
    expect(diags("char c = 'x;")).toEqual(["main.c:1:10: warning: missing terminating ' character"]);
  });

  it('never throws on hostile input', () => {
    const inputs = ['#', '#define f(', '#define f(x', '#if (', '#include', '"', "'", '\\', '#define a a a\na', '#define f(x) f(x f(\nf(f(f(', '#if 1 ? 2\n#endif', '#line x', '#define __VA_OPT__(x) x\n'];
    for (const src of inputs) expect(() => run({ 'main.c': src })).not.toThrow();
    const deep = run({ 'main.c': '#include "main.c"\n' });
    expect(deep.diagnostics.at(-1)?.message).toMatch(/^#include nested depth 200 exceeds maximum of 200/);
  });
});

describe('limits', () => {
  it('deeply nested invocations expand, absurd nesting is a clean fatal error', () => {
    const depth = 200;
    expect(expand(`#define f(x) (x)\n${'f('.repeat(depth)}1${')'.repeat(depth)}`)).toEqual([`${'('.repeat(depth)}1${')'.repeat(depth)}`]);
    const r = run({ 'main.c': `#define f(x) (x)\n${'f('.repeat(20000)}1${')'.repeat(20000)}` });
    expect(r.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(['fatal error: macro expansion or #include nested too deeply']);
  });
});
