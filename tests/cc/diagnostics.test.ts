// Compiler and linker diagnostics: gcc's wording for the common mistakes, located at file:line:col,
// and unsupported constructs named as such (never a JavaScript exception).
import { describe, expect, it } from 'vitest';
import { build } from './harness.js';
import { compileC, linkProgram } from '../../src/cc/compile.js';
import { parseC } from './harness.js';

function diag(src: string): string {
  return build(src, { prelude: false }).diagnostics.map((d) => `${d.loc ? `${d.loc.line}:${d.loc.col}: ` : ''}${d.severity}: ${d.message}`).join('\n');
}

describe('C diagnostics', () => {
  it('undeclared identifiers, reported once per function', () => {
    expect(diag('int main(void) {\n  x = 1;\n  return x;\n}')).toBe(
      "2:3: error: 'x' undeclared (first use in this function)\n2:3: note: each undeclared identifier is reported only once for each function it appears in",
    );
  });
  it('implicit declaration warning, then an undefined reference from the linker', () => {
    const r = build('int main(void) { return foo(1); }', { prelude: false });
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "implicit declaration of function 'foo' [-Wimplicit-function-declaration]",
      "ld: test.c: in function 'main': undefined reference to 'foo'",
      'ld returned 1 exit status',
    ]);
  });
  it('argument count, lvalues, members', () => {
    expect(diag('int f(int a, int b);\nint main(void) { return f(1); }')).toMatch(/^2:25: error: too few arguments to function 'f'/);
    expect(diag('int f(int a);\nint main(void) { return f(1, 2); }')).toMatch(/^2:25: error: too many arguments to function 'f'/);
    expect(diag('int main(void) { int a; 1 = a; return 0; }')).toBe('1:27: error: lvalue required as left operand of assignment');
    expect(diag('int main(void) { int a; return a.x; }')).toBe("1:33: error: request for member 'x' in something not a structure or union");
    expect(diag('struct s { int y; };\nint main(void) { struct s v; return v.x; }')).toBe("2:38: error: 'struct s' has no member named 'x'");
    expect(diag('int main(void) { const int c = 1; c = 2; return c; }')).toBe("1:37: error: assignment of read-only variable 'c'");
  });
  it('incompatible conversions warn like gcc', () => {
    expect(diag('int main(void) { int *p = 5; char *q = p; return 0; }')).toBe(
      "1:27: warning: initialization of 'int *' from 'int' makes pointer from integer without a cast [-Wint-conversion]\n" +
        "1:40: warning: initialization of 'char *' from incompatible pointer type 'int *' [-Wincompatible-pointer-types]",
    );
  });
  it('statements out of place and unknown labels', () => {
    expect(diag('int main(void) { break; }')).toBe('1:18: error: break statement not within loop or switch');
    expect(diag('int main(void) { goto out; }')).toBe("1:18: error: label 'out' used but not defined");
    expect(diag('int main(int x) { switch (x) { case 1: case 1: break; } return 0; }')).toBe('1:40: error: duplicate case value');
  });
  it('bit-fields have no size or typeof', () => {
    expect(diag('struct b { int x : 3; } v;\nint main(void) { return sizeof v.x; }')).toBe("2:25: error: 'sizeof' applied to a bit-field");
  });
  it('unsupported constructs are named', () => {
    expect(diag('int main(int n) { int a[n][n]; return 0; }')).toBe('1:28: error: sorry, unimplemented: variable length arrays other than a local one-dimensional array');
  });
  it('multiple definitions at link time', () => {
    const c = compileC([{ file: 'a.c', text: 'int x = 1; int main(void) { return x; }' }, { file: 'b.c', text: 'int x = 2;' }], {
      target: { arch: 'x86_64', os: 'linux' }, mode: 'user', parse: parseC,
    });
    const l = linkProgram(c.objects!, { entry: 'main' });
    expect(l.diagnostics[0]!.message).toBe("ld: b.c: multiple definition of 'x'; a.c: first defined here");
  });
});

describe('objects', () => {
  it('round-trip through their text form and link the same', async () => {
    const { serializeObject, parseObject } = await import('../../src/cc/link.js');
    const c = compileC({ file: 'a.c', text: 'char msg[] = "hi"; int *p = 0; int main(void) { return msg[1]; }' }, {
      target: { arch: 'x86_64', os: 'linux' }, mode: 'user', parse: parseC,
    });
    const again = parseObject(serializeObject(c.object!));
    expect(linkProgram([again], { entry: 'main' }).text).toBe(linkProgram(c.objects!, { entry: 'main' }).text);
    expect(() => parseObject('garbage')).toThrow('file format not recognized');
  });
});

describe('linking', () => {
  const opts = { target: { arch: 'x86_64', os: 'linux' } as const, mode: 'user' as const, parse: parseC };
  it('merges tentative definitions, keeps statics private and puts const data in .rodata', () => {
    const c = compileC(
      [
        { file: 'a.c', text: 'int counter; static int hidden = 1; const int limit = 7; int get(void); int main(void) { counter = 5; return get() + hidden * 100 + limit * 1000; }' },
        { file: 'b.c', text: 'int counter; static int hidden = 2; int get(void) { return counter + hidden * 10; }' },
      ],
      opts,
    );
    const l = linkProgram(c.objects!, { entry: 'main' });
    expect(l.diagnostics).toEqual([]);
    const img = l.image!;
    expect(Object.keys(img.symbols).sort()).toEqual(['counter', 'get', 'limit', 'main']);
    const ro = img.data.find((d) => d.name === '.rodata')!;
    expect(img.symbols.limit! >= ro.addr && img.symbols.limit! < ro.addr + ro.size).toBe(true);
    expect(img.symbols.counter! >= img.bss.addr).toBe(true);
  });
});
