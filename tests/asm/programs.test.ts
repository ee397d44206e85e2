// Assembly programs of our own, assembled by ksim's assembler and run on an i386 or x86_64
// machine through the kernel: system calls by int $0x80 and syscall, loops, calls and returns on
// the emulated stack, EFAULT from the kernel, faults that kill with a signal, and what strace shows.
import { describe, expect, it } from 'vitest';
import { assembleInto, bootArch, run, type Arch } from '../i386/harness.js';

function runAsm(arch: Arch, source: string, opts: { trace?: boolean; argv?: string[] } = {}) {
  const b = bootArch(arch);
  assembleInto(b, '/work/prog', source);
  const r = run(b, ['/work/prog', ...(opts.argv ?? [])], { trace: opts.trace });
  // strace's lines with the alignment padding before '=' squeezed to one space.
  return { ...r, lines: r.strace.replace(/ +=/g, ' =').split('\n') };
}

const HELLO_I386 = `
.data
msg:
    .ascii "Hello from i386\\n"
len = . - msg
.text
.globl _start
_start:
    movl $4, %eax        # write(1, msg, len)
    movl $1, %ebx
    movl $msg, %ecx
    movl $len, %edx
    int  $0x80
    movl $1, %eax        # exit(7)
    movl $7, %ebx
    int  $0x80
`;

describe('i386 assembly', () => {
  it('writes and exits through int $0x80', () => {
    const r = runAsm('i386', HELLO_I386, { trace: true });
    expect(r.stdout).toBe('Hello from i386\n');
    expect(r.status).toBe(7);
    expect(r.lines).toEqual([
      'execve("/work/prog", ["/work/prog"], 0xbf000098 /* 8 vars */) = 0',
      'write(1, "Hello from i386\\n", 16) = 16',
      'exit(7) = ?',
      '+++ exited with 7 +++',
      '',
    ]);
  });

  it('runs a loop: the sum 1..10 is the exit status', () => {
    const r = runAsm('i386', `
.globl _start
_start:
    xorl %eax, %eax
    movl $10, %ecx
1:  addl %ecx, %eax
    decl %ecx
    jnz 1b
    movl %eax, %ebx
    movl $1, %eax
    int $0x80
`);
    expect(r.status).toBe(55);
  });

  it('calls a recursive function that keeps its frames on the stack (5! = 120)', () => {
    const r = runAsm('i386', `
.text
.globl _start
_start:
    pushl $5
    call fact
    addl $4, %esp
    movl %eax, %ebx
    movl $1, %eax
    int $0x80

# int fact(int n): cdecl, argument at 8(%ebp)
fact:
    pushl %ebp
    movl %esp, %ebp
    movl 8(%ebp), %eax
    cmpl $1, %eax
    jle .Ldone
    decl %eax
    pushl %eax
    call fact
    addl $4, %esp
    imull 8(%ebp), %eax
.Ldone:
    leave
    ret
`);
    expect(r.status).toBe(120);
  });

  it('gets -EFAULT (-14) in eax for a bad pointer, shown by the exit status', () => {
    const r = runAsm('i386', `
.globl _start
_start:
    movl $4, %eax
    movl $1, %ebx
    movl $0x10, %ecx     # not mapped
    movl $5, %edx
    int $0x80
    negl %eax            # 14
    movl %eax, %ebx
    movl $1, %eax
    int $0x80
`, { trace: true });
    expect(r.status).toBe(14);
    expect(r.lines).toContain('write(1, 0x10, 5) = -1 EFAULT (Bad address)');
  });

  it('reads argc and argv from the initial stack', () => {
    const r = runAsm('i386', `
.globl _start
_start:
    movl (%esp), %ebx        # argc
    movl 8(%esp), %ecx       # argv[1]
    xorl %edx, %edx
2:  cmpb $0, (%ecx,%edx,1)   # strlen(argv[1])
    je 3f
    incl %edx
    jmp 2b
3:  movl $4, %eax
    pushl %ebx
    movl $1, %ebx
    int $0x80
    popl %ebx
    movl $1, %eax
    int $0x80
`, { argv: ['hello', 'x'] });
    expect(r.stdout).toBe('hello');
    expect(r.status).toBe(3);
  });

  it('dies of SIGSEGV on a load from an unmapped address', () => {
    const r = runAsm('i386', `
.globl _start
_start:
    movl 0, %eax
`);
    expect(r.signo).toBe(11);
    expect(r.status).toBe(139);
  });

  it('dies of SIGFPE on a division by zero', () => {
    const r = runAsm('i386', `
.globl _start
_start:
    movl $7, %eax
    xorl %edx, %edx
    xorl %ecx, %ecx
    divl %ecx
`);
    expect(r.signo).toBe(8);
  });

  it('dies of SIGSEGV when ret jumps to a value that is no code', () => {
    const r = runAsm('i386', `
.globl _start
_start:
    ret                 # pops argc (1): no instruction there
`);
    expect(r.signo).toBe(11);
  });

  it('computes with bytes, words, shifts, flags and memory in .bss', () => {
    const r = runAsm('i386', `
.bss
buf: .space 16
.text
.globl _start
_start:
    movl $buf, %edi
    movb $0x7f, (%edi)
    addb $1, (%edi)          # 0x80: overflow, sign
    jno bad
    js 1f
    jmp bad
1:  movw $0xffff, 2(%edi)
    addw $1, 2(%edi)         # carry out of 16 bits
    jnc bad
    movl $0x80000001, %eax
    shll $1, %eax            # CF = 1, eax = 2
    jnc bad
    sarl $1, %eax            # 1
    movl $-8, %ecx
    sarl $2, %ecx            # -2
    imull %ecx, %eax         # -2
    negl %eax                # 2
    movzbl (%edi), %edx      # 0x80
    movsbl (%edi), %esi      # -128
    addl %esi, %edx          # 0
    jnz bad
    leal 40(%eax,%eax,4), %ebx   # 40 + 2*5 = 50
    movl $1, %eax
    int $0x80
bad:
    movl $1, %eax
    movl $99, %ebx
    int $0x80
`);
    expect(r.status).toBe(50);
  });
});

