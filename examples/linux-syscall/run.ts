// The Linux flow as a library user writes it: a 4.7.1 machine in memory, the greet syscall from
// kernel/greet.c appended to the table, a build, and greet_test.c run with strace, ktrace and a D
// one-liner. Run it with `npx tsx run.ts` (or import main() from a test).
import { readFileSync } from 'node:fs';
import { createMachine } from 'ksim';

export function main(dir = new URL('.', import.meta.url).pathname) {
  const machine = createMachine({ release: '4.7.1' });
  const nr = machine.addSyscall({ name: 'greet', source: readFileSync(`${dir}/kernel/greet.c`, 'utf8') });
  const build = machine.build();
  if (!build.ok) throw new Error(build.text);
  const program = machine.compile({ name: 'greet_test', source: readFileSync(`${dir}/greet_test.c`, 'utf8') });
  if (!program.ok) throw new Error(program.text);
  const hello = machine.run(program.program, {
    args: ['world'],
    strace: { args: ['-e', 'trace=greet'] },
    ktrace: { points: 'c' },
    dtrace: { script: 'syscall::greet:entry { printf("%s\\n", copyinstr(arg0)); }', args: ['-q'] },
  });
  const empty = machine.run(program.program);
  return { nr, hello, empty };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const { nr, hello, empty } = main();
  console.log(`greet is syscall ${nr}`);
  console.log(hello.stdout + hello.dmesg + hello.strace!.join('\n') + '\n' + hello.kdump + hello.dtrace!.output);
  console.log(empty.stdout);
}
