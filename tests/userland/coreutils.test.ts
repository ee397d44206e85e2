// ksim's userland against the host's coreutils: the same command lines, on the same files, must
// print the same bytes and exit with the same status (C locale). The programs are compiled from
// userland/*.c by ksim's cc and run through ksim's /bin/sh on an in-memory machine.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootWithUserland, sh } from './helpers.js';
import { makeMachine } from '../helpers/machine.js';
import type { Booted } from '../helpers/machine.js';

const FILES: Record<string, string> = {
  'fruits.txt': 'banana\napple\ncherry\nApple\nbanana\ndate\n\nelderberry fig\n  grape\n',
  'numbers.txt': '10\n9\n-3\n100\n2.5\n9\n0\n',
  'words.txt': 'the quick brown fox\njumps over\tthe lazy dog\n\nthe end',
  'log.txt': Array.from({ length: 25 }, (_, i) => `line ${i + 1}: ${i % 3 === 0 ? 'error' : 'ok'} code=${i * 7}`).join('\n') + '\n',
  'empty.txt': '',
};

const CASES = [
  'cat fruits.txt',
  'cat fruits.txt - numbers.txt < words.txt',
  'cat missing.txt',
  'echo hello   world',
  'echo -n no newline',
  'echo',
  'head log.txt',
  'head -n 3 log.txt',
  'head -2 fruits.txt numbers.txt',
  'head -n 3 < words.txt',
  'tail log.txt',
  'tail -n 1 log.txt',
  'tail -3 words.txt',
  'tail -n +20 log.txt',
  'tail -n 2 fruits.txt numbers.txt',
  'tail -n 1 empty.txt',
  'wc fruits.txt',
  'wc -l log.txt',
  'wc -w words.txt',
  'wc -c words.txt',
  'wc fruits.txt words.txt empty.txt',
  'wc < words.txt',
  'wc -l < log.txt',
  'cat words.txt | wc',
  'cat log.txt | wc -w',
  'sort fruits.txt',
  'sort -r fruits.txt',
  'sort -u fruits.txt',
  'sort -n numbers.txt',
  'sort -rn numbers.txt',
  'sort fruits.txt numbers.txt',
  'grep banana fruits.txt',
  'grep -n error log.txt',
  'grep -c ok log.txt',
  'grep -v a fruits.txt',
  'grep -i apple fruits.txt',
  "grep '^line 1' log.txt",
  "grep 'code=[0-9]*7$' log.txt",
  "grep 'e.r' fruits.txt",
  "grep -F 'code=1' log.txt",
  "grep -F '.' fruits.txt",
  "grep '[^a-z ]' fruits.txt",
  "grep 'b[aeiou]n' fruits.txt",
  'grep -l the words.txt fruits.txt',
  'grep the words.txt fruits.txt',
  'grep nothing fruits.txt',
  'grep -q cherry fruits.txt',
  'grep x missing.txt',
  'cat log.txt | grep error | sort -r | head -n 3',
  'sort fruits.txt | wc -l',
];

let b: Booted;
let hostDir = '';

beforeAll(() => {
  const m = makeMachine();
  for (const [name, text] of Object.entries(FILES)) m.host.fs.writeFile(`/work/${name}`, text);
  b = bootWithUserland(['sh', 'cat', 'echo', 'head', 'tail', 'wc', 'sort', 'grep', 'true', 'false'], { m });
  hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-coreutils-'));
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(hostDir, name), text);
}, 180_000);

function host(line: string) {
  const r = spawnSync('/bin/sh', ['-c', line], { cwd: hostDir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
  return { status: r.status, stdout: r.stdout };
}

describe('userland output matches coreutils', () => {
  for (const line of CASES) {
    it(line, () => {
      const want = host(line);
      const got = sh(b, line);
      expect(got.stdout).toBe(want.stdout);
      expect(got.status).toBe(want.status);
    });
  }
});