describe('x86_64 assembly', () => {
  it('writes and exits through syscall', () => {
    const r = runAsm('x86_64', `
    .section .rodata
msg: .asciz "Hello from x86_64\\n"
    .text
    .global _start
_start:
    movq $1, %rax            # write(1, msg, 18)
    movq $1, %rdi
    leaq msg(%rip), %rsi
    movq $18, %rdx
    syscall
    movq %rax, %rdi          # exit_group(18)
    movq $231, %rax
    syscall
`, { trace: true });
    expect(r.stdout).toBe('Hello from x86_64\n');
    expect(r.status).toBe(18);
    expect(r.lines).toContain('write(1, "Hello from x86_64\\n", 18) = 18');
    expect(r.lines).toContain('exit_group(18) = ?');
  });

  it('does 64-bit arithmetic, calls and the stack (fib(20) mod 256)', () => {
    const r = runAsm('x86_64', `
.globl _start
_start:
    movq $20, %rdi
    call fib
    movq %rax, %rdi
    movl $60, %eax           # exit: 32-bit writes zero-extend
    syscall
fib:                         # iterative, 64-bit
    xorq %rax, %rax
    movq $1, %rcx
1:  testq %rdi, %rdi
    jz 2f
    movq %rax, %rdx
    addq %rcx, %rdx
    movq %rcx, %rax
    movq %rdx, %rcx
    decq %rdi
    jmp 1b
2:  ret
`);
    expect(r.status).toBe(6765 % 256);
  });

  it('keeps full 64-bit values (movabs, shifts, mul into rdx:rax)', () => {
    const r = runAsm('x86_64', `
.globl _start
_start:
    movabsq $0x123456789abcdef0, %rax
    movq %rax, %rbx
    shrq $60, %rbx            # 1
    movq $0x100000000, %rcx
    mulq %rcx                 # rdx = 0x12345678
    cmpq $0x12345678, %rdx
    jne 9f
    movq $-1, %r8
    addq $1, %r8              # 0, carry
    jnc 9f
    leaq 41(%rbx), %rdi       # 42
    movq $60, %rax
    syscall
9:  movq $60, %rax
    movq $1, %rdi
    syscall
`);
    expect(r.status).toBe(42);
  });
});
