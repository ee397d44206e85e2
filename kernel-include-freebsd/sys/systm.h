/* sys/systm.h: the kernel's everyday functions — printf(9), uprintf, log, copyin(9) and friends,
 * fubyte/subyte/fuword/suword, bzero, bcopy, panic — and the string functions. On ksim they are
 * the kernel API, implemented by the emulator (src/kernel/freebsd/kernel.ts). */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_
#include <sys/types.h>
#include <sys/errno.h>
int printf(const char *fmt, ...);
int uprintf(const char *fmt, ...);
void log(int level, const char *fmt, ...);
int copyin(const void *udaddr, void *kaddr, size_t len);
int copyout(const void *kaddr, void *udaddr, size_t len);
int copyinstr(const void *udaddr, void *kaddr, size_t len, size_t *lencopied);
int fubyte(const void *base);
int subyte(void *base, int byte);
long fuword(const void *base);
int suword(void *base, long word);
int fuword32(const void *base);
int suword32(void *base, int word);
void bzero(void *buf, size_t len);
void bcopy(const void *from, void *to, size_t len);
void *memset(void *b, int c, size_t len);
void *memcpy(void *to, const void *from, size_t len);
void *memmove(void *dest, const void *src, size_t n);
int memcmp(const void *b1, const void *b2, size_t len);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *s1, const char *s2);
int strncmp(const char *s1, const char *s2, size_t len);
char *strcpy(char *to, const char *from);
char *strncpy(char *to, const char *from, size_t len);
char *strchr(const char *s, int c);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int sprintf(char *buf, const char *fmt, ...);
size_t strlcpy(char *dst, const char *src, size_t size);
void __ksim_panic(const char *fmt, ...);
#define panic __ksim_panic
#define KASSERT(exp, msg) do { if (!(exp)) __ksim_panic("assertion failed: %s", #exp); } while (0)
#define MPASS(exp) KASSERT(exp, (#exp))
/* log(9) priorities */
#define LOG_EMERG 0
#define LOG_ALERT 1
#define LOG_CRIT 2
#define LOG_ERR 3
#define LOG_WARNING 4
#define LOG_NOTICE 5
#define LOG_INFO 6
#define LOG_DEBUG 7
#endif
