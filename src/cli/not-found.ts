// oclif hook: an unknown command gets one plain line and the list of commands, not oclif's banner.
import type { Hook } from '@oclif/core';

const hook: Hook<'command_not_found'> = async function (opts) {
  const names = opts.config.commands.map((c) => c.id).sort();
  process.stderr.write(`ksim: '${opts.id}' is not a ksim command. Commands: ${names.join(', ')}\nTry 'ksim --help' for more information.\n`);
  process.exit(127);
};

export default hook;
