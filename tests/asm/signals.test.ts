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
});
