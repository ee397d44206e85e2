#!/usr/bin/env node
// Build step: bundles each CLI command (dist/commands/*.js, compiled by tsc) with the project's own
// modules into one file, so starting `ksim` loads a handful of files instead of ~150 ES modules.
// Shared code goes to dist/chunks/. dist/cli/fast-run.js (the oclif-free start-up path of `ksim run`,
// see bin/run.js) is bundled too. The library (dist/api, dist/*) keeps tsc's per-module output.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const commands = path.join(root, 'dist', 'commands');
const entries = fs.readdirSync(commands).filter((f) => f.endsWith('.js')).map((f) => path.join(commands, f));
entries.push(path.join(root, 'dist', 'cli', 'fast-run.js'));
fs.rmSync(path.join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: path.join(root, 'dist'),
  outbase: path.join(root, 'dist'),
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // oclif and pino stay packages (oclif loads commands by path; pino starts workers); chevrotain
  // and its many small lodash-es modules are bundled, which is what makes start-up fast.
  external: ['@oclif/core', 'pino', 'typescript'],
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
console.log(`bundled ${entries.length - 1} commands and the fast path of ksim run`);
