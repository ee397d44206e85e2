/* sys/types.h: the POSIX types (pid_t, off_t, mode_t, ...). */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H
#include <ksim/types.h>
#endif
