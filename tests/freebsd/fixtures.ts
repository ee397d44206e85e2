// FreeBSD test fixtures shared by several test files: a module that takes sysent[211] for a
// syscall tripling its argument (MOD_LOAD prints "triple at 211", MOD_UNLOAD restores the slot and
// prints "triple gone"), a program that calls 211 with 14 and prints the result, and the
// freebsd-static tutorial's syscall: its syscalls.master row (600) and its sys/ C source.
export const TRIPLE_MODULE = `#include <sys/param.h>
#include <sys/module.h>
#include <sys/kernel.h>
#include <sys/systm.h>
#include <sys/sysent.h>
#include <sys/proc.h>

struct triple_args { long value; };
static int triple(struct thread *td, struct triple_args *uap) {
	td->td_retval[0] = uap->value * 3;
	return (0);
}
static struct sysent saved;
static struct sysent mine = { .sy_narg = 1, .sy_call = (sy_call_t *)triple, .sy_flags = SYF_CAPENABLED, .sy_thrcnt = SY_THR_STATIC };
static int handler(module_t mod, int event, void *arg) {
	switch (event) {
	case MOD_LOAD:
		saved = sysent[211];
		if (saved.sy_call != lkmnosys)
			return (EEXIST);
		sysent[211] = mine;
		printf("triple at 211\\n");
		return (0);
	case MOD_UNLOAD:
		sysent[211] = saved;
		printf("triple gone\\n");
		return (0);
	}
	return (EOPNOTSUPP);
}
static moduledata_t triple_mod = { "triple", handler, NULL };
DECLARE_MODULE(triple, triple_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
`;

export const CALL211 = `#include <stdio.h>
#include <unistd.h>
int main(void) { printf("%ld\\n", syscall(211, 14)); return 0; }
`;

export const STATIC_ROW = `600\tAUE_NULL\tSTD {
\t\tint my_custom_syscall(
\t\t    int value,
\t\t    char *message
\t\t);
\t}
`;

export const STATIC_SOURCE = `#include <sys/param.h>
#include <sys/systm.h>
#include <sys/sysproto.h>
#include <sys/kernel.h>
#include <sys/proc.h>

int
sys_my_custom_syscall(struct thread *td, struct my_custom_syscall_args *uap)
{
\tchar msg[256];
\tint error;

\terror = copyinstr(uap->message, msg, sizeof(msg), NULL);
\tif (error)
\t\treturn (error);
\tprintf("my_custom_syscall: value=%d, message='%s'\\n", uap->value, msg);
\ttd->td_retval[0] = uap->value * 3;
\treturn (0);
}
`;
