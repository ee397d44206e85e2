// `ksim env`'s text: shell functions that give the host shell the tools' own names (strace, ktrace,
// kdump, dtrace, dmesg, and FreeBSD's kldload, kldunload, kldstat), each running `ksim TOOL` on the
// machine of the directory it is typed in. Opt-in and for one shell: `eval "$(ksim env)"`;
// `eval "$(ksim env --unset)"` takes them away again. POSIX sh syntax (bash, zsh, dash, ksh).

/** The names `ksim env` defines, in the order it prints them. */
export const ENV_TOOLS = ['strace', 'ktrace', 'kdump', 'dtrace', 'dmesg', 'kldload', 'kldunload', 'kldstat'] as const;

/** A word quoted for sh: as it is when it is safe, else in single quotes. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The functions' definitions, calling ksim as `ksim` (argv of the ksim command itself). */
export function envText(ksim: string[], opts: { unset?: boolean } = {}): string {
  if (opts.unset) return `unset -f ${ENV_TOOLS.join(' ')}\n`;
  const call = ksim.map(shQuote).join(' ');
  let text = '# ksim tools under their own names, for this shell only: eval "$(ksim env)"\n';
  for (const name of ENV_TOOLS) text += `${name}() { ${call} ${name} "$@"; }\n`;
  return text;
}
