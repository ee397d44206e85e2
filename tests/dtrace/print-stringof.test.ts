// print() prints a value with its type as libdtrace's dt_print.c does (integers in hex, char quoted,
// strings and char arrays quoted, enums by name, structs member by member); stringof follows a
// pointer into scratch memory or the traced process's memory, and faults on a bad address.
import { beforeAll, describe, expect, it } from 'vitest';
import { runD } from './harness.js';
import { createMachine, type KsimMachine, type Program } from '../../src/api/index.js';

describe('print()', () => {
  it('scalars: integers in hex, plain char quoted, strings quoted, enums by name, pointers', () => {
    const r = runD(['-q', '-n', `enum colour { RED, GREEN = 5 };
BEGIN {
  print(26); printf("|"); print((short)-1); printf("|"); print(0); printf("|");
  print((char)65); printf("|"); print((char)0); printf("|"); print((char)7); printf("|");
  print((uint8_t)65); printf("|"); print("text"); printf("|"); print((enum colour)5); printf("|");
  print((enum colour)3); printf("|"); print((char *)4096);
  exit(0);
}`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe("int 0x1a|short 0xffff|int 0|char 'A'|char '\\0'|char '\\007'|uint8_t 0x41|string \"text\"|enum colour GREEN|enum colour 3|char * 0x1000\n");
  });

  it('a struct member by member, nested structs and arrays indented, with the default record prefix', () => {
    const r = runD(['-n', `struct inner { short x; char tag; };
struct outer { int id; char name[8]; struct inner in; int v[3]; long *p; };
BEGIN {
  this->o = (struct outer *)alloca(sizeof (struct outer));
  this->o->id = 7; this->o->name[0] = 'k'; this->o->name[1] = 's'; this->o->in.x = 300; this->o->in.tag = 'z';
  this->o->v[1] = 2;
  print(*this->o);
  exit(0);
}`]);
    expect(r.stderr).toBe("dtrace: description 'struct inner ' matched 1 probe\n");
    expect(r.stdout).toBe(
      'CPU     ID                    FUNCTION:NAME\n' +
      '  0      1                           :BEGIN struct outer {\n' +
      '    int id = 0x7\n' +
      '    char [8] name = [ "ks" ]\n' +
      '    struct inner in = {\n' +
      '        short x = 0x12c\n' +
      "        char tag = 'z'\n" +
      '    }\n' +
      '    int [3] v = [ 0, 0x2, 0 ]\n' +
      '    long * p = 0\n' +
      '}\n\n',
    );
  });
});

describe('stringof', () => {
  it('reads a string at an address in scratch memory; a NULL pointer faults', () => {
    const r = runD(['-q', '-n', `BEGIN {
  this->b = (char *)alloca(8); this->b[0] = 'o'; this->b[1] = 'k';
  printf("%s %s\\n", stringof(this->b), stringof(curpsinfo->pr_fname));
}
BEGIN { printf("%s\\n", stringof((char *)0)); }
BEGIN { exit(0); }`]);
    expect(r.stdout).toBe('ok dtrace\n\n');
    expect(r.stderr).toBe("dtrace: error on enabled probe ID 2 (ID 1: dtrace:::BEGIN): invalid address (0x0) in action #1 at DIF offset 8\n");
  });

  let m: KsimMachine;
  let prog: Program;
  beforeAll(() => {
    m = createMachine({});
    const c = m.compile({ source: '#include <fcntl.h>\nint main(void) { open("/etc/hostname-not-there", O_RDONLY); return 0; }\n', name: 'opener' });
    expect(c.text).toBe('');
    prog = c.program!;
  });

  it("follows a syscall's user pointer into the traced process", () => {
    const r = m.run(prog, { dtrace: { script: 'syscall::openat:entry { printf("%s|%s\\n", stringof(arg1), stringof(args[1])); }', args: ['-q'] } });
    expect(r.dtrace!.output).toBe('/etc/hostname-not-there|/etc/hostname-not-there\n\n');
  });
});
