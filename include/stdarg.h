/* stdarg.h: variadic arguments. ksim's cc and gcc both provide these builtins under the same names;
 * on ksim a va_list is a pointer to the caller's 8-byte argument slots (docs/runtime-abi.md). */
#ifndef _STDARG_H
#define _STDARG_H

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(dst, src) __builtin_va_copy(dst, src)
#endif
