// The line discipline of `ksim shell` on a terminal (src/kernel/tty.ts), over a scripted raw
// terminal: what a read(2) gets, what is echoed, and which signals the special characters send.
import { describe, expect, it } from 'vitest';
import { LineDiscipline, type RawTerminal } from '../../src/kernel/tty.js';
import { Errno } from '../../src/kernel/errno.js';

/** A raw terminal that hands out one scripted chunk per poll (after the script: nothing, or gone). */
function scripted(chunks: string[], gone = false) {
  const echoed: number[] = [];
  const signals: number[] = [];
  let pauses = 0;
  const term: RawTerminal = {
    poll: () => (chunks.length ? new TextEncoder().encode(chunks.shift()!) : gone ? null : new Uint8Array(0)),
    pause: () => {
      if (++pauses > 1000) throw new Error('read waited forever');
    },
    write: (d) => echoed.push(...d),
  };
  const ld = new LineDiscipline(term, (s) => signals.push(s));
  const read = (max = 1024) => new TextDecoder().decode(ld.read(max));
  return { ld, read, echo: () => new TextDecoder().decode(Uint8Array.from(echoed)), signals };
}

describe('the line discipline', () => {
  it('delivers a line at Enter (CR becomes NL), echoing it', () => {
    const t = scripted(['ls -l', '\r']);
    expect(t.read()).toBe('ls -l\n');
    expect(t.echo()).toBe('ls -l\n');
  });

  it('erases a character (a whole UTF-8 one), a word (^W) and the line (^U)', () => {
    const t = scripted(['caf\u00e9\x7f\x7fe one two\x17three\r', 'junk\x15ok\r']);
    expect(t.read()).toBe('cae one three\n');
    expect(t.read()).toBe('ok\n');
    expect(t.echo()).toBe('caf\u00e9\b \b\b \be one two\b \b\b \b\b \bthree\njunk\b \b\b \b\b \b\b \bok\n');
  });

  it('^D hands over the line so far, and at the start of a line is end of file', () => {
    const t = scripted(['abc\x04', '\x04']);
    expect(t.read()).toBe('abc');
    expect(t.read()).toBe('');
  });

  it('^C sends SIGINT, flushes the input and fails the waiting read with EINTR; ^\\ sends SIGQUIT', () => {
    const t = scripted(['half a line', '\x03', 'next\r']);
    let err: unknown;
    try {
      t.read();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Errno);
    expect((err as Errno).errno).toBe(4);
    expect(t.signals).toEqual([2]);
    expect(t.read()).toBe('next\n');
    expect(t.echo()).toBe('half a line^Cnext\n');
    const q = scripted(['\x1c']);
    expect(q.ld.poll()).toBe(true);
    expect(q.signals).toEqual([3]);
  });

  it('a read a buffer too small for the line takes the rest next time', () => {
    const t = scripted(['abcdef\r']);
    expect(t.read(4)).toBe('abcd');
    expect(t.read(4)).toBe('ef\n');
  });

  it('sleep ends early when ^C is typed, and typed-ahead lines wait for the next read', () => {
    const t = scripted(['', 'echo hi\r', '', '\x03']);
    expect(t.ld.sleep(1000)).toBe(true);
    expect(t.signals).toEqual([2]);
    const u = scripted(['echo hi\r']);
    expect(u.ld.sleep(40)).toBe(false);
    expect(u.read()).toBe('echo hi\n');
  });

  it('echoes other control characters as ^X; a terminal that is gone is end of file', () => {
    const t = scripted(['a\x01b\r'], true);
    expect(t.read()).toBe('a\x01b\n');
    expect(t.echo()).toBe('a^Ab\n');
    expect(t.read()).toBe('');
  });
});
