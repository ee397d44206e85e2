/* sys/sysent.h: the system call table. sysent[] is real kernel memory at a fixed address: writing an entry changes
 * what that syscall number runs, at the next call. nosys answers SIGSYS + ENOSYS; lkmnosys marks
 * the slots left free for modules (210-219). */
#ifndef _SYS_SYSENT_H_
#define _SYS_SYSENT_H_
#include <sys/types.h>
struct thread;
typedef int sy_call_t(struct thread *, void *);
typedef void (*systrace_args_func_t)(int, void *, u_int64_t *, int *);
typedef u_int16_t au_event_t;
struct sysent {
	int sy_narg;
	sy_call_t *sy_call;
	au_event_t sy_auevent;
	systrace_args_func_t sy_systrace_args_func;
	u_int32_t sy_entry;
	u_int32_t sy_return;
	u_int32_t sy_flags;
	u_int32_t sy_thrcnt;
};
#define SYF_CAPENABLED 0x00000001
#define SY_THR_FLAGMASK 0x7
#define SY_THR_STATIC 0x1
#define SY_THR_DRAINING 0x2
#define SY_THR_ABSENT 0x4
#define SY_THR_INCR 0x8
#define AUE_NULL 0
#define NO_SYSCALL (-1)
/* The table and the two "no such call" functions at their fixed kernel addresses
 * (0xffffffff80c00000, 0xffffffff80e00000, 0xffffffff80e00010; src/kernel/freebsd/sysent.ts). */
static struct sysent *const sysent = (struct sysent *)-0x7f400000L;
static sy_call_t *const nosys = (sy_call_t *)-0x7f200000L;
static sy_call_t *const lkmnosys = (sy_call_t *)-0x7f1ffff0L;
int __ksim_syscall_register(int *offset, struct sysent *new_sysent, struct sysent *old_sysent, int flags);
int __ksim_syscall_deregister(int *offset, struct sysent *old_sysent);
#define syscall_register __ksim_syscall_register
#define syscall_deregister __ksim_syscall_deregister

/* SYSCALL_MODULE: a module whose job is one syscall at *offset (NO_SYSCALL: the first free slot). */
struct syscall_module_data {
	int (*chainevh)(struct module *, int, void *);
	void *chainarg;
	int *offset;
	struct sysent *new_sysent;
	struct sysent old_sysent;
	int flags;
};
static int syscall_module_handler(struct module *mod, int what, void *arg) {
	struct syscall_module_data *data = (struct syscall_module_data *)arg;
	int error = 0;
	switch (what) {
	case 0: /* MOD_LOAD */
		error = __ksim_syscall_register(data->offset, data->new_sysent, &data->old_sysent, data->flags);
		if (error)
			return error;
		if (data->chainevh)
			error = data->chainevh(mod, what, data->chainarg);
		return error;
	case 1: /* MOD_UNLOAD */
		if (data->chainevh) {
			error = data->chainevh(mod, what, data->chainarg);
			if (error)
				return error;
		}
		return __ksim_syscall_deregister(data->offset, &data->old_sysent);
	default:
		if (data->chainevh)
			return data->chainevh(mod, what, data->chainarg);
		return 0;
	}
}
#define SYSCALL_MODULE(name, offset, new_sysent, evh, arg) \
	static struct syscall_module_data name##_syscall_mod = { evh, arg, offset, new_sysent, { 0 }, 0 }; \
	static moduledata_t name##_mod = { #name, syscall_module_handler, &name##_syscall_mod }; \
	DECLARE_MODULE(name, name##_mod, SI_SUB_SYSCALLS, SI_ORDER_MIDDLE)
#define SYSCALL_INIT_HELPER(syscallname) { .sy_narg = (sizeof(struct syscallname##_args) / sizeof(register_t)), .sy_call = (sy_call_t *)&sys_##syscallname, .sy_auevent = AUE_NULL, .sy_flags = 0, .sy_thrcnt = SY_THR_STATIC }
#endif
