// Signal handlers in assembly programs: delivery builds Linux's signal frame on the user stack
// (return address, signal number, saved registers, eflags and eip), the handler's `ret` reaches
// the vDSO trampoline (i386) or sa_restorer (x86_64), which makes sigreturn / rt_sigreturn, and the
// kernel restores every register: the interrupted code goes on with its values and the call's result.
import { describe, expect, it } from 'vitest';
import { assembleInto, bootArch, run, type Arch } from '../i386/harness.js';

function runAsm(arch: Arch, source: string) {
  const b = bootArch(arch);
  assembleInto(b, '/work/prog', source);
  const r = run(b, ['/work/prog'], { trace: true });
  // strace's lines with the alignment padding before '=' squeezed to one space.
  return { ...r, lines: r.strace.replace(/ +=/g, ' =').split('\n') };
}

describe('signal handlers in i386 assembly', () => {
  it('runs a signal(2) handler and returns through __kernel_sigreturn with the registers restored', () => {
    const r = runAsm('i386', `
.data
caught: .ascii "caught\\n"
back:   .ascii "back\\n"
signo:  .long 0
.text
handler:                      # the first instruction of .text: 0x8048000
    movl 4(%esp), %eax        # the signal number, the handler's argument
    movl %eax, signo
    movl $0, %esi             # clobbered here, restored by sigreturn
    movl $4, %eax
    movl $1, %ebx
    movl $caught, %ecx
    movl $7, %edx
    int $0x80
    ret
.globl _start
_start:
    movl $48, %eax            # signal(SIGUSR1, handler)
    movl $10, %ebx
    movl $handler, %ecx
    int $0x80
    movl $0x11223344, %esi
    movl $20, %eax            # getpid
    int $0x80
    movl %eax, %ebx
    movl $37, %eax            # kill(getpid(), SIGUSR1): the handler runs when kill returns
    movl $10, %ecx
    int $0x80
    cmpl $0, %eax             # kill's result, back in eax
    jne bad
    cmpl $0x11223344, %esi
    jne bad
    movl $4, %eax
    movl $1, %ebx
    movl $back, %ecx
    movl $5, %edx
    int $0x80
    movl $1, %eax
    movl signo, %ebx
    int $0x80
bad:
    movl $1, %eax
    movl $99, %ebx
    int $0x80
`);
    expect(r.stdout).toBe('caught\nback\n');
    expect(r.status).toBe(10);
    expect(r.lines.slice(1)).toEqual([
      'signal(SIGUSR1, 0x8048000) = 0',
      'getpid() = 100',
      'kill(100, SIGUSR1) = 0',
      '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=100, si_uid=0} ---',
      'write(1, "caught\\n", 7) = 7',
      'sigreturn({mask=[]}) = 0',
      'write(1, "back\\n", 5) = 5',
      'exit(10) = ?',
      '+++ exited with 10 +++',
      '',
    ]);
  });

  it('gives an SA_SIGINFO handler the rt frame (siginfo, ucontext) and restarts an SA_RESTART read after rt_sigreturn', () => {
    const r = runAsm('i386', `
.data
sa:     .long handler, 0x10000004, 0, 0, 0   # SA_RESTART|SA_SIGINFO, no restorer: the vDSO's
fds:    .long 0, 0
buf:    .byte 0
x:      .ascii "x"
got:    .long 0
.text
handler:
    movl 8(%esp), %eax        # siginfo_t *
    movl (%eax), %ebx         # si_signo
    movl %ebx, got
    movl 12(%esp), %eax       # ucontext_t *: uc_mcontext.eip points back into the program
    cmpl $0x8048000, 76(%eax)
    jb bad
    movl $4, %eax             # write(fds[1], "x", 1): the restarted read gets it
    movl fds+4, %ebx
    movl $x, %ecx
    movl $1, %edx
    int $0x80
    ret
.globl _start
_start:
    movl $174, %eax           # rt_sigaction(SIGALRM, &sa, NULL, 8)
    movl $14, %ebx
    movl $sa, %ecx
    movl $0, %edx
    movl $8, %esi
    int $0x80
    movl $42, %eax            # pipe(fds)
    movl $fds, %ebx
    int $0x80
    movl $27, %eax            # alarm(1)
    movl $1, %ebx
    int $0x80
    movl $3, %eax             # read(fds[0], buf, 1): blocks until SIGALRM
    movl fds, %ebx
    movl $buf, %ecx
    movl $1, %edx
    int $0x80
    cmpl $1, %eax
    jne bad
    movl $4, %eax
    movl $1, %ebx
    movl $buf, %ecx
    movl $1, %edx
    int $0x80
    movl $1, %eax
    movl got, %ebx
    int $0x80
bad:
    movl $1, %eax
    movl $99, %ebx
    int $0x80
`);
    expect(r.stdout).toBe('x');
    expect(r.status).toBe(14);
    expect(r.lines.slice(1)).toEqual([
      'rt_sigaction(SIGALRM, {sa_handler=0x8048000, sa_mask=[], sa_flags=SA_SIGINFO|SA_RESTART}, NULL, 8) = 0',
      'pipe([3, 4]) = 0',
      'alarm(1) = 0',
      'read(3, 0x804901c, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)',
      '--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---',
      'write(4, "x", 1) = 1',
      'rt_sigreturn({mask=[]}) = 3',
      'read(3, "x", 1) = 1',
      'write(1, "x", 1) = 1',
      'exit(14) = ?',
      '+++ exited with 14 +++',
      '',
    ]);
  });
});

