/* sys/sx.h: shared/exclusive locks, sx(9), checked like mtx(9) (see sys/mutex.h). */
#ifndef _SYS_SX_H_
#define _SYS_SX_H_
#include <sys/types.h>
#include <sys/lock.h>
struct sx {
	struct lock_object lock_object;
	volatile uintptr_t sx_lock;
};
#define SX_DUPOK 0x01
#define SX_NOWITNESS 0x02
#define SX_NOPROFILE 0x04
#define SX_RECURSE 0x08
#define SX_QUIET 0x10
#define SX_NOADAPTIVE 0x20
#define SX_NEW 0x40
void sx_init_flags(struct sx *sx, const char *description, int opts);
#define sx_init(sx, description) sx_init_flags((sx), (description), 0)
void sx_destroy(struct sx *sx);
int __ksim_sx_xlock(struct sx *sx, const char *file, int line);
int __ksim_sx_slock(struct sx *sx, const char *file, int line);
void __ksim_sx_unlock(struct sx *sx, const char *file, int line);
int sx_xlocked(struct sx *sx);
#define sx_xlock(sx) ((void)__ksim_sx_xlock((sx), __FILE__, __LINE__))
#define sx_slock(sx) ((void)__ksim_sx_slock((sx), __FILE__, __LINE__))
#define sx_xunlock(sx) __ksim_sx_unlock((sx), __FILE__, __LINE__)
#define sx_sunlock(sx) __ksim_sx_unlock((sx), __FILE__, __LINE__)
#define sx_unlock(sx) __ksim_sx_unlock((sx), __FILE__, __LINE__)
#endif
