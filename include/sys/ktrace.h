/* utrace(2): add a USER record to the process's ktrace file. FreeBSD has it as syscall 335; on
 * Linux machines ksim provides it as its own syscall ksim_utrace (number 1000). */
#ifndef _SYS_KTRACE_H
#define _SYS_KTRACE_H
#include <stddef.h>
#define KTR_USER_MAXLEN 2048
#ifdef __linux__
#define SYS_ksim_utrace 1000
#endif
int utrace(const void *addr, size_t len);
#endif
