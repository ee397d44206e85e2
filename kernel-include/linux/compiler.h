/* Annotations the kernel's sparse checker reads; they compile to nothing here. */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H
#define __user
#define __kernel
#define __iomem
#define __force
#define __must_check
#define __init
#define __exit
#define __read_mostly
#define __always_inline inline
#define noinline
#define notrace
#define asmlinkage
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (x)
#define WRITE_ONCE(x, v) ((x) = (v))
#define barrier() do { } while (0)
#endif
