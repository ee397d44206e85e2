/* Sleeping mutexes: DEFINE_MUTEX/mutex_init, mutex_lock/mutex_trylock/mutex_unlock. The kernel
 * (src/kernel/kc/locks.ts) tracks owners as lockdep does: a lock still held at the return to user
 * space, or taken twice by one task, gets lockdep's report; the second taker hangs (hung task). */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H
#include <linux/types.h>
struct mutex {
	long owner;
	const char *name;
};
#define __MUTEX_INITIALIZER(lockname) { 0, #lockname }
#define DEFINE_MUTEX(mutexname) struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)
void __ksim_mutex_init(struct mutex *lock, const char *name);
#define mutex_init(mutex) __ksim_mutex_init((mutex), #mutex)
#define mutex_destroy(mutex) ((void)(mutex))
void mutex_lock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
int mutex_is_locked(struct mutex *lock);
#endif
