#!/usr/bin/env node
// Build step: compiles ksim's userland (userland/*.c: sh, ls, cat, dmesg...) with ksim's own cc into
// dist/userland/<arch>-<os>/NAME, the images every machine gets in /bin. Runs after the libc
// prebuild, so the programs link the prebuilt libc. A program that fails to compile is reported
// with gcc-style diagnostics and left out; the build goes on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileProgram } = await import(path.join(root, 'dist/toolchain/cc.js'));
const { nodeSysroot } = await import(path.join(root, 'dist/toolchain/node-sysroot.js'));
const { formatDiagnostics } = await import(path.join(root, 'dist/cc/diagnostics.js'));
const sys = nodeSysroot();
const srcDir = path.join(root, 'userland');
const names = fs.readdirSync(srcDir).filter((f) => f.endsWith('.c')).sort();
const readFile = (p) => sys.readFile(p);
let failures = 0;
// FreeBSD gets the same programs: dmesg has a FreeBSD branch (kern.msgbuf, as FreeBSD's dmesg reads
// it) and the tracers reach ksim through ksim_tool (1001) on both systems. None is Linux-only now.
const LINUX_ONLY = new Set([]);
// kldload, kldunload and kldstat work on FreeBSD's kld system calls. (tests/userland/helpers.ts keeps the same lists.)
const FREEBSD_ONLY = new Set(['kldload.c', 'kldunload.c', 'kldstat.c']);
for (const target of [{ arch: 'x86_64', os: 'linux' }, { arch: 'x86_64', os: 'freebsd' }, { arch: 'i386', os: 'linux' }]) {
  const outDir = path.join(root, 'dist', 'userland', `${target.arch}-${target.os}`);
  fs.mkdirSync(outDir, { recursive: true });
  let built = 0;
  const programs = names.filter((f) => !(target.os === 'linux' ? FREEBSD_ONLY : LINUX_ONLY).has(f));
  // A program left from an earlier build that this target no longer gets is removed.
  for (const f of names) if (!programs.includes(f)) fs.rmSync(path.join(outDir, f.slice(0, -2)), { force: true });
  for (const file of programs) {
    const r = compileProgram([path.join(srcDir, file)], readFile, sys, { target });
    const text = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f));
    if (text) process.stderr.write(text);
    const out = path.join(outDir, file.slice(0, -2));
    if (!r.image) {
      failures++;
      fs.rmSync(out, { force: true });
      continue;
    }
    fs.writeFileSync(out, r.image, { mode: 0o755 });
    built++;
  }
  console.log(`built userland for ${target.arch}-${target.os}: ${built} of ${programs.length} programs in ${path.relative(root, outDir)}`);
}
if (failures) console.error(`userland: ${failures} program(s) failed to compile`);
