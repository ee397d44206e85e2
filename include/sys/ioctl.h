/* sys/ioctl.h: ioctl and the terminal requests libc uses, Linux's or FreeBSD's. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#ifdef __linux__
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define FIONREAD 0x541B
#define FIONBIO 0x5421
#endif
#ifdef __FreeBSD__
#define TIOCGETA 0x402c7413
#define TIOCGWINSZ 0x40087468
#define TIOCSWINSZ 0x80087467
#define FIONREAD 0x4004667f
#define FIONBIO 0x8004667e
#endif

struct winsize {
  unsigned short ws_row;
  unsigned short ws_col;
  unsigned short ws_xpixel;
  unsigned short ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);
#endif
