// Character devices: /dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom (a seeded,
// reproducible generator when the machine has a seed), and the console behind /dev/console and
// /dev/tty with terminal ioctls (TCGETS, TCSETS*, TIOCGWINSZ, TIOCGPGRP...) that succeed only
// when the machine's console is a terminal (ENOTTY otherwise, as for a redirected stdout).
import type { Console } from '../console.js';
import { E, Errno } from '../errno.js';
import type { Int64 } from '../events.js';
import type { FileOps, OpenFile } from '../file.js';
import type { SyscallContext } from '../context.js';
import { makeDev } from './constants.js';
import { VFile, vnodeOf } from './vnode.js';

export const DEV_NULL = makeDev(1, 3);
export const DEV_ZERO = makeDev(1, 5);
export const DEV_FULL = makeDev(1, 7);
export const DEV_RANDOM = makeDev(1, 8);
export const DEV_URANDOM = makeDev(1, 9);
export const DEV_TTY = makeDev(5, 0);
export const DEV_CONSOLE = makeDev(5, 1);

export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const FIONREAD = 0x541b;
export const TIOCGSID = 0x5429;

/** The kernel's struct termios (not glibc's): 4 flag words, c_line, c_cc[19] = 36 bytes. */
export const TERMIOS_SIZE = 36;

function nodeStat(file: OpenFile) {
  const node = vnodeOf(file);
  if (!node) throw new Errno(E.BADF);
  return node.stat();
}

const ready = () => ({ readable: true, writable: true, hangup: false });

function simpleDevice(read: (len: number) => Uint8Array, write: (data: Uint8Array) => number): FileOps {
  return {
    read: (_ctx, _file, len) => read(len),
    write: (_ctx, _file, data) => write(data),
    pread: (_ctx, _file, len) => read(len),
    pwrite: (_ctx, _file, data) => write(data),
    lseek: (_ctx, file) => {
      file.pos = 0;
      return 0;
    },
    stat: nodeStat,
    poll: ready,
  };
}

/** mulberry32: a small, reproducible 32-bit generator for /dev/random with a seed. */
export function seededBytes(seed: number): (len: number) => Uint8Array {
  let s = seed >>> 0;
  return (len) => {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

function hostRandomBytes(len: number): Uint8Array {
  const out = new Uint8Array(len);
  const c = (globalThis as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
  for (let i = 0; i < len; i += 65536) {
    const part = out.subarray(i, Math.min(len, i + 65536));
    if (c) c.getRandomValues(part);
    else for (let j = 0; j < part.length; j++) part[j] = Math.floor(Math.random() * 256);
  }
  return out;
}

/** The terminal state shared by every open of the console. */
export class ConsoleTerminal {
  /** struct termios: a cooked terminal (ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD, ISIG|ICANON|ECHO...). */
  termios = Uint8Array.from([
    0x00, 0x05, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0xbf, 0x00, 0x00, 0x00, 0x3b, 0x8a, 0x00, 0x00, 0x00,
    0x03, 0x1c, 0x7f, 0x15, 0x04, 0x00, 0x01, 0x00, 0x11, 0x13, 0x1a, 0x00, 0x12, 0x0f, 0x17, 0x16, 0x00, 0x00, 0x00,
  ]);
  rows: number;
  cols: number;
  /** The foreground process group; undefined until someone sets it (then the caller's is reported). */
  foreground: number | undefined;

  constructor(readonly console: Console) {
    this.rows = console.rows;
    this.cols = console.cols;
  }

  ioctl(ctx: SyscallContext, request: number, arg: Int64): Int64 {
    if (!this.console.isTerminal) throw new Errno(E.NOTTY);
    switch (request) {
      case TCGETS:
        ctx.user.write(arg, this.termios);
        return 0;
      case TCSETS:
      case TCSETSW:
      case TCSETSF:
        this.termios = ctx.user.read(arg, TERMIOS_SIZE).slice();
        return 0;
      case TIOCGWINSZ: {
        const b = new Uint8Array(8);
        const v = new DataView(b.buffer);
        v.setUint16(0, this.rows, true);
        v.setUint16(2, this.cols, true);
        ctx.user.write(arg, b);
        return 0;
      }
      case TIOCSWINSZ: {
        const b = ctx.user.read(arg, 8);
        const v = new DataView(b.buffer, b.byteOffset);
        this.rows = v.getUint16(0, true);
        this.cols = v.getUint16(2, true);
        return 0;
      }
      case TIOCGPGRP:
        ctx.user.writeI32(arg, this.foreground ?? ctx.task.pgid);
        return 0;
      case TIOCSPGRP:
        this.foreground = ctx.user.readI32(arg);
        return 0;
      case TIOCGSID:
        ctx.user.writeI32(arg, ctx.task.sid);
        return 0;
      case FIONREAD:
        ctx.user.writeI32(arg, 0);
        return 0;
      default:
        throw new Errno(E.NOTTY);
    }
  }
}

/** FileOps of the console: reads take console input, writes go to the open's output stream. */
export function consoleOps(term: ConsoleTerminal): FileOps {
  const con = term.console;
  return {
    read: (_ctx, _file, len) => con.read(len),
    write: (_ctx, file, data) => {
      const stream = file.priv instanceof VFile ? file.priv.stream : 1;
      con.write(stream, data);
      return data.length;
    },
    ioctl: (ctx, _file, request, arg) => term.ioctl(ctx, request, arg),
    stat: nodeStat,
    poll: ready,
    get isTerminal() {
      return con.isTerminal;
    },
  };
}

/** The drivers by device number. */
export function makeDevices(term: ConsoleTerminal, randomSeed: number | undefined): Map<number, FileOps> {
  const random = randomSeed === undefined ? hostRandomBytes : seededBytes(randomSeed);
  const devs = new Map<number, FileOps>();
  devs.set(DEV_NULL, simpleDevice(() => new Uint8Array(0), (d) => d.length));
  devs.set(DEV_ZERO, simpleDevice((n) => new Uint8Array(n), (d) => d.length));
  devs.set(DEV_FULL, simpleDevice((n) => new Uint8Array(n), () => {
    throw new Errno(E.NOSPC);
  }));
  devs.set(DEV_RANDOM, simpleDevice(random, (d) => d.length));
  devs.set(DEV_URANDOM, simpleDevice(random, (d) => d.length));
  const con = consoleOps(term);
  devs.set(DEV_TTY, con);
  devs.set(DEV_CONSOLE, con);
  return devs;
}
