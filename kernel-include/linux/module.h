/* Module metadata macros: accepted and ignored for code built into the kernel. */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H
#include <linux/kernel.h>
#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_VERSION(x)
#define EXPORT_SYMBOL(x)
#define EXPORT_SYMBOL_GPL(x)
#endif
