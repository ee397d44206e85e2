/* sys/proc.h: struct proc, struct thread and struct ucred as ksim lays them out (the fields kernel
 * code of the tutorials uses). td_retval[0] and [1] are the two return registers (rax, rdx). */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_
#include <sys/param.h>
struct ucred {
	u_int cr_ref;
	uid_t cr_uid;
	uid_t cr_ruid;
	uid_t cr_svuid;
	int cr_ngroups;
	gid_t cr_groups[NGROUPS];
	gid_t cr_rgid;
	gid_t cr_svgid;
};
struct proc {
	pid_t p_pid;
	int p_flag;
	struct ucred *p_ucred;
	char p_comm[MAXCOMLEN + 1];
	struct proc *p_pptr;
};
struct thread {
	struct proc *td_proc;
	struct ucred *td_ucred;
	lwpid_t td_tid;
	int td_errno;
	char td_name[MAXCOMLEN + 1];
	register_t td_retval[2];
};
struct thread *__ksim_curthread(void);
#define curthread (__ksim_curthread())
#define curproc (curthread->td_proc)
#endif
