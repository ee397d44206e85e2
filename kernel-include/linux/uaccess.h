/* The only way kernel C may touch user memory: checked copies that fail with -EFAULT. */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H
#include <linux/types.h>
long strncpy_from_user(char *dst, const char __user *src, long count);
long strnlen_user(const char __user *str, long n);
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
int __ksim_get_user(void *dst, const void __user *src, unsigned long size);
int __ksim_put_user(const void *src, void __user *dst, unsigned long size);
int access_ok(const void __user *addr, unsigned long size);
#define get_user(x, ptr) __ksim_get_user(&(x), (ptr), sizeof(*(ptr)))
#define put_user(x, ptr) ({ __typeof__(*(ptr)) __pu_val = (x); __ksim_put_user(&__pu_val, (ptr), sizeof(*(ptr))); })
#endif
