// kldload, kldstat and kldunload as programs inside a FreeBSD machine (userland/kld*.c, on the kld
// system calls), and a load made by a program lasting into the next boot, as `ksim kldload`'s do.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootFb, compileFb, compileModule, logText, makeFreebsd, runFb } from './harness.js';
import { persistModuleChanges, readModuleRecords } from '../../src/kernel/freebsd/kld.js';
import { CALL211, TRIPLE_MODULE } from './fixtures.js';

const USERLAND = path.resolve(import.meta.dirname, '../../userland');
const tool = (name: string) => fs.readFileSync(path.join(USERLAND, `${name}.c`), 'utf8');


describe('kld tools inside a FreeBSD machine', () => {
  it('kldload, kldstat and kldunload work through the kld system calls, and a load lasts until unloaded', () => {
    const m = makeFreebsd();
    let b = bootFb(m);
    for (const t of ['kldload', 'kldstat', 'kldunload']) compileFb(b, `/work/${t}`, tool(t));
    compileFb(b, '/work/call211', CALL211);
    m.host.fs.writeFile('/work/triple.ko', compileModule('triple', TRIPLE_MODULE));
    b.machine.cwd = '/work';

    let atBoot = new Set(b.machine.freebsd!.modules.map((x) => x.name));
    const load = runFb(b, ['/work/kldload', '-v', 'triple']);
    expect([load.stdout, b.console.stderrText(), load.code]).toEqual(['Loaded triple, id=2\n', '', 0]);
    expect(load.code).toBe(0);
    expect(logText(b)).toContain('triple at 211\n');
    expect(runFb(b, ['/work/call211']).stdout).toBe('42\n');
    const st = runFb(b, ['/work/kldstat']);
    expect(st.stdout).toMatch(
      /^Id Refs Address                Size Name\n 1    2 0xffffffff80200000  1f3c6c8 kernel\n 2    1 0x[0-9a-f]{16} +[0-9a-f]+ triple\.ko\n$/,
    );
    const again = runFb(b, ['/work/kldload', './triple.ko']);
    expect(again.code).toBe(1);
    expect(b.console.stderrText()).toContain('kldload: can\'t load ./triple.ko: module already loaded or in kernel\n');
    persistModuleChanges(m.host, m.dir, b.machine.freebsd!, atBoot);
    expect(readModuleRecords(m.host, m.dir).map((r) => r.name)).toEqual(['triple']);

    // The next boot (the next ksim command) has the module again.
    b = bootFb(m);
    b.machine.cwd = '/work';
    expect(runFb(b, ['/work/call211']).stdout).toBe('42\n');
    atBoot = new Set(b.machine.freebsd!.modules.map((x) => x.name));
    const unload = runFb(b, ['/work/kldunload', '-v', 'triple']);
    expect(unload.stdout).toBe('Unloading triple.ko, id=2\n');
    expect(logText(b)).toContain('triple gone\n');
    expect(runFb(b, ['/work/kldunload', 'triple']).code).toBe(1);
    expect(b.console.stderrText()).toContain('kldunload: can\'t find file triple: No such file or directory\n');
    persistModuleChanges(m.host, m.dir, b.machine.freebsd!, atBoot);
    expect(readModuleRecords(m.host, m.dir)).toEqual([]);
    b = bootFb(m);
    expect(b.machine.freebsd!.modules).toEqual([]);
  });
});
