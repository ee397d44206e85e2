/* sys/mutex.h: mtx(9). The kernel checks mutexes as a WITNESS + INVARIANTS kernel does
 * (src/kernel/freebsd/locks.ts): returning to user space with one held panics (witness_warn),
 * locking a non-recursive mutex twice panics ("recursed on non-recursive mutex"), unlocking one not
 * held panics (witness_unlock). */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_
#include <sys/types.h>
#include <sys/lock.h>
struct mtx {
	struct lock_object lock_object;
	volatile uintptr_t mtx_lock;
};
#define MTX_DEF 0x00000000
#define MTX_SPIN 0x00000001
#define MTX_RECURSE 0x00000004
#define MTX_NOWITNESS 0x00000008
#define MTX_NOPROFILE 0x00000020
#define MTX_DUPOK 0x00000040
#define MTX_NEW 0x00000100
#define MA_OWNED LA_XLOCKED
#define MA_NOTOWNED LA_UNLOCKED
#define MA_RECURSED LA_RECURSED
#define MA_NOTRECURSED LA_NOTRECURSED
void mtx_init(struct mtx *m, const char *name, const char *type, int opts);
void mtx_destroy(struct mtx *m);
void __ksim_mtx_lock(struct mtx *m, int opts, const char *file, int line);
int __ksim_mtx_trylock(struct mtx *m, int opts, const char *file, int line);
void __ksim_mtx_unlock(struct mtx *m, int opts, const char *file, int line);
int mtx_owned(struct mtx *m);
#define mtx_lock(m) __ksim_mtx_lock((m), 0, __FILE__, __LINE__)
#define mtx_lock_flags(m, opts) __ksim_mtx_lock((m), (opts), __FILE__, __LINE__)
#define mtx_lock_spin(m) __ksim_mtx_lock((m), 0, __FILE__, __LINE__)
#define mtx_trylock(m) __ksim_mtx_trylock((m), 0, __FILE__, __LINE__)
#define mtx_unlock(m) __ksim_mtx_unlock((m), 0, __FILE__, __LINE__)
#define mtx_unlock_flags(m, opts) __ksim_mtx_unlock((m), (opts), __FILE__, __LINE__)
#define mtx_unlock_spin(m) __ksim_mtx_unlock((m), 0, __FILE__, __LINE__)
#define mtx_initialized(m) ((m)->lock_object.lo_name != 0)
#endif
