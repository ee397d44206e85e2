/* setjmp.h: non-local jumps. setjmp is a macro over the compiler's __builtin_setjmp, which records
 * the calling frame and where it goes on (ksim's frames are not on the C stack, so the jmp_buf
 * holds the runtime's frame depth, base and continuation rather than registers); longjmp goes back
 * to it. As in glibc, setjmp does not save the signal mask, sigsetjmp(env, 1) does, and longjmp,
 * _longjmp and siglongjmp all restore it when it was saved. */
#ifndef _SETJMP_H
#define _SETJMP_H

typedef struct __jmp_buf_tag {
  long long __ksim_frame[8];
  int __mask_was_saved;
  unsigned char __saved_mask[128];
} jmp_buf[1];
typedef jmp_buf sigjmp_buf;

#define setjmp(env) __builtin_setjmp(env)
#define _setjmp(env) __builtin_setjmp(env)
#define sigsetjmp(env, savemask) (__ksim_sigsetjmp_mask((env), (savemask)), __builtin_setjmp(env))

int __ksim_sigsetjmp_mask(sigjmp_buf env, int savemask);

void longjmp(jmp_buf env, int val);
void _longjmp(jmp_buf env, int val);
void siglongjmp(sigjmp_buf env, int val);

#endif
