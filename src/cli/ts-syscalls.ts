// Custom syscalls written in TypeScript (or JavaScript) in a machine's kernel/ directory:
// `kernel/hello.ts` exports `defineSyscall({ name, args, handler })` values; a row of the table
// binds to each by its entry point `sys_NAME`, as for kernel C. `ksim build` loads them to check
// and record their signatures; every later command loads them again to run them. TypeScript is
// transpiled with the `typescript` package when it is installed (it is a development dependency
// of ksim); a `.mjs` or `.js` module needs nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { SyscallHandler } from '../kernel/handler.js';
import type { Diagnostic } from '../cc/diagnostics.js';

export interface TsSyscallInfo {
  name: string;
  entry: string;
  params: [string, string][];
  handler: SyscallHandler;
  file: string;
}

const MODULE_EXT = /\.(ts|mts|js|mjs)$/;

/** The machine's syscall modules: kernel/*.{ts,mts,js,mjs} (not .d.ts), relative paths, sorted. */
export function syscallModuleFiles(dir: string): string[] {
  const k = path.join(dir, 'kernel');
  if (!fs.existsSync(k)) return [];
  return fs
    .readdirSync(k)
    .filter((f) => MODULE_EXT.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => `kernel/${f}`);
}

/** Loads every syscall module of a machine; errors are diagnostics naming the file. */
export async function loadSyscallModules(dir: string): Promise<{ syscalls: TsSyscallInfo[]; diagnostics: Diagnostic[] }> {
  const syscalls: TsSyscallInfo[] = [];
  const diagnostics: Diagnostic[] = [];
  const files = syscallModuleFiles(dir);
  if (files.length === 0) return { syscalls, diagnostics };
  const apiUrl = pathToFileURL(fileURLToPath(new URL('../api/index.js', import.meta.url))).href;
  const outDir = path.join(dir, '.ksim', 'kernel-js');
  fs.mkdirSync(outDir, { recursive: true });
  for (const rel of files) {
    const file = path.join(dir, rel);
    let code = fs.readFileSync(file, 'utf8');
    if (/\.m?ts$/.test(rel)) {
      let ts: typeof import('typescript') | undefined;
      try {
        ts = (await import('typescript')).default;
      } catch {
        diagnostics.push({ severity: 'error', loc: { file: rel, line: 1, col: 1 }, message: "TypeScript syscall modules need the 'typescript' package (npm install typescript); or write this module as .mjs" });
        continue;
      }
      const out = ts.transpileModule(code, {
        fileName: rel,
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      for (const d of out.diagnostics ?? []) {
        const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        diagnostics.push({ severity: 'error', loc: { file: rel, line: pos.line + 1, col: pos.character + 1 }, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
      }
      code = out.outputText;
    }
    // `import ... from 'ksim'` resolves to this ksim, wherever the machine is.
    code = code.replace(/(from\s*|import\s*\(\s*)(['"])ksim\2/g, `$1$2${apiUrl}$2`);
    const target = path.join(outDir, rel.replace(/^kernel\//, '').replace(MODULE_EXT, '.mjs'));
    fs.writeFileSync(target, code);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(`${pathToFileURL(target).href}?v=${Date.now()}`)) as Record<string, unknown>;
    } catch (e) {
      diagnostics.push({ severity: 'error', loc: { file: rel, line: 1, col: 1 }, message: `cannot load module: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    let found = 0;
    for (const v of Object.values(mod)) {
      const list = Array.isArray(v) ? v : [v];
      for (const s of list) {
        if (!s || typeof s !== 'object' || typeof (s as { handler?: unknown }).handler !== 'function' || typeof (s as { name?: unknown }).name !== 'string') continue;
        const def = s as { name: string; args?: [string, string][]; handler: SyscallHandler };
        syscalls.push({ name: def.name, entry: `sys_${def.name}`, params: def.args ?? [], handler: def.handler, file: rel });
        found++;
      }
    }
    if (found === 0) diagnostics.push({ severity: 'warning', loc: { file: rel, line: 1, col: 1 }, message: 'exports no syscall (export defineSyscall({ name, args, handler }) from ksim)' });
  }
  return { syscalls, diagnostics };
}

/** Handlers by entry point, for boot. */
export function handlersOf(syscalls: TsSyscallInfo[]): Record<string, SyscallHandler> {
  return Object.fromEntries(syscalls.map((s) => [s.entry, s.handler]));
}
