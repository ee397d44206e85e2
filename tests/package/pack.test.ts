// Packaging: `npm pack` makes a tarball that installs into a fresh project and works there — the
// `ksim` bin (`npx ksim run hello.c` on a new machine), the typed 'ksim' export, and a vitest file
// that uses 'ksim/vitest'. One npm pack and one npm install (dependencies from the npm cache when
// present). Skipped, with the reason, when dist/ was not built or npm cannot install.
import { describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = existsSync(join(root, 'dist', 'api', 'index.js')) && existsSync(join(root, 'dist', 'api', 'vitest.js'));
const vitestVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'vitest', 'package.json'), 'utf8')).version as string;

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env, npm_config_update_notifier: 'false', NO_COLOR: '1' }, timeout: 240_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

describe.skipIf(!built)('the packed package (needs dist/: npm run build)', () => {
  test('installs into a fresh project: npx ksim run, ksim and ksim/vitest imports', { timeout: 300_000 }, (ctx) => {
    const work = mkdtempSync(join(tmpdir(), 'ksim-pack-'));
    try {
      const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
      const tarball = join(work, packed);
      expect(existsSync(tarball)).toBe(true);
      const project = join(work, 'project');
      execFileSync('mkdir', ['-p', project]);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-ksim', private: true, type: 'module' }, null, 2));
      const install = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, `vitest@${vitestVersion}`], project);
      if (install.status !== 0) {
        ctx.skip(`npm could not install the tarball here: ${install.out.split('\n').slice(-3).join(' ')}`);
        return;
      }
      const pkg = join(project, 'node_modules', 'ksim');
      // The tarball has what the library needs at run time.
      for (const d of ['bin', 'dist', 'include', 'libc', 'kernel-include', 'probes']) expect(readdirSync(join(pkg, d)).length, d).toBeGreaterThan(0);

      // The bin: a fresh machine, a C file compiled on the fly.
      writeFileSync(join(project, 'hello.c'), '#include <stdio.h>\nint main(int argc, char **argv) { printf("hello from %s\\n", argv[1]); return 7; }\n');
      const run = sh('npx', ['--no-install', 'ksim', 'run', 'hello.c', 'npx'], project, { XDG_STATE_HOME: join(work, 'state'), KSIM_MACHINE: '' });
      expect(run.out).toContain('hello from npx\n');
      expect(run.status).toBe(7);

      // A vitest file in the project using the package by name.
      writeFileSync(
        join(project, 'grade.test.ts'),
        `import { test, expect } from 'vitest';
import 'ksim/vitest';
import { dmesg } from 'ksim/vitest';
import { createMachine, defineSyscall, E } from 'ksim';

test('a TypeScript syscall checked with ksim/vitest', { timeout: 120_000 }, () => {
  const m = createMachine({ release: '4.7.1' });
  m.addSyscall(defineSyscall({ name: 'answer', args: [['int', 'x']], handler: (ctx, args) => {
    ctx.printk('\\x016answer called\\n');
    return Number(args[0]) === 42 ? 0 : -E.INVAL;
  } }));
  const r = m.run({ source: '#include <unistd.h>\\n#include <sys/syscall.h>\\nint main(void) { return syscall(SYS_answer, 41) == -1 ? 3 : 0; }' });
  expect(r).toHaveExited(3);
  expect(r).toHaveCalled('answer', { args: [41], errno: 'EINVAL' });
  expect(r).toHaveLogged('answer called', { level: 'info' });
  expect(dmesg(r).text).toMatch(/answer called/);
});
`,
      );
      const vt = sh('npx', ['--no-install', 'vitest', 'run', '--root', project], project);
      expect(vt.out).toMatch(/1 passed/);
      expect(vt.status).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
