/* stdnoreturn.h: the C11 noreturn spelling. */
#ifndef _STDNORETURN_H
#define _STDNORETURN_H
#define noreturn _Noreturn
#endif
