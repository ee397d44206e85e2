// Parser fuzzing: mutated and random inputs to every front end (C, D, syscall_64.tbl, ktrace
// files, kmsg.ndjson) end in a result or a positioned diagnostic, never an uncaught exception.
import { describe, expect, test } from 'vitest';
import { checkInput, fuzzParser, mutateBytes, type FrontEnd } from '../../src/fuzz/parsers.js';
import { Rng } from '../../src/fuzz/syscalls.js';

const counts: Record<FrontEnd, number> = { c: 1500, d: 2000, tbl: 3000, ktrace: 2000, kmsg: 4000 };

describe('parser fuzzing', () => {
  for (const fe of Object.keys(counts) as FrontEnd[]) {
    test(`${fe}: ${counts[fe]} mutated inputs, no finding`, () => {
      const r = fuzzParser(fe, { count: counts[fe], seed: 2026, nowMs: () => performance.now(), hangMs: 5000 });
      expect(r.findings.map((f) => `${f.message}\n${f.input.slice(0, 400)}`)).toEqual([]);
      expect(r.inputs).toBe(counts[fe]);
      // The mutations really reach the error paths (kmsg has none: bad lines are skipped).
      if (fe !== 'kmsg') expect(r.diagnostics).toBeGreaterThan(counts[fe] / 2);
    }, 30_000);
  }

  test('mutation is deterministic from the seed and changes the input', () => {
    const input = new TextEncoder().encode('int main(void) { return 0; }\n');
    const a = mutateBytes(new Rng(5), input, ['#']);
    const b = mutateBytes(new Rng(5), input, ['#']);
    expect(a).toEqual(b);
    expect(a).not.toEqual(input);
  });

  test('a bad input gives a positioned diagnostic, not an exception', () => {
    expect(checkInput('c', new TextEncoder().encode('int main( {\n'))).toEqual({ diagnostic: true });
    expect(checkInput('tbl', new TextEncoder().encode('x\tcommon\tread\tsys_read\n'))).toEqual({ diagnostic: true });
    expect(checkInput('d', new TextEncoder().encode('syscall::read:entry { printf( }'))).toEqual({ diagnostic: true });
    expect(checkInput('ktrace', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70]))).toEqual({ diagnostic: true });
  });
});
