/* host-shim.c: lets the host gcc build and run ksim's libc natively on Linux x86_64, so the libc can
 * be tested before ksim's own compiler exists. It supplies what ksim's compiler and kernel provide:
 * the __syscallN builtins (here: the `syscall` instruction), an entry point that hands %rsp to the
 * libc's _start(long *sp), and the signal restorer (a C function cannot be one on real Linux: its
 * prologue would move %rsp off the signal frame). Only for gcc with -DKSIM_HOST_TEST. */
#if defined(__GNUC__) && defined(KSIM_HOST_TEST) && defined(__x86_64__)

long __syscall6(long nr, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

long __syscall0(long nr) { return __syscall6(nr, 0, 0, 0, 0, 0, 0); }
long __syscall1(long nr, long a) { return __syscall6(nr, a, 0, 0, 0, 0, 0); }
long __syscall2(long nr, long a, long b) { return __syscall6(nr, a, b, 0, 0, 0, 0); }
long __syscall3(long nr, long a, long b, long c) { return __syscall6(nr, a, b, c, 0, 0, 0); }
long __syscall4(long nr, long a, long b, long c, long d) { return __syscall6(nr, a, b, c, d, 0, 0); }
long __syscall5(long nr, long a, long b, long c, long d, long e) { return __syscall6(nr, a, b, c, d, e, 0); }

/* Entry: %rsp points at argc. Pass it on, with the stack aligned as a call expects. */
__asm__(".text\n"
        ".globl __host_start\n"
        "__host_start:\n"
        "  xor %rbp, %rbp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call _start\n"
        "  hlt\n");

/* Signal return: the kernel's frame is at %rsp when the handler returns here. */
__asm__(".text\n"
        ".globl __ksim_sigreturn\n"
        "__ksim_sigreturn:\n"
        "  mov $15, %eax\n"
        "  syscall\n"
        "  hlt\n");

#endif
