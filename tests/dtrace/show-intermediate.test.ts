// dtrace -S (each clause's intermediate code, ksim's is JavaScript, on stderr after compiling), -x errors, quiet.
import { describe, expect, it } from 'vitest';
import { runD } from './harness.js';

describe('dtrace -S', () => {
  it('lists each clause under its number and descriptions, numbered per line, then runs', () => {
    const r = runD(['-S', '-q', '-n', 'BEGIN /1 > 0/ { x = 41; printf("%d\\n", x + 1); }', '-n', 'BEGIN { exit(0); }']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('42\n\n');
    const text = r.stderr;
    const clauses = text.split('\nDisassembly of clause #').slice(1);
    expect(clauses.map((c) => c.split('\n')[0])).toEqual([
      "1 (BEGIN): ksim's intermediate code (JavaScript, run in probe context)",
      "2 (BEGIN): ksim's intermediate code (JavaScript, run in probe context)",
    ]);
    for (const c of clauses) {
      const lines = c.trimEnd().split('\n').slice(1);
      expect(lines[0]).toBe('OFF INSTRUCTION');
      lines.slice(1).forEach((l, i) => expect(l.startsWith(`${String(i).padStart(2, '0')}: `)).toBe(true));
    }
    // The predicate comes first and leaves the clause when false; the actions follow.
    expect(clauses[0]).toMatch(/\n01: C\.action = 0;\n02: if \(!.*\) return false;\n03: C\.begin\(\);\n/);
    expect(clauses[1]).not.toContain('return false');
  });

  it('prints nothing extra without -S, and nothing at all for a script that does not compile', () => {
    expect(runD(['-q', '-n', 'BEGIN { exit(0); }']).stderr).toBe('');
    const bad = runD(['-S', '-n', 'BEGIN { x = ; }']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).not.toContain('Disassembly');
  });
});

describe('dtrace -x', () => {
  it('names the option it failed to set, after setting the good ones, and exits 1 as dfatal does', () => {
    expect(runD(['-x', 'bufsize=4m', '-x', 'nosuchopt=1', '-n', 'BEGIN { exit(0); }'])).toEqual({
      status: 1, stdout: '', stderr: 'dtrace: failed to set -x nosuchopt: Invalid option name\n',
    });
    expect(runD(['-x', 'quiet', '-x', 'strsize=lots', '-n', 'BEGIN { exit(0); }'])).toEqual({
      status: 1, stdout: '', stderr: 'dtrace: failed to set -x strsize: Invalid value for specified option\n',
    });
    expect(runD(['-x', 'bufsize=4m', '-x', 'quiet', '-n', 'BEGIN { printf("ok\\n"); exit(0); }'])).toEqual({ status: 0, stdout: 'ok\n\n', stderr: '' });
  });
});

describe('quiet', () => {
  it('-q, -x quiet and #pragma D option quiet all silence the notices', () => {
    const script = 'BEGIN { printf("ok\\n"); exit(0); }';
    const plain = runD(['-n', script]);
    expect(plain.stderr).toBe("dtrace: description 'BEGIN ' matched 1 probe\n");
    for (const argv of [['-q', '-n', script], ['-x', 'quiet', '-n', script], ['-s', 'q.d']]) {
      expect(runD(argv, { 'q.d': `#pragma D option quiet\n${script}\n` })).toEqual({ status: 0, stdout: 'ok\n\n', stderr: '' });
    }
  });
});
