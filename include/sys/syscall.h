/* sys/syscall.h: SYS_name for every syscall of the machine ksim is emulating, custom rows included.
 * The list comes from <ksim/syscall_numbers.h>, which the kernel build generates per machine. */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H
#include <ksim/syscall_numbers.h>
#endif
