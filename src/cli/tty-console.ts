// `ksim shell`'s console on a real terminal: the host terminal in raw mode (libuv's, which keeps
// output processing: NL -> CR NL), and the machine's own
// line discipline (src/kernel/tty.ts) in cooked mode on top, so ^C and ^\ become signals to the
// machine's foreground process group instead of ending ksim, ^D is end of file, and typing is
// read (and ^C seen) even while programs run or sleep. The terminal mode is restored by close().
import * as fs from 'node:fs';
import type { Console } from '../kernel/console.js';
import { LineDiscipline } from '../kernel/tty.js';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class TtyConsole implements Console {
  readonly isTerminal = true;
  readonly rows: number;
  readonly cols: number;
  readonly discipline: LineDiscipline;
  /** Where signal characters go: set once the machine is booted. */
  signalTarget: (signo: number) => void = () => {};
  private readonly buf = Buffer.alloc(4096);
  private raw = false;

  constructor() {
    this.rows = process.stdout.rows ?? 24;
    this.cols = process.stdout.columns ?? 80;
    process.stdin.setRawMode(true); // also makes fd 0 non-blocking: poll() never waits
    this.raw = true;
    this.discipline = new LineDiscipline(
      {
        poll: () => this.poll(),
        pause: (ms) => {
          Atomics.wait(sleepCell, 0, 0, ms);
        },
        write: (d) => writeAll(1, d),
      },
      (signo) => this.signalTarget(signo),
    );
  }

  /** Whether `ksim shell` can use it: standard input and output are both terminals. */
  static available(): boolean {
    return process.stdin.isTTY === true && process.stdout.isTTY === true && typeof process.stdin.setRawMode === 'function';
  }

  private poll(): Uint8Array | null {
    try {
      const n = fs.readSync(0, this.buf, 0, this.buf.length, null);
      return n === 0 ? null : new Uint8Array(this.buf.subarray(0, n));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return new Uint8Array(0);
      if (code === 'EOF' || code === 'EIO') return null;
      throw e;
    }
  }

  write(stream: 1 | 2, data: Uint8Array): void {
    writeAll(stream, data);
  }

  read(max: number): Uint8Array {
    return this.discipline.read(max);
  }

  /** Sleeps the host for the kernel's clock, reading the terminal; true when ^C woke someone. */
  sleep(ms: number): boolean {
    return this.discipline.sleep(ms);
  }

  close(): void {
    if (this.raw) process.stdin.setRawMode(false);
    this.raw = false;
  }
}

/** Writes everything to a (possibly non-blocking) descriptor. */
function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(sleepCell, 0, 0, 1);
    }
  }
}
