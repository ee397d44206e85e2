#!/usr/bin/env node
// The ksim command line: one oclif binary; every command is a thin file in dist/commands/.
// Fast path: `ksim run PROG [ARGS...]` with no ksim flags (the word after `run` does not start with
// '-') runs without loading oclif (dist/cli/fast-run.js, bundled); everything else, help included,
// goes through oclif.
const argv = process.argv.slice(2);
if (argv[0] === 'run' && argv.length > 1 && !argv[1].startsWith('-')) {
  const { fastRun } = await import('../dist/cli/fast-run.js');
  await fastRun(argv.slice(1));
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
