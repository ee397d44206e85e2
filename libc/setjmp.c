/* setjmp.c: longjmp and its aliases as functions (setjmp is a macro: it must record its caller's
 * own frame), and sigsetjmp's saving of the signal mask. __builtin_longjmp cuts the runtime's
 * frame stack back to the setjmp's frame. As in glibc, the three longjmps are one: each restores
 * the mask when sigsetjmp saved it. */
#include <setjmp.h>
#include <signal.h>

/* The host-gcc libc tests (tests/libc/libc.test.ts) build this libc with gcc, whose own
 * __builtin_longjmp is a different thing: there, this file is empty. setjmp is tested on ksim. */
#ifndef KSIM_HOST_TEST

int __ksim_sigsetjmp_mask(sigjmp_buf env, int savemask) {
  env->__mask_was_saved = savemask != 0;
  if (savemask) sigprocmask(SIG_BLOCK, (sigset_t *)0, (sigset_t *)env->__saved_mask);
  return 0;
}

void siglongjmp(sigjmp_buf env, int val) {
  if (env->__mask_was_saved) sigprocmask(SIG_SETMASK, (sigset_t *)env->__saved_mask, (sigset_t *)0);
  __builtin_longjmp(env, val);
}

void longjmp(jmp_buf env, int val) { siglongjmp(env, val); }
void _longjmp(jmp_buf env, int val) { siglongjmp(env, val); }

#endif
