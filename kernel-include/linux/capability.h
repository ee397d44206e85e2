/* capable(): whether the current task holds a capability (root holds them all). */
#ifndef _LINUX_CAPABILITY_H
#define _LINUX_CAPABILITY_H
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_KILL 5
#define CAP_SETUID 7
#define CAP_NET_ADMIN 12
#define CAP_SYS_MODULE 16
#define CAP_SYS_PTRACE 19
#define CAP_SYS_ADMIN 21
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_SYS_TIME 25
int capable(int cap);
#endif
