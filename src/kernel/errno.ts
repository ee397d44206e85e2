// Linux errno numbers as the kernel returns them (-E... from a handler). The texts and the
// FreeBSD numbers live with the tracers' decode tables; this is the kernel's own short list.
export const E = {
  PERM: 1, NOENT: 2, SRCH: 3, INTR: 4, IO: 5, NXIO: 6, '2BIG': 7, NOEXEC: 8, BADF: 9, CHILD: 10,
  AGAIN: 11, NOMEM: 12, ACCES: 13, FAULT: 14, NOTBLK: 15, BUSY: 16, EXIST: 17, XDEV: 18, NODEV: 19,
  NOTDIR: 20, ISDIR: 21, INVAL: 22, NFILE: 23, MFILE: 24, NOTTY: 25, TXTBSY: 26, FBIG: 27, NOSPC: 28,
  SPIPE: 29, ROFS: 30, MLINK: 31, PIPE: 32, DOM: 33, RANGE: 34, DEADLK: 35, NAMETOOLONG: 36,
  NOLCK: 37, NOSYS: 38, NOTEMPTY: 39, LOOP: 40, NOMSG: 42, IDRM: 43, NOTSUP: 95, OPNOTSUPP: 95,
  NOTSOCK: 88, DESTADDRREQ: 89, MSGSIZE: 90, PROTOTYPE: 91, NOPROTOOPT: 92, PROTONOSUPPORT: 93,
  AFNOSUPPORT: 97, ADDRINUSE: 98, NETUNREACH: 101, CONNREFUSED: 111, TIMEDOUT: 110,
  OVERFLOW: 75, ILSEQ: 84, NOTCAPABLE: 93, CANCELED: 125,
  /** Kernel-internal: restart the call after the signal handler when SA_RESTART is set. */
  RESTARTSYS: 512,
  RESTARTNOINTR: 513,
  RESTARTNOHAND: 514,
  RESTART_RESTARTBLOCK: 516,
} as const;

export type ErrnoName = keyof typeof E;

/** A handler may throw this to fail with -errno; dispatch catches it. */
export class Errno extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
    this.name = 'Errno';
  }
}
