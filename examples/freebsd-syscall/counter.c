/* A FreeBSD syscall in a loadable module: counter_add(n) adds n to a kernel counter and returns the
 * new total. SYSCALL_MODULE installs it in sysent[] at load and restores the slot at unload. */
#include <sys/param.h>
#include <sys/module.h>
#include <sys/kernel.h>
#include <sys/systm.h>
#include <sys/sysent.h>
#include <sys/sysproto.h>
#include <sys/proc.h>

struct counter_add_args {
	long n;
};

static long total;

static int
counter_add(struct thread *td, struct counter_add_args *uap)
{
	if (uap->n < 0)
		return (EINVAL);
	total += uap->n;
	printf("counter_add: +%ld = %ld (pid %d)\n", uap->n, total, td->td_proc->p_pid);
	td->td_retval[0] = total;
	return (0);
}

static struct sysent counter_sysent = {
	.sy_narg = 1,
	.sy_call = (sy_call_t *)counter_add,
};

static int offset = 211;

static int
counter_load(struct module *m, int what, void *arg)
{
	switch (what) {
	case MOD_LOAD:
		printf("counter loaded at %d\n", offset);
		return (0);
	case MOD_UNLOAD:
		printf("counter unloaded\n");
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

SYSCALL_MODULE(counter, &offset, &counter_sysent, counter_load, NULL);
