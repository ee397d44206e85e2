#!/usr/bin/env node
// Build step: writes oclif.manifest.json so the CLI knows every command's flags without importing
// every command module (and their compilers) at start-up.
import { Config } from '@oclif/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'oclif.manifest.json');
fs.rmSync(file, { force: true });
const config = await Config.load({ root });
const plugin = config.plugins.get(config.pjson.name) ?? [...config.plugins.values()][0];
const manifest = { ...plugin.manifest, version: config.version };
fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(manifest.commands).length} commands)`);
