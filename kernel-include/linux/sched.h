/* The task of the current syscall: `current` (pid, comm, credentials). */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H
#include <linux/types.h>
#include <linux/cred.h>
#define TASK_COMM_LEN 16
struct task_struct {
	volatile long state;
	pid_t pid;
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	const struct cred *cred;
	const struct cred *real_cred;
	struct task_struct *real_parent;
	struct task_struct *parent;
};
struct task_struct *get_current(void);
#define current get_current()
pid_t task_pid_nr(struct task_struct *t);
pid_t task_tgid_vnr(struct task_struct *t);
char *get_task_comm(char *buf, struct task_struct *t);
void schedule(void);
int cond_resched(void);
#endif
