/* sys/priv.h: privilege checks. priv_check(td, PRIV_x) is 0 for root, EPERM otherwise. */
#ifndef _SYS_PRIV_H_
#define _SYS_PRIV_H_
struct thread;
#define PRIV_ROOT 1
#define PRIV_ACCT 2
#define PRIV_MAXFILES 3
#define PRIV_MAXPROC 4
#define PRIV_KTRACE 5
#define PRIV_SETDUMPER 6
#define PRIV_REBOOT 8
#define PRIV_KLD_LOAD 10
#define PRIV_KLD_UNLOAD 11
#define PRIV_VFS_ADMIN 331
int priv_check(struct thread *td, int priv);
#endif
