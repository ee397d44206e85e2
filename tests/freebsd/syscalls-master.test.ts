// syscalls.master: the stock file ksim init writes reads back to the stock table; custom rows,
// annotations, ranges and errors with file:line:col.
import { describe, expect, it } from 'vitest';
import { parseSyscallsMaster, writeSyscallsMaster } from '../../src/kernel/freebsd/syscalls-master.js';
import { FREEBSD_AMD64_TABLE } from '../../src/kernel/freebsd/table.js';

const FILE = 'sys/kern/syscalls.master';

describe('syscalls.master', () => {
  it('writes the stock table in FreeBSD format and reads it back', () => {
    const text = writeSyscallsMaster('14.2');
    expect(text).toContain('4\tAUE_WRITE\tSTD|CAPENABLED {\n\t\tssize_t write(\n\t\t    int fd,\n\t\t    const void *buf,\n\t\t    size_t nbyte\n\t\t);\n\t}');
    expect(text).toContain('2\tAUE_FORK\tSTD|CAPENABLED {\n\t\tint fork(void);\n\t}');
    expect(text).toContain('210\tAUE_NULL\tNODEF|NOTSTATIC\tlkmnosys lkmnosys nosys_args int');
    expect(text).toContain('11\tAUE_NULL\tOBSOL\texecv');
    const r = parseSyscallsMaster(text, FILE);
    expect(r.diagnostics).toEqual([]);
    expect(r.rows.length).toBe(FREEBSD_AMD64_TABLE.length);
    for (const [nr, audit, type, name] of FREEBSD_AMD64_TABLE) {
      const row = r.rows.find((x) => x.nr === nr)!;
      expect([row.audit, row.type, row.name]).toEqual([audit, type, name]);
    }
    const write = r.rows.find((x) => x.nr === 4)!;
    expect(write.params).toEqual([['int', 'fd'], ['const void *', 'buf'], ['size_t', 'nbyte']]);
    expect(write.ret).toBe('ssize_t');
    expect(r.rows.find((x) => x.nr === 0)!.variadic).toBe(true);
    expect(r.rows.find((x) => x.nr === 215)!).toMatchObject({ name: 'lkmnosys', flags: ['NODEF', 'NOTSTATIC'], alt: ['lkmnosys', 'nosys_args', 'int'] });
  });

  it('reads a custom row, SAL annotations and a range', () => {
    const r = parseSyscallsMaster(
      '; comment\n#include <x.h>\n600\tAUE_NULL\tSTD {\n\t\tint my_call(\n\t\t    _In_z_ char *message,\n\t\t    _Out_writes_bytes_(len) void *buf,\n\t\t    size_t len\n\t\t);\n\t}\n601-603\tAUE_NULL\tRESERVED\n',
      FILE,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.rows.map((x) => x.nr)).toEqual([600, 601, 602, 603]);
    expect(r.rows[0]!.params).toEqual([['char *', 'message'], ['void *', 'buf'], ['size_t', 'len']]);
    expect(r.rows[0]!.line).toBe(3);
  });

  it('reports a missing semicolon with file:line:col', () => {
    const r = parseSyscallsMaster('1\tAUE_EXIT\tSTD {\n\t\tvoid exit(int rval)\n\t}\n', FILE);
    expect(r.diagnostics).toEqual([{ severity: 'error', loc: { file: FILE, line: 3, col: 2 }, message: "expected ';', found '}'" }]);
  });

  it('reports a duplicate number with the owner and the next free number', () => {
    const r = parseSyscallsMaster('1\tAUE_EXIT\tSTD {\n\tvoid exit(int rval);\n}\n1\tAUE_NULL\tSTD {\n\tint mine(void);\n}\n', FILE);
    expect(r.diagnostics).toEqual([{ severity: 'error', loc: { file: FILE, line: 4, col: 1 }, message: `syscall number 1 is already used by 'exit' (${FILE}:1); the next free number is 2` }]);
  });

  it('reports an unknown type and a stray character', () => {
    expect(parseSyscallsMaster('5\tAUE_NULL\tSTDD {\n\tint x(void);\n}\n', FILE).diagnostics[0]!.message).toMatch(/^unknown type 'STDD'/);
    expect(parseSyscallsMaster('5\tAUE_NULL\tSTD {\n\tint x(void) @;\n}\n', FILE).diagnostics).toEqual([
      { severity: 'error', loc: { file: FILE, line: 2, col: 14 }, message: "unexpected character '@'" },
    ]);
  });
});
