// FreeBSD's sys/kern/syscalls.master: writing the stock table in the file's own format (number,
// audit event, type flags, then a `{ prototype; }` block, or the bare names of OBSOL/RESERVED/NODEF
// rows), and reading a (possibly edited) file back with a chevrotain lexer and parser. Errors carry
// file:line:col and say what was expected, as makesyscalls does in spirit.
import { createToken, EmbeddedActionsParser, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { Diagnostic } from '../../cc/diagnostics.js';
import { FREEBSD_AMD64_TABLE } from './table.js';

export const SYSCALLS_MASTER_PATH = 'sys/kern/syscalls.master';

/** One row of syscalls.master. */
export interface MasterRow {
  nr: number;
  audit: string;
  /** The type column as written: `STD|CAPENABLED`, `COMPAT11`, `NODEF|NOTSTATIC`... */
  type: string;
  /** The type column split at `|`. */
  flags: string[];
  /** The syscall's name ('' for RESERVED). */
  name: string;
  /** Return type of the prototype ('' when the row has none). */
  ret: string;
  /** Parameters as [C type, name]; empty for `(void)`. */
  params: [string, string][];
  /** The prototype ends in `...` (syscall, __syscall). */
  variadic: boolean;
  /** For NODEF rows: altname, alttag, altrtyp. */
  alt?: string[];
  line: number;
}

// --- writing ------------------------------------------------------------------------------------

/** Splits `int open(const char *path, int flags, mode_t mode)` into its parts. */
export function splitPrototype(sig: string): { ret: string; name: string; params: [string, string][]; variadic: boolean } {
  const open = sig.indexOf('(');
  const head = sig.slice(0, open).trim();
  const m = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)$/.exec(head)!;
  const inner = sig.slice(open + 1, sig.lastIndexOf(')')).trim();
  const params: [string, string][] = [];
  let variadic = false;
  if (inner && inner !== 'void') {
    for (const p of inner.split(',').map((s) => s.trim())) {
      if (p === '...') {
        variadic = true;
        continue;
      }
      const pm = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)$/.exec(p)!;
      params.push([pm[1]!.trim(), pm[2]!]);
    }
  }
  return { ret: m[1]!.trim(), name: m[2]!, params, variadic };
}

function prototypeBlock(sig: string): string[] {
  const p = splitPrototype(sig);
  const ret = p.ret.endsWith('*') ? p.ret : `${p.ret} `;
  if (p.params.length === 0 && !p.variadic) return ['\t\t' + `${ret}${p.name}(void);`];
  const params = p.params.map(([t, n]) => `\t\t    ${t}${t.endsWith('*') ? '' : ' '}${n}`);
  if (p.variadic) params.push('\t\t    ...');
  return [`\t\t${ret}${p.name}(`, params.join(',\n'), '\t\t);'];
}

/** The stock syscalls.master of a FreeBSD release, in the source tree's format. */
export function writeSyscallsMaster(release: string): string {
  const out = [
    ';',
    `; System call name/number master file (FreeBSD ${release}, amd64), written by ksim init.`,
    '; Processed to create the kernel\'s sysent table, sys/sysproto.h and sys/syscall.h by `ksim build`.',
    ';',
    '; Columns: number audit type { prototype; }',
    ';	number	system call number, must be unique',
    ';	audit	the audit event associated with the system call',
    ';	type	one of STD, OBSOL, RESERVED, UNIMPL, COMPAT, COMPAT4, COMPAT6, ...',
    ';		COMPAT14, NODEF, NOARGS, NOPROTO, NOSTD, with |CAPENABLED, |NOTSTATIC...',
    ';	CAPENABLED	the call is allowed in capability mode (cap_enter(2))',
    '; Comments start with ";" and run to the end of the line.',
    ';',
    '',
    '#include <sys/param.h>',
    '#include <sys/sysent.h>',
    '#include <sys/sysproto.h>',
    '',
  ];
  for (const [nr, audit, type, name, sig] of FREEBSD_AMD64_TABLE) {
    if (nr === 210) out.push('', ';', '; The following are reserved for loadable syscalls', ';');
    if (type === 'RESERVED') out.push(`${nr}\t${audit}\t${type}`);
    else if (type === 'OBSOL') out.push(`${nr}\t${audit}\t${type}\t${name}`);
    else if (type.startsWith('NODEF')) out.push(`${nr}\t${audit}\t${type}\t${name} ${name} nosys_args int`);
    else out.push(`${nr}\t${audit}\t${type} {`, ...prototypeBlock(sig), '\t}');
  }
  out.push('', '; vim: syntax=off', '');
  return out.join('\n');
}

