/* Spinlocks: DEFINE_SPINLOCK/spin_lock_init, spin_lock/spin_trylock/spin_unlock and the _irq,
 * _irqsave and _bh forms (ksim has no interrupts: they lock the same way). Owners are tracked as
 * lockdep does (src/kernel/kc/locks.ts); taking a spinlock twice spins forever (soft lockup). */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H
#include <linux/types.h>
typedef struct spinlock {
	long owner;
	const char *name;
} spinlock_t;
#define __SPIN_LOCK_UNLOCKED(lockname) { 0, #lockname }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
void __ksim_spin_lock_init(spinlock_t *lock, const char *name);
#define spin_lock_init(lock) __ksim_spin_lock_init((lock), #lock)
void spin_lock(spinlock_t *lock);
int spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
int spin_is_locked(spinlock_t *lock);
#define spin_lock_irq(lock) spin_lock(lock)
#define spin_unlock_irq(lock) spin_unlock(lock)
#define spin_lock_bh(lock) spin_lock(lock)
#define spin_unlock_bh(lock) spin_unlock(lock)
#define spin_lock_irqsave(lock, flags) do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) do { (void)(flags); spin_unlock(lock); } while (0)
#endif
