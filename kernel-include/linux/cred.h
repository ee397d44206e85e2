/* Credentials: current_uid() and friends, with the kernel's kuid_t wrappers. */
#ifndef _LINUX_CRED_H
#define _LINUX_CRED_H
#include <linux/types.h>
typedef struct { uid_t val; } kuid_t;
typedef struct { gid_t val; } kgid_t;
struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
	kuid_t fsuid;
	kgid_t fsgid;
};
#define __kuid_val(u) ((u).val)
#define __kgid_val(g) ((g).val)
#define from_kuid(ns, u) __kuid_val(u)
#define from_kgid(ns, g) __kgid_val(g)
#define from_kuid_munged(ns, u) __kuid_val(u)
#define uid_eq(a, b) (__kuid_val(a) == __kuid_val(b))
#define GLOBAL_ROOT_UID ((kuid_t){ 0 })
#define current_cred() (get_current()->cred)
#define current_uid() (current_cred()->uid)
#define current_gid() (current_cred()->gid)
#define current_euid() (current_cred()->euid)
#define current_egid() (current_cred()->egid)
#define current_user_ns() ((void *)0)
#endif