// --- reading ------------------------------------------------------------------------------------

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });
const Comment = createToken({ name: 'Comment', pattern: /;[^\n]*/, group: Lexer.SKIPPED });
const Directive = createToken({ name: 'Directive', pattern: /#[^\n]*/, group: Lexer.SKIPPED });
const Annotation = createToken({ name: 'Annotation', pattern: /_(?:In|Out|Inout|Contains)[A-Za-z_]*_(?:\((?:[^()\n]|\([^()\n]*\))*\))?/ });
const Range = createToken({ name: 'Range', pattern: /\d+-\d+/ });
const Num = createToken({ name: 'Number', pattern: /\d+/, longer_alt: Range });
const Word = createToken({ name: 'Word', pattern: /[A-Za-z_][A-Za-z0-9_]*(?:\|[A-Za-z_][A-Za-z0-9_]*)*/ });
const Ellipsis = createToken({ name: 'Ellipsis', pattern: /\.\.\./ });
const Star = createToken({ name: 'Star', pattern: /\*/ });
const LBrace = createToken({ name: 'LBrace', pattern: /\{/, push_mode: 'proto' });
const RBrace = createToken({ name: 'RBrace', pattern: /\}/, pop_mode: true });
const LParen = createToken({ name: 'LParen', pattern: /\(/ });
const RParen = createToken({ name: 'RParen', pattern: /\)/ });
const Comma = createToken({ name: 'Comma', pattern: /,/ });
const Semi = createToken({ name: 'Semi', pattern: /;/ });

const allTokens: TokenType[] = [WhiteSpace, Directive, Annotation, Range, Num, Word, Ellipsis, Star, LBrace, RBrace, LParen, RParen, Comma, Semi];
// `;` starts a comment except inside a prototype block, where it ends the prototype: two lexer modes.
// Built on first use: building it costs ~40 ms, which every command would otherwise pay at start-up.
let masterLexerInstance: Lexer | undefined;
const masterLexer = (): Lexer => (masterLexerInstance ??= new Lexer({
  modes: {
    top: [WhiteSpace, Comment, Directive, Range, Num, Word, LBrace],
    proto: [WhiteSpace, Annotation, Word, Ellipsis, Star, LParen, RParen, Comma, Semi, RBrace],
  },
  defaultMode: 'top',
}, { positionTracking: 'full', ensureOptimizations: false }));

interface RawRow {
  nrTok: IToken;
  audit: string;
  type: string;
  proto?: { ret: string; name: string; params: [string, string][]; variadic: boolean };
  names: string[];
}

class MasterParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    const rows: RawRow[] = [];
    this.MANY(() => rows.push(this.SUBRULE(this.row)));
    return rows;
  });

  row = this.RULE('row', (): RawRow => {
    const nrTok = this.OR([{ ALT: () => this.CONSUME(Num) }, { ALT: () => this.CONSUME(Range) }]);
    const audit = this.CONSUME(Word, { LABEL: 'audit event' }).image;
    const type = this.CONSUME2(Word, { LABEL: 'type' }).image;
    const names: string[] = [];
    let proto: RawRow['proto'];
    this.OPTION(() => {
      this.CONSUME(LBrace);
      proto = this.SUBRULE(this.prototype);
      this.CONSUME(RBrace);
    });
    this.MANY(() => names.push(this.CONSUME3(Word).image));
    return { nrTok, audit, type, proto, names };
  });

  prototype = this.RULE('prototype', () => {
    const head: string[] = [];
    this.AT_LEAST_ONE(() => {
      this.OR([{ ALT: () => head.push(this.CONSUME(Word).image) }, { ALT: () => head.push(this.CONSUME(Star).image) }]);
    });
    this.CONSUME(LParen);
    const params: [string, string][] = [];
    let variadic = false;
    this.OPTION(() => {
      const first = this.SUBRULE(this.param);
      if (first === '...') variadic = true;
      else if (first) params.push(first);
      this.MANY(() => {
        this.CONSUME(Comma);
        const p = this.SUBRULE2(this.param);
        if (p === '...') variadic = true;
        else if (p) params.push(p);
      });
    });
    this.CONSUME(RParen);
    this.CONSUME(Semi);
    return { ...splitHead(head), params, variadic };
  });

  param = this.RULE('param', (): [string, string] | '...' | null => {
    return this.OR([
      { ALT: () => { this.CONSUME(Ellipsis); return '...' as const; } },
      {
        ALT: () => {
          const words: string[] = [];
          this.AT_LEAST_ONE(() => {
            this.OR2([
              { ALT: () => { this.CONSUME(Annotation); } },
              { ALT: () => { words.push(this.CONSUME(Word).image); } },
              { ALT: () => { words.push(this.CONSUME(Star).image); } },
            ]);
          });
          if (words.length === 1 && words[0] === 'void') return null;
          const name = words.pop()!;
          return [joinType(words), name] as [string, string];
        },
      },
    ]);
  });
}

