#!/usr/bin/env node
// Build step: compiles ksim's libc once per target into dist/libc/<arch>-<os>.json, so `ksim cc`
// links it instead of compiling it for every program. The cache carries a hash of the libc sources
// and headers; a stale cache is ignored and the libc is compiled on the fly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { libcObjects, libcCachePath, libcSourceHash, serializeObjects } = await import(path.join(root, 'dist/toolchain/cc.js'));
const { nodeSysroot } = await import(path.join(root, 'dist/toolchain/node-sysroot.js'));
const { formatDiagnostics } = await import(path.join(root, 'dist/cc/diagnostics.js'));
const sys = nodeSysroot();
const hash = libcSourceHash(sys);
let failed = false;
for (const target of [{ arch: 'x86_64', os: 'linux' }]) {
  const sources = new Map();
  const r = libcObjects(sys, target, sources, false);
  if (!r.objects) {
    process.stderr.write(formatDiagnostics(r.diagnostics, (f) => sources.get(f)));
    console.error(`libc for ${target.arch}-${target.os}: not prebuilt (it will be compiled on the fly)`);
    failed = true;
    continue;
  }
  const out = libcCachePath(sys, target);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, serializeObjects(r.objects, hash));
  console.log(`prebuilt libc for ${target.arch}-${target.os}: ${path.relative(root, out)}`);
}
// A libc that fails to prebuild is not fatal for the install: ksim cc reports the errors itself.
process.exitCode = 0;
void failed;
