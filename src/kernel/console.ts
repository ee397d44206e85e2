// The machine's console: where /dev/console, /dev/tty and the first process's stdin, stdout and
// stderr go. `ksim run` connects it to the host terminal; the library captures it in buffers.

export interface Console {
  /** Output written to fd 1 (stdout) or 2 (stderr) of a process on the console. */
  write(stream: 1 | 2, data: Uint8Array): void;
  /** Reads up to max bytes of input; an empty array means end of input. Synchronous. */
  read(max: number): Uint8Array;
  /** Whether the console is a terminal (isatty, line-buffered stdio). */
  readonly isTerminal: boolean;
  /** Window size for TIOCGWINSZ. */
  readonly rows: number;
  readonly cols: number;
}

/** A console that keeps everything in memory: for tests and the library. */
export class BufferConsole implements Console {
  readonly stdout: number[] = [];
  readonly stderr: number[] = [];
  private input: Uint8Array;
  private inputPos = 0;
  readonly rows = 24;
  readonly cols = 80;

  constructor(
    input: Uint8Array | string = new Uint8Array(0),
    readonly isTerminal = false,
  ) {
    this.input = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  }

  write(stream: 1 | 2, data: Uint8Array): void {
    const target = stream === 1 ? this.stdout : this.stderr;
    for (const b of data) target.push(b);
  }

  read(max: number): Uint8Array {
    const n = Math.min(max, this.input.length - this.inputPos);
    const out = this.input.slice(this.inputPos, this.inputPos + n);
    this.inputPos += n;
    return out;
  }

  stdoutText(): string {
    return new TextDecoder().decode(Uint8Array.from(this.stdout));
  }

  stderrText(): string {
    return new TextDecoder().decode(Uint8Array.from(this.stderr));
  }
}