function joinType(parts: string[]): string {
  return parts.join(' ').replace(/ \*/g, ' *').replace(/\* \*/g, '**').replace(/\* (?=\*)/g, '*');
}

function splitHead(head: string[]): { ret: string; name: string } {
  const name = head[head.length - 1] ?? '';
  return { ret: joinType(head.slice(0, -1)), name };
}

let parserInstance: MasterParser | undefined;

/** The number a new syscall should take: one past the highest number in use. */
export function nextFreeMasterNumber(rows: { nr: number }[]): number {
  return rows.length ? Math.max(...rows.map((r) => r.nr)) + 1 : 0;
}

/** Parses syscalls.master; malformed rows and duplicate numbers are errors with file:line:col. */
export function parseSyscallsMaster(text: string, file: string): { rows: MasterRow[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lexed = masterLexer().tokenize(text);
  for (const e of lexed.errors) {
    diagnostics.push({
      severity: 'error',
      loc: { file, line: e.line ?? 0, col: e.column ?? 0 },
      message: `unexpected character '${text.charAt(e.offset)}'`,
    });
  }
  if (diagnostics.length) return { rows: [], diagnostics };
  parserInstance ??= new MasterParser();
  const p = parserInstance;
  p.input = lexed.tokens;
  const raw = p.file();
  if (p.errors.length) {
    for (const e of p.errors) {
      const t = e.token;
      const found = t.tokenType.name === 'EOF' ? 'end of file' : `'${t.image}'`;
      const eof = t.tokenType.name === 'EOF';
      const last = lexed.tokens[lexed.tokens.length - 1];
      diagnostics.push({
        severity: 'error',
        loc: { file, line: eof ? (last?.endLine ?? 1) : (t.startLine ?? 0), col: eof ? (last?.endColumn ?? 0) + 1 : (t.startColumn ?? 0) },
        message: `${describeExpectation(e.message)}, found ${found}`,
      });
    }
    return { rows: [], diagnostics };
  }
  const rows: MasterRow[] = [];
  const byNr = new Map<number, MasterRow>();
  for (const r of raw) {
    const loc = { file, line: r.nrTok.startLine ?? 0, col: r.nrTok.startColumn ?? 0 };
    const [lo, hi] = r.nrTok.image.includes('-') ? r.nrTok.image.split('-').map(Number) as [number, number] : [Number(r.nrTok.image), Number(r.nrTok.image)];
    if (hi < lo) {
      diagnostics.push({ severity: 'error', loc, message: `bad range '${r.nrTok.image}': the end is below the start` });
      continue;
    }
    const flags = r.type.split('|');
    const base = flags[0]!;
    const known = /^(STD|OBSOL|RESERVED|UNIMPL|NODEF|NOARGS|NOPROTO|NOSTD|SYSMUX|COMPAT\d*)$/;
    const bad = flags.find((f, i) => (i === 0 ? !known.test(f) : !/^(CAPENABLED|NOTSTATIC|NOAUDIT|NOLIB|NOSTD|NOPROTO|NOARGS|NODEF|COMPAT\d*)$/.test(f)));
    if (bad !== undefined) {
      diagnostics.push({ severity: 'error', loc, message: `unknown type '${bad}' in '${r.type}' (expected STD, OBSOL, RESERVED, UNIMPL, COMPAT[N], NODEF, NOSTD, NOARGS, NOPROTO, SYSMUX, optionally with |CAPENABLED or |NOTSTATIC)` });
      continue;
    }
    const needsProto = /^(STD|NOSTD|NOARGS|NOPROTO|SYSMUX|COMPAT\d*)$/.test(base);
    if (needsProto && !r.proto) {
      diagnostics.push({ severity: 'error', loc, message: `row ${r.nrTok.image} (${r.type}) needs a '{ prototype; }' block` });
      continue;
    }
    for (let nr = lo; nr <= hi; nr++) {
      const prev = byNr.get(nr);
      if (prev) {
        diagnostics.push({
          severity: 'error',
          loc,
          message: `syscall number ${nr} is already used by '${prev.name || prev.type}' (${file}:${prev.line}); the next free number is ${nextFreeMasterNumber(rows)}`,
        });
        continue;
      }
      const row: MasterRow = {
        nr,
        audit: r.audit,
        type: r.type,
        flags,
        name: r.proto?.name ?? r.names[0] ?? '',
        ret: r.proto?.ret ?? (base === 'NODEF' ? (r.names[3] ?? 'int') : ''),
        params: r.proto?.params ?? [],
        variadic: r.proto?.variadic ?? false,
        ...(base === 'NODEF' ? { alt: r.names.slice(1) } : {}),
        line: loc.line,
      };
      byNr.set(nr, row);
      rows.push(row);
    }
  }
  return { rows, diagnostics };
}

function describeExpectation(msg: string): string {
  // chevrotain: "Expecting token of type --> Word <-- but found --> '{' <--" or
  // "Expecting: one of these possible Token sequences: ..." — reworded as gcc would.
  const single = /Expecting token of type --> (\w+) <--/.exec(msg);
  const names: Record<string, string> = {
    Word: 'a name', Number: 'a syscall number', LParen: "'('", RParen: "')'", Semi: "';'", LBrace: "'{'",
    RBrace: "'}'", Comma: "','", EOF: 'end of file',
  };
  if (single) return `expected ${names[single[1]!] ?? single[1]}`;
  if (/Expecting: one of these possible Token sequences/.test(msg)) {
    const alts = [...msg.matchAll(/\[([A-Za-z]+)\]/g)].map((m) => names[m[1]!] ?? m[1]!);
    return `expected ${[...new Set(alts)].join(' or ')}`;
  }
  if (/Redundant input, expecting EOF/.test(msg) || /NotAllInputParsed/.test(msg)) return 'expected a syscall number at the start of a row';
  return msg.split('\n')[0]!;
}
