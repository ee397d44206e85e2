// The terminal line discipline of `ksim shell` on a real terminal (n_tty in cooked mode): the host
// terminal is put in raw mode and this turns its bytes into what the machine's programs read —
// echo, Enter (CR -> NL), erase (DEL/^H), kill line (^U), erase word (^W), end of file (^D at the
// start of a line; elsewhere it hands over the line so far), and the signal characters: ^C sends
// SIGINT and ^\ SIGQUIT to the terminal's foreground process group, flushing pending input, and
// echo as ^C / ^\. Output processing (NL -> CR NL) stays the host terminal's: its raw mode keeps
// ONLCR. Input typed while programs run is read here too (poll), so ^C interrupts `sleep 100`.
// Core code: the host terminal comes in through RawTerminal.
import { E, Errno } from './errno.js';

/** The host terminal in raw mode. */
export interface RawTerminal {
  /** Whatever bytes were typed, without waiting: empty when none; null once the terminal is gone. */
  poll(): Uint8Array | null;
  /** Sleeps the host a little (ms) while waiting for input. */
  pause(ms: number): void;
  /** Raw output to the terminal. */
  write(data: Uint8Array): void;
}

const SIGINT = 2;
const SIGQUIT = 3;
const enc = new TextEncoder();

export class LineDiscipline {
  /** The line being typed (not yet readable). */
  private line: number[] = [];
  /** Completed input: lines (with their NL), or a line handed over by ^D; null is an end of file. */
  private ready: (Uint8Array | null)[] = [];
  /** A signal character was typed since the last read started waiting. */
  private interrupted = false;
  private gone = false;

  constructor(
    private readonly term: RawTerminal,
    /** Sends a signal to the terminal's foreground process group. */
    private readonly signal: (signo: number) => void,
  ) {}

  private echo(s: string): void {
    this.term.write(enc.encode(s));
  }

  /** Reads what was typed so far without waiting; returns true when it raised a signal. */
  poll(): boolean {
    if (this.gone) return false;
    const bytes = this.term.poll();
    if (bytes === null) {
      this.gone = true;
      return false;
    }
    let raised = false;
    for (const b of bytes) raised = this.input(b) || raised;
    return raised;
  }

  /** One typed byte; true when it raised a signal. */
  private input(b: number): boolean {
    switch (b) {
      case 3: // ^C
      case 28: // ^\
        this.echo(b === 3 ? '^C' : '^\\');
        this.line = [];
        this.ready = [];
        this.interrupted = true;
        this.signal(b === 3 ? SIGINT : SIGQUIT);
        return true;
      case 4: // ^D: hand over the line so far; at the start of a line, end of file
        this.ready.push(this.line.length ? Uint8Array.from(this.line) : null);
        this.line = [];
        return false;
      case 13: // Enter (ICRNL)
      case 10:
        this.echo('\n');
        this.line.push(10);
        this.ready.push(Uint8Array.from(this.line));
        this.line = [];
        return false;
      case 127: // DEL
      case 8: // ^H
        this.eraseChar();
        return false;
      case 21: // ^U
        while (this.line.length) this.eraseChar();
        return false;
      case 23: // ^W
        while (this.line.length && this.line[this.line.length - 1] === 32) this.eraseChar();
        while (this.line.length && this.line[this.line.length - 1] !== 32) this.eraseChar();
        return false;
      default:
        this.line.push(b);
        if (b < 32 && b !== 9) this.echo(`^${String.fromCharCode(b + 64)}`);
        else this.term.write(Uint8Array.of(b));
        return false;
    }
  }

  /** Erases the last character of the line (a whole UTF-8 sequence; ^X echoes take two columns). */
  private eraseChar(): void {
    if (!this.line.length) return;
    let b = this.line.pop()!;
    while (b >= 0x80 && b < 0xc0 && this.line.length) b = this.line.pop()!;
    this.echo(b < 32 && b !== 9 ? '\b\b  \b\b' : '\b \b');
  }

  /**
   * A read(2) of the terminal: waits for a line (at most max bytes of it), or end of file (empty).
   * A signal character typed while it waits makes it fail with EINTR, as a signal does.
   */
  read(max: number): Uint8Array {
    this.interrupted = false;
    for (;;) {
      if (this.ready.length) {
        const first = this.ready[0]!;
        if (first === null) {
          this.ready.shift();
          return new Uint8Array(0);
        }
        if (first.length <= max) {
          this.ready.shift();
          return first;
        }
        this.ready[0] = first.subarray(max);
        return first.subarray(0, max);
      }
      if (this.gone) return new Uint8Array(0);
      this.poll();
      if (this.interrupted) {
        this.interrupted = false;
        throw new Errno(E.INTR);
      }
      if (!this.ready.length) this.term.pause(10);
    }
  }

  /**
   * Sleeps up to ms while reading the terminal; returns true early when a signal character was
   * typed (the machine's sleeping processes then have a signal to handle).
   */
  sleep(ms: number): boolean {
    const slice = 20;
    for (let left = ms; left > 0; left -= slice) {
      if (this.poll()) return true;
      this.term.pause(Math.min(slice, left));
    }
    return this.poll();
  }
}