describe('sigaction(2) with an i386 old_sigaction', () => {
  it('keeps the handler for a second signal and returns through its own sa_restorer', () => {
    const r = runAsm('i386', `
.data
sa:     .long handler, 0, 0x04000000, restorer   # handler, mask, SA_RESTORER, restorer
msg:    .ascii "h\\n"
count:  .long 0
.text
handler:
    incl count
    movl $4, %eax
    movl $1, %ebx
    movl $msg, %ecx
    movl $2, %edx
    int $0x80
    ret
restorer:                     # what glibc's i386 __restore does
    popl %eax
    movl $119, %eax
    int $0x80
.globl _start
_start:
    movl $67, %eax            # sigaction(SIGUSR1, &sa, NULL)
    movl $10, %ebx
    movl $sa, %ecx
    movl $0, %edx
    int $0x80
    movl $20, %eax
    int $0x80
    movl %eax, %esi
    movl $37, %eax            # kill(getpid(), SIGUSR1), twice
    movl %esi, %ebx
    movl $10, %ecx
    int $0x80
    movl $37, %eax
    movl %esi, %ebx
    movl $10, %ecx
    int $0x80
    movl $1, %eax
    movl count, %ebx
    int $0x80
`);
    expect(r.stdout).toBe('h\nh\n');
    expect(r.status).toBe(2);
    expect(r.lines.slice(1, 3)).toEqual([
      `sigaction(SIGUSR1, {sa_handler=0x8048000, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x804801d}, NULL) = 0`, // restorer: 29 bytes past handler
      'getpid() = 100',
    ]);
    expect(r.lines.filter((l) => l.startsWith('sigreturn('))).toEqual(['sigreturn({mask=[]}) = 0', 'sigreturn({mask=[]}) = 0']);
  });
});

describe('a SIGSEGV handler in i386 assembly', () => {
  it('gets the faulting instruction as the saved eip and may exit from the handler', () => {
    const r = runAsm('i386', `
.data
ok:     .ascii "segv at the load\\n"
wrong:  .ascii "segv elsewhere\\n"
.text
handler:
    cmpl $load, 64(%esp)      # struct sigframe: sc at 8, sc.eip at 56
    jne 1f
    movl $ok, %ecx
    movl $17, %edx
    jmp 2f
1:  movl $wrong, %ecx
    movl $15, %edx
2:  movl $4, %eax
    movl $1, %ebx
    int $0x80
    movl $1, %eax
    movl $3, %ebx
    int $0x80
.globl _start
_start:
    movl $48, %eax            # signal(SIGSEGV, handler)
    movl $11, %ebx
    movl $handler, %ecx
    int $0x80
    movl $0x2000, %esi
load:
    movl (%esi), %eax         # an unmapped page
    movl $1, %eax
    movl $0, %ebx
    int $0x80
`);
    expect(r.stdout).toBe('segv at the load\n');
    expect(r.status).toBe(3);
    expect(r.lines.slice(1)).toEqual([
      'signal(SIGSEGV, 0x8048000) = 0',
      '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x2000} ---',
      'write(1, "segv at the load\\n", 17) = 17',
      'exit(3) = ?',
      '+++ exited with 3 +++',
      '',
    ]);
  });
});

describe('signal handlers in x86_64 assembly', () => {
  const program = (flags: string) => `
.data
sa:     .quad handler, ${flags}, restorer, 0   # struct sigaction: handler, flags, restorer, mask
msg:    .ascii "in handler\\n"
got:    .quad 0
.text
handler:
    movq %rdi, got(%rip)      # the signal number (first argument)
    movq $0, %rbx             # clobbered here, restored by rt_sigreturn
    movq $1, %rax
    movq $1, %rdi
    leaq msg(%rip), %rsi
    movq $11, %rdx
    syscall
    ret
restorer:                     # what libc's __restore_rt does
    movq $15, %rax
    syscall
.globl _start
_start:
    movq $13, %rax            # rt_sigaction(SIGUSR2, &sa, NULL, 8)
    movq $12, %rdi
    leaq sa(%rip), %rsi
    movq $0, %rdx
    movq $8, %r10
    syscall
    movq $0x1122334455, %rbx
    movq $39, %rax            # getpid
    syscall
    movq %rax, %rdi
    movq $62, %rax            # kill(getpid(), SIGUSR2)
    movq $12, %rsi
    syscall
    movq $0x1122334455, %rcx
    cmpq %rcx, %rbx
    jne bad
    movq $60, %rax
    movq got(%rip), %rdi
    syscall
bad:
    movq $60, %rax
    movq $99, %rdi
    syscall
`;

  it('runs the handler and returns through sa_restorer and rt_sigreturn', () => {
    const r = runAsm('x86_64', program('0x04000000'));
    expect(r.stdout).toBe('in handler\n');
    expect(r.status).toBe(12);
    expect(r.lines.slice(1)).toEqual([
      'rt_sigaction(SIGUSR2, {sa_handler=0x401000, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x401031}, NULL, 8) = 0',
      'getpid() = 100',
      'kill(100, SIGUSR2) = 0',
      '--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_USER, si_pid=100, si_uid=0} ---',
      'write(1, "in handler\\n", 11) = 11',
      'rt_sigreturn({mask=[]}) = 0',
      'exit(12) = ?',
      '+++ exited with 12 +++',
      '',
    ]);
  });

  it('kills with SIGSEGV without SA_RESTORER, as x86_64 Linux does', () => {
    const r = runAsm('x86_64', program('0'));
    expect(r.stdout).toBe('');
    expect(r.status).toBe(128 + 11);
    expect(r.lines.slice(-3)).toEqual(['--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_USER, si_pid=100, si_uid=0} ---', '+++ killed by SIGSEGV (core dumped) +++', '']);
  });
});
