// The assembler's front half: AT&T syntax (operands, expressions, local labels, comments), every
// directive's bytes and layout, label resolution, instruction sizes and gas/ld-style messages.
import { describe, expect, it } from 'vitest';
import { assemble, parseAsm } from '../../src/asm/index.js';
import type { AsmProgram } from '../../src/asm/assemble.js';

function ok(text: string, arch: 'i386' | 'x86_64' = 'i386'): AsmProgram {
  const r = assemble([{ path: 't.s', text }], arch);
  if (!r.program) throw new Error(r.messages.join('\n'));
  return r.program;
}

function messages(text: string, arch: 'i386' | 'x86_64' = 'i386'): string[] {
  return assemble([{ path: 't.s', text }], arch).messages;
}

const seg = (p: AsmProgram, name: string) => p.segments.find((s) => s.name === name)!;
const bytesOf = (p: AsmProgram, name: string) => [...seg(p, name).bytes];

describe('operands', () => {
  it('parses registers, immediates, memory and indirect operands', () => {
    const { statements, errors } = parseAsm('t.s', 'movl $0x10+2*3, -8(%ebp,%esi,4)\njmp *%eax\ncall *8(%ebx)\nmovb %ah, (%ecx)');
    expect(errors).toEqual([]);
    const [a, b, c, d] = statements as { k: 'insn'; operands: unknown[]; text: string }[];
    expect(a!.operands).toEqual([
      { k: 'imm', e: { k: 'bin', op: '+', a: { k: 'num', v: 16n }, b: { k: 'bin', op: '*', a: { k: 'num', v: 2n }, b: { k: 'num', v: 3n } } } },
      { k: 'mem', disp: { k: 'un', op: '-', a: { k: 'num', v: 8n } }, base: { name: 'ebp', num: 5, width: 4 }, index: { name: 'esi', num: 6, width: 4 }, scale: 4, indirect: false },
    ]);
    expect(b!.operands).toEqual([{ k: 'reg', reg: { name: 'eax', num: 0, width: 4 }, indirect: true }]);
    expect((c!.operands[0] as { indirect: boolean; disp: unknown }).indirect).toBe(true);
    expect(d!.operands[0]).toEqual({ k: 'reg', reg: { name: 'ah', num: 0, width: 1, high: true }, indirect: false });
    expect(a!.text).toBe('movl $0x10+2*3,-8(%ebp,%esi,4)');
  });

  it('reads numbers in every base, characters and operators', () => {
    const p = ok(`.data
v: .long 0x1f, 017, 0b101, 'A, 'b', -1, 1 << 4 | 3, (7 + 1) / 2 % 3, ~0 & 0xff, 10 - 2 - 3
`);
    const dv = new DataView(seg(p, '.data').bytes.buffer);
    const words = Array.from({ length: 10 }, (_, i) => dv.getInt32(i * 4, true));
    expect(words).toEqual([31, 15, 5, 65, 98, -1, 19, 1, 255, 5]);
  });

  it('strips # comments (not inside strings) and /* */ comments, and splits on ;', () => {
    const p = ok(`.data /* block
comment */
s: .ascii "a#b" # comment
t: .byte 1; .byte 2 ; u: .byte 3`);
    expect(bytesOf(p, '.data')).toEqual([0x61, 0x23, 0x62, 1, 2, 3]);
    expect(p.symbols).toEqual({});
  });
});

