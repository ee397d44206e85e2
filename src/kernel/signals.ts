// Linux signal numbers, names and default actions (signal(7)), and the wait-status encoding.

export const SIG = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20,
  TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29,
  PWR: 30, SYS: 31,
} as const;

export const NSIG = 64;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(SIG).map(([k, v]) => [v, `SIG${k}`]));

export function signalName(signo: number): string {
  if (NAMES[signo]) return NAMES[signo]!;
  if (signo >= 34 && signo <= 64) return signo === 34 ? 'SIGRTMIN' : `SIGRT_${signo - 34}`;
  return `SIG${signo}`;
}

export function signalNumber(name: string): number | undefined {
  const n = name.toUpperCase().replace(/^SIG/, '');
  return (SIG as Record<string, number>)[n];
}

export type DefaultAction = 'term' | 'core' | 'ign' | 'stop' | 'cont';

export function defaultAction(signo: number): DefaultAction {
  switch (signo) {
    case SIG.CHLD:
    case SIG.URG:
    case SIG.WINCH:
      return 'ign';
    case SIG.CONT:
      return 'cont';
    case SIG.STOP:
    case SIG.TSTP:
    case SIG.TTIN:
    case SIG.TTOU:
      return 'stop';
    case SIG.QUIT:
    case SIG.ILL:
    case SIG.TRAP:
    case SIG.ABRT:
    case SIG.BUS:
    case SIG.FPE:
    case SIG.SEGV:
    case SIG.XCPU:
    case SIG.XFSZ:
    case SIG.SYS:
      return 'core';
    default:
      return 'term';
  }
}

/** What a shell prints for a process killed by signo (bash's strsignal-like descriptions). */
export function signalDescription(signo: number): string {
  const d: Record<number, string> = {
    1: 'Hangup', 2: 'Interrupt', 3: 'Quit', 4: 'Illegal instruction', 5: 'Trace/breakpoint trap',
    6: 'Aborted', 7: 'Bus error', 8: 'Floating point exception', 9: 'Killed', 10: 'User defined signal 1',
    11: 'Segmentation fault', 12: 'User defined signal 2', 13: 'Broken pipe', 14: 'Alarm clock',
    15: 'Terminated', 16: 'Stack fault', 24: 'CPU time limit exceeded', 25: 'File size limit exceeded',
    26: 'Virtual timer expired', 27: 'Profiling timer expired', 29: 'I/O possible', 30: 'Power failure',
    31: 'Bad system call',
  };
  return d[signo] ?? `Unknown signal ${signo}`;
}

/** Wait status words as wait4 returns them. */
export function exitedStatus(code: number): number {
  return (code & 0xff) << 8;
}

export function signaledStatus(signo: number, core: boolean): number {
  return (signo & 0x7f) | (core ? 0x80 : 0);
}

export function sigbit(signo: number): bigint {
  return 1n << BigInt(signo - 1);
}

/** si_code values. */
export const SI = {
  USER: 0, KERNEL: 0x80, TKILL: -6,
  CLD_EXITED: 1, CLD_KILLED: 2, CLD_DUMPED: 3,
  SEGV_MAPERR: 1, SEGV_ACCERR: 2, FPE_INTDIV: 1, ILL_ILLOPN: 2,
} as const;
