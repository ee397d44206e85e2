/* sys/lock.h: the lock object every FreeBSD lock starts with, and the lock assertion bits. */
#ifndef _SYS_LOCK_H_
#define _SYS_LOCK_H_
#include <sys/types.h>
struct lock_object {
	const char *lo_name;
	u_int lo_flags;
	u_int lo_data;
	void *lo_witness;
};
#define LA_MASK 0x000000ff
#define LA_UNLOCKED 0x00000000
#define LA_LOCKED 0x00000001
#define LA_SLOCKED 0x00000002
#define LA_XLOCKED 0x00000004
#define LA_RECURSED 0x00000008
#define LA_NOTRECURSED 0x00000010
#endif
