// The sysroot on Node: ksim's include/, libc/ and kernel-include/ in the installed package.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sysroot } from './cc.js';

/** The package root (two levels above dist/toolchain/ or src/toolchain/). */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
}

export function nodeSysroot(): Sysroot {
  return {
    root: packageRoot(),
    readFile: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir: (p) => {
      try {
        return fs.readdirSync(p);
      } catch {
        return [];
      }
    },
  };
}
