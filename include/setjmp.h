/* setjmp.h: not supported yet. setjmp/longjmp need the runtime to save and restore its frame
 * stack (compiled functions keep their frames outside the C stack), which it does not do yet. */
#ifndef _SETJMP_H
#define _SETJMP_H
#error "setjmp.h: setjmp and longjmp are not supported by ksim yet (they need runtime support)"
#endif
