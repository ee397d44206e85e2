/* BUG_ON stops the kernel path with an Oops; WARN_ON prints a warning and carries on. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H
void __ksim_bug(const char *file, int line);
int __ksim_warn(const char *file, int line, int cond);
#define BUG() __ksim_bug(__FILE__, __LINE__)
#define BUG_ON(cond) do { if (cond) __ksim_bug(__FILE__, __LINE__); } while (0)
#define WARN_ON(cond) __ksim_warn(__FILE__, __LINE__, !!(cond))
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define WARN(cond, fmt, ...) ({ int __w = !!(cond); if (__w) printk(KERN_WARNING fmt, ##__VA_ARGS__); __ksim_warn(__FILE__, __LINE__, __w); })
#define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))
#endif