describe('directives', () => {
  it('emits .byte .word .short .long .quad .ascii .asciz .string with escapes', () => {
    const p = ok(`.data
.byte 1, 255, -1
.word 0x1234
.short -2
.long 0x11223344
.quad 0x0102030405060708
.ascii "A\\tB"
.asciz "\\x41\\101"
.string "x", "y"
`);
    expect(bytesOf(p, '.data')).toEqual([
      1, 255, 255, 0x34, 0x12, 0xfe, 0xff, 0x44, 0x33, 0x22, 0x11, 8, 7, 6, 5, 4, 3, 2, 1,
      0x41, 9, 0x42, 0x41, 0x41, 0, 0x78, 0, 0x79, 0,
    ]);
  });

  it('reserves with .zero .space .skip and .fill, and aligns with .align .balign .p2align', () => {
    const p = ok(`.data
a: .byte 1
.align 4
b: .byte 2
.balign 8, 0xcc
c: .zero 2
.p2align 2
d: .space 3, 7
e: .skip 1
f: .fill 2, 2, 0x0102
`);
    const base = seg(p, '.data').addr;
    expect(bytesOf(p, '.data')).toEqual([1, 0, 0, 0, 2, 0xcc, 0xcc, 0xcc, 0, 0, 0, 0, 7, 7, 7, 0, 2, 1, 2, 1]);
    void base;
  });

  it('puts .text, .rodata, .data and .bss on their own pages at i386 addresses', () => {
    const p = ok(`.text
.globl _start, v, w, z
_start: nop
.section .rodata
v: .long 1
.data
w: .long 2
.bss
z: .space 8
.section .note.GNU-stack,"",@progbits
`);
    expect(p.segments.map((s) => [s.name, s.addr.toString(16), s.size, s.prot])).toEqual([
      ['.text', '8048000', 1, 5], ['.rodata', '8049000', 4, 1], ['.data', '804a000', 4, 3], ['.bss', '804b000', 8, 3],
    ]);
    expect(p.symbols).toEqual({ _start: 0x8048000, v: 0x8049000, w: 0x804a000, z: 0x804b000 });
    expect(p.entry).toBe(0x8048000);
  });

  it('starts x86_64 programs at 0x401000', () => {
    const p = ok('.globl _start\n_start: syscall', 'x86_64');
    expect(p.entry).toBe(0x401000);
  });

  it('resolves .equ, .set, `sym = expr` and `.` (len = . - msg)', () => {
    const p = ok(`.data
msg: .ascii "hello"
len = . - msg
.equ TWICE, len * 2
.set BASE, msg + 1
.long len, TWICE, BASE, here
here:
`);
    const dv = new DataView(seg(p, '.data').bytes.buffer);
    const base = seg(p, '.data').addr;
    expect([0, 4, 8, 12].map((o) => dv.getUint32(5 + o, true))).toEqual([5, 10, base + 1, base + 21]);
  });

  it('resolves labels in instructions: immediates, displacements and branch targets', () => {
    const p = ok(`.globl _start
_start:
    movl $msg, %ecx
    movl msg+4, %eax
    jmp 1f
    nop
1:  call _start
.data
msg: .long 1, 2
`);
    const data = seg(p, '.data').addr;
    expect(p.insns.map((i) => i.vals)).toEqual([[BigInt(data), 0n], [BigInt(data + 4), 0n], [BigInt(p.insns[4]!.addr)], [], [0x8048000n]]);
    // Addresses follow x86 encoding lengths (mov imm32 to reg: 5 bytes, jmp rel32: 5, nop: 1).
    expect(p.insns.map((i) => i.addr - 0x8048000)).toEqual([0, 5, 10, 15, 16]);
  });

  it('numbers local labels per definition (1b, 1f)', () => {
    const p = ok(`.globl _start
_start:
1:  nop
    jmp 1b
1:  nop
    jmp 1b
    jmp 1f
1:  nop
`);
    const addr = p.insns.map((i) => i.addr);
    expect(p.insns.filter((i) => i.op === 'jmp').map((i) => Number(i.vals[0]))).toEqual([addr[0], addr[2], addr[5]]);
  });
});

