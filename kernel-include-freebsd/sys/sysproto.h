/* sys/sysproto.h: without a machine (ksim make outside one), only nosys_args. `ksim build` and
 * `ksim make` on a machine generate the full header from its sys/kern/syscalls.master, which is
 * found before this one. */
#ifndef _SYS_SYSPROTO_H_
#define _SYS_SYSPROTO_H_
#include <sys/types.h>
struct thread;
struct nosys_args { register_t dummy; };
#endif