describe('sizes and checks', () => {
  it('takes the size from the suffix or the registers', () => {
    const p = ok(`.globl _start
_start:
    movb $1, (%eax)
    movw %ax, %bx
    mov %ecx, %edx
    addl $1, 4(%esp)
    movzbl (%esi), %eax
    movswl %ax, %ecx
    shll %cl, %eax
    pushl $1
    push %eax
`);
    expect(p.insns.map((i) => [i.op, i.w])).toEqual([
      ['mov', 1], ['mov', 2], ['mov', 4], ['add', 4], ['movzx', 4], ['movsx', 4], ['shl', 4], ['push', 4], ['push', 4],
    ]);
  });
});

describe('errors, as gas and ld print them', () => {
  it('no such instruction', () => {
    expect(messages('.text\n_start:\n    movx $4, %eax\n')).toEqual(['t.s: Assembler messages:', "t.s:3: Error: no such instruction: 'movx $4,%eax'"]);
  });

  it('bad registers, x86_64 registers on i386, and suffix/register mismatches', () => {
    expect(messages('movl $1, %exx\nmovl $1, %rax\nmovl %ax, %ebx\nmovq $1, %rax\n').slice(1)).toEqual([
      "t.s:1: Error: bad register name '%exx'",
      "t.s:2: Error: bad register name '%rax'",
      "t.s:3: Error: incorrect register '%ax' used with 'l' suffix",
      "t.s:4: Error: bad register name '%rax'",
    ]);
  });

  it('operand mismatches, operand counts and unsized operands', () => {
    expect(messages('mov %eax, $1\nadd %eax\nmov $1, (%eax)\nmov (%eax), (%ebx)\nlea %eax, %ebx\npushl %eax\n', 'x86_64').slice(1)).toEqual([
      "t.s:1: Error: operand type mismatch for 'mov'",
      "t.s:2: Error: number of operands mismatch for 'add'",
      "t.s:3: Error: no instruction mnemonic suffix given and no register operands; can't size 'mov'",
      "t.s:4: Error: operand type mismatch for 'mov'",
      "t.s:5: Error: operand type mismatch for 'lea'",
      "t.s:6: Error: invalid instruction suffix for 'push'",
    ]);
  });

  it('directive errors: unknown pseudo-op, redefinition, bad strings, non-constant sizes, .bss data', () => {
    expect(messages('.foo 1\na:\na:\n.ascii hello\n.data\nx: .space y\n.bss\n.byte 1\n').slice(1)).toEqual([
      "t.s:1: Error: unknown pseudo-op: '.foo'",
      "t.s:3: Error: symbol 'a' is already defined",
      't.s:4: Error: expected string',
      't.s:6: Error: .space size must be an absolute expression',
      "t.s:8: Error: attempt to store non-zero value in section '.bss'",
    ]);
  });

  it('undefined references and a missing _start, as ld reports them', () => {
    const r = assemble([{ path: 't.s', text: 'main:\n  call nowhere\n  movl $nothere, %eax\n' }], 'i386');
    expect(r.failed).toBe(true);
    expect(r.messages).toEqual([
      "ld: t.s:(.text+0x0): undefined reference to 'nowhere'",
      "ld: t.s:(.text+0x5): undefined reference to 'nothere'",
      'ld: warning: cannot find entry symbol _start; defaulting to 08048000',
    ]);
  });

  it('links several files: globals are shared, other labels stay private', () => {
    const r = assemble([
      { path: 'a.s', text: '.globl _start\n_start: call helper\nlocal: nop\n' },
      { path: 'b.s', text: '.globl helper\nhelper: ret\nlocal: nop\n' },
    ], 'i386');
    expect(r.messages).toEqual([]);
    expect(r.program!.symbols).toEqual({ _start: 0x8048000, helper: 0x8048006 });
    const dup = assemble([{ path: 'a.s', text: '.globl f\nf: nop\n' }, { path: 'b.s', text: '.globl f\nf: nop\n' }], 'i386');
    expect(dup.messages).toContain("ld: b.s: multiple definition of 'f'; a.s: first defined here");
  });
});
