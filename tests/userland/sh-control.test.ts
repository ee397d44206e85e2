// ksim's /bin/sh control flow: if/elif/else, while, until, for, case, break/continue [N], { }, ( ), !,
// compound commands in pipelines and with redirections, functions, here-documents, `...`, ${VAR:-WORD}..., $(( )), IFS, read, eval, ., set -e -x -u, local, exec, command, type, the test and [ builtins, positional
// parameters, commands that go on over several lines (scripts, stdin, the interactive `> ` prompt)
// and syntax errors worded as dash words them. Every expected output was checked against dash
// (`dash -c LINE`, `dash FILE`, `dash -i`), the files' names aside.
import { beforeAll, describe, expect, it } from 'vitest';
import { bootWithUserland, sh, userlandNames } from './helpers.js';
import { makeMachine, type Booted } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

let b: Booted;

beforeAll(() => {
  const m = makeMachine();
  m.host.fs.writeFile('/work/notes.txt', 'alpha\nbeta\ngamma\n');
  b = bootWithUserland(userlandNames(), { m });
}, 300_000);

const out = (line: string) => sh(b, line).stdout;

describe('sh: if, while, until, for', () => {
  it('if/elif/else runs the branch of the first condition that succeeds; its status is the branch\'s, 0 if none ran', () => {
    expect(out('if true; then echo ok; else echo failed; fi')).toBe('ok\n');
    expect(out('if ls /nope 2>/dev/null; then echo ok; else echo failed $?; fi')).toBe('failed 2\n');
    expect(out('if false; then echo 1; elif true; then echo 2; else echo 3; fi')).toBe('2\n');
    expect(out('if false; then echo 1; elif false; then echo 2; else echo 3; fi')).toBe('3\n');
    expect(out('false; if false; then echo 1; elif false; then echo 2; fi; echo $?')).toBe('0\n');
    expect(out('if true; then false; fi; echo $?')).toBe('1\n');
    expect(out('echo a && if true; then echo b; fi || echo c')).toBe('a\nb\n');
    // Reserved words only count where a command begins.
    expect(out('echo if then fi')).toBe('if then fi\n');
  });

  it('for sets its variable to each word, expanded and globbed once; the body expands when it runs', () => {
    expect(out('for i in 1 2 3; do echo $i; done')).toBe('1\n2\n3\n');
    expect(out('for i in a b; do echo $i; done; echo last $i')).toBe('a\nb\nlast b\n');
    expect(out('X="a b  c"; for w in $X; do echo "[$w]"; done; for w in "$X"; do echo "[$w]"; done')).toBe('[a]\n[b]\n[c]\n[a b  c]\n');
    expect(out('for f in /work/*.txt $(echo x y); do echo $f; done')).toBe('/work/notes.txt\nx\ny\n');
    expect(out('false; for i in; do echo never; done; echo $?')).toBe('0\n');
    expect(out('for i in 1 2; do false; done; echo $?')).toBe('1\n');
    expect(out('for do in 1; do echo $do; done')).toBe('1\n');
  });

  it('while and until loop on their condition\'s status', () => {
    expect(out('i=; while [ "$i" != xxx ]; do i=${i}x; echo $i; done')).toBe('x\nxx\nxxx\n');
    expect(out('i=; until [ "$i" = aaa ]; do i=a$i; echo $i; done; echo $?')).toBe('a\naa\naaa\n0\n');
    expect(out('false; while false; do :; done; echo $?')).toBe('0\n');
    expect(out('n=1; while [ $n -lt 100 ]; do n=${n}0; echo $n; done')).toBe('10\n100\n');
  });

  it('break and continue, with a count of loops', () => {
    expect(out('for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done')).toBe('1\n3\n');
    expect(out('while true; do echo once; break; echo no; done; echo $?')).toBe('once\n0\n');
    expect(out('for i in 1 2 3; do for j in a b; do echo $i$j; [ $j = a ] && continue 2; done; done')).toBe('1a\n2a\n3a\n');
    expect(out('for i in 1 2 3; do for j in a b c; do if [ $j = b ]; then break 2; fi; echo $i$j; done; done; echo after')).toBe('1a\nafter\n');
    expect(out('for i in 1 2; do break 5; echo no; done; echo $?')).toBe('0\n');
    expect(out('break; continue; echo $?')).toBe('0\n');
    const r = sh(b, 'for i in 1; do break x; done; echo not reached');
    expect([r.stdout, r.stderr, r.status]).toEqual(['', 'sh: 1: break: Illegal number: x\n', 2]);
  });

  it('nests: a for inside an if inside a while', () => {
    const line = 'n=; while [ "$n" != ii ]; do n=i$n; if [ $n = ii ]; then for w in x y; do echo $n$w; done; else echo first; fi; done';
    expect(out(line)).toBe('first\niix\niiy\n');
  });

  it('{ }, ( ), ! and compound commands in pipelines and with redirections', () => {
    expect(out('{ echo a; echo b; } | wc -l')).toBe('2\n');
    expect(out('(cd /tmp; pwd); pwd')).toBe('/tmp\n/work\n');
    expect(out('! true; echo $?; ! false; echo $?; ! false | false; echo $?')).toBe('1\n0\n0\n');
    expect(out('for i in 3 1 2; do echo $i; done | sort')).toBe('1\n2\n3\n');
    expect(out('for i in 1 2; do echo $i; done > /tmp/loop; cat /tmp/loop')).toBe('1\n2\n');
    expect(out('if true; then echo in; fi > /tmp/if; echo out; cat /tmp/if')).toBe('out\nin\n');
    expect(out('while true; do cat; break; done < notes.txt | head -n 1')).toBe('alpha\n');
    expect(out('for i in 1 2 3; do echo $i & wait; done')).toBe('1\n2\n3\n');
  });
});

describe('sh: case', () => {
  it('runs the list of the first pattern the word matches; quoted patterns match as strings', () => {
    expect(out('for f in a.c b.h c; do case $f in *.c) echo C $f;; *.h) echo H $f;; *) echo other $f;; esac; done')).toBe('C a.c\nH b.h\nother c\n');
    expect(out('case hello.c in *.h) echo h;; *.c|*.s) echo c;; *) echo other;; esac; echo $?')).toBe('c\n0\n');
    expect(out('case x in y) echo;; esac; echo $?; false; case x in x) ;; esac; echo $?; case x in x) false;; esac; echo $?')).toBe('0\n0\n1\n');
    expect(out('case "a b" in "a b") echo quoted;; esac; case "*" in "*") echo lit;; esac; case ab in "*") echo no;; *) echo yes;; esac')).toBe('quoted\nlit\nyes\n');
    expect(out('case x in (x) echo paren;; esac; case x in\n  x)\n    echo multi\n    ;;\n  *) echo no\nesac')).toBe('paren\nmulti\n');
    expect(out('case x in x) for i in 1 2; do case $i in 2) break;; esac; echo $i; done;; esac')).toBe('1\n');
  });

  it('reports syntax errors as dash does', () => {
    const cases: [string, string][] = [
      ['case x in', 'end of file unexpected (expecting ")")'],
      ['case x in a)', 'end of file unexpected (expecting ";;")'],
      ['case in x', 'word unexpected (expecting "in")'],
      ['case x; in a) ;; esac', '";" unexpected (expecting "in")'],
      ['case x in a) echo a; b) echo b;; esac', '")" unexpected (expecting ";;")'],
      ['case x in ) echo;; esac', 'word unexpected (expecting ")")'],
      ['echo a;; echo b', '";;" unexpected'],
    ];
    for (const [line, msg] of cases) {
      const r = sh(b, `echo ran; ${line}`);
      expect([r.stdout, r.stderr, r.status]).toEqual(['', `sh: 1: Syntax error: ${msg}\n`, 2]);
    }
  });
});

describe('sh: functions', () => {
  it('NAME() COMMAND defines a function; its words are $1... while it runs; return [N] leaves it', () => {
    expect(out('f() { echo "f: $# $1 $2"; return 3; echo no; }; f a "b c"; echo $? $#')).toBe('f: 2 a b c\n3 0\n');
    expect(out('f() { for i in 1 2 3; do [ $i = 2 ] && return $i; echo $i; done; }; f; echo $?')).toBe('1\n2\n');
    expect(out('f() { false; return; }; f; echo $?; g() { echo g $1; }; h() { g $1$1; echo h $1; }; h x')).toBe('1\ng xx\nh x\n');
    expect(out('f() { echo in; } > /tmp/fout; f; cat /tmp/fout; f() { cat; }; echo piped | f; f() (echo sub); f')).toBe('in\npiped\nsub\n');
    expect(out('fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 5')).toBe('120\n');
    // A function hides a builtin of its name, not a special builtin.
    expect(out('test() { echo mytest; }; test; f() { shift; echo $1; }; f a b; echo "[$1]"')).toBe('mytest\nb\n[]\n');
  });

  it('reports syntax errors as dash does', () => {
    for (const [line, msg] of [['f()', 'end of file unexpected'], ['f( x )', 'word unexpected (expecting ")")'], ['x=1 f() { :; }', '"(" unexpected']]) {
      const r = sh(b, `echo ran; ${line}`);
      expect([r.stdout, r.stderr, r.status]).toEqual(['', `sh: 1: Syntax error: ${msg}\n`, 2]);
    }
  });
});

describe('sh: here-documents', () => {
  it('feeds the lines up to the delimiter to the command, expanded unless the delimiter is quoted', () => {
    expect(out('x=5; cat <<EOF\nv=$x $(echo sub) $((x+1)) "q" \'s\' \\$x \\\\ line \\\njoined\nEOF\necho after')).toBe('v=5 sub 6 "q" \'s\' $x \\ line joined\nafter\n');
    expect(out('cat <<"EOF"\nraw $HOME \\\nEOF\ncat <<-EOF\n\t\ttabbed\n\tEOF')).toBe('raw $HOME \\\ntabbed\n');
    expect(out('cat <<A; cat <<B\na\nA\nb\nB')).toBe('a\nb\n');
    expect(out('cat <<EOF | wc -l\n1\n2\nEOF\nwhile read l; do echo "<$l>"; done <<EOF\none\ntwo\nEOF')).toBe('2\n<one>\n<two>\n');
    expect(out('if true; then\ncat <<EOF\nin if\nEOF\nfi; cat <<EOF\nno end')).toBe('in if\nno end');
    b.machine.vfs.writeFile('/tmp/hd.sh', 'cat <<EOF\nscript $1\nEOF\ncat <<E2 | wc -c\nabc\nE2\n');
    expect(out('sh /tmp/hd.sh A; sh < /tmp/hd.sh')).toBe('script A\n4\nscript \n4\n');
  });
});

describe('sh: `...`', () => {
  it('substitutes a command\'s output as $(...) does, \\ before $ ` \\ (and " in double quotes) taken away', () => {
    expect(out('echo "`echo a`" x`echo b c`y `echo "q d"`; echo `echo \\`echo nested\\``; echo "a `echo \\"in\\"` b"')).toBe('a xb cy q d\nnested\na in b\n');
    expect(out('X=`echo one two`; echo "$X"; echo `echo \\$HOME` `echo \\\\\\\\`; for i in `echo 1 2`; do echo $i; done')).toBe('one two\n/root \\\n1\n2\n');
    expect(out("echo '`not`' \"\\`esc\\`\"; cat <<EOF\nbq `echo x`\nEOF")).toBe('`not` `esc`\nbq x\n');
    const r = sh(b, 'echo ran; echo `echo');
    expect([r.stdout, r.stderr, r.status]).toEqual(['', 'sh: 1: Syntax error: EOF in backquote substitution\n', 2]);
  });
});

describe('sh: IFS', () => {
  it('splits expansions at $IFS: blanks in runs, other characters one by one; read splits with it too', () => {
    expect(out('IFS=:; x="a::b:"; for f in $x; do echo "[$f]"; done; x=":a"; for f in $x; do echo "[$f]"; done')).toBe('[a]\n[]\n[b]\n[]\n[a]\n');
    expect(out('IFS=" :"; x=" a : b  c:"; for f in $x; do echo "[$f]"; done; IFS=; x="a b"; for f in $x; do echo "[$f]"; done')).toBe('[a]\n[b]\n[c]\n[a b]\n');
    expect(out('IFS=:; for d in $(echo /bin:/usr/bin::/x); do echo "<$d>"; done; echo $PWD:x; unset IFS; x="a  b"; for f in $x; do echo "[$f]"; done')).toBe('</bin>\n</usr/bin>\n<>\n</x>\n/work:x\n[a]\n[b]\n');
    expect(out('echo "root:x:0:0" | while IFS=: read u p uid gid; do echo "$u has $uid"; done; echo "a:b:c:" | { IFS=: read x y; echo "[$x][$y]"; }; echo " a  b " | { IFS= read x; echo "[$x]"; }')).toBe('root has 0\n[a][b:c:]\n[ a  b ]\n');
    // An assignment before a builtin or function lasts while it runs; before a special builtin, it stays.
    expect(out('X=1 true; echo "[$X]"; X=2 :; echo "[$X]"; f() { echo "in $Y"; }; Y=3 f; echo "[$Y]"')).toBe('[]\n[2]\nin 3\n[]\n');
  });
});

describe('sh: eval and .', () => {
  it('runs text as commands of this shell', () => {
    expect(out('false; eval "echo \\$?"; eval ""; echo $?; x="echo a; echo b"; eval $x')).toBe('1\n0\na\nb\n');
    expect(out('for i in 1 2; do eval "echo e\\$i; if [ \\$i = 1 ]; then echo one; fi"; done; eval "f() { echo fn \\$1; }"; f z')).toBe('e1\none\ne2\nfn z\n');
    b.machine.vfs.writeFile('/tmp/dot.sh', 'echo in dot $1 $#\nX=dotted\n');
    expect(out('. /tmp/dot.sh; echo $X; f() { . /tmp/dot.sh; }; f a b')).toBe('in dot 0\ndotted\nin dot a 2\n');
  });

  it('reports errors as dash does', () => {
    const cases: [string, string][] = [
      ['cd /tmp; . dot.sh', '.: dot.sh: not found'],
      ['. /nonexist', '.: cannot open /nonexist: No such file'],
      ['eval "if"', 'eval: Syntax error: end of file unexpected (expecting "then")'],
    ];
    for (const [line, msg] of cases) {
      const r = sh(b, `${line}; echo not reached`);
      expect([r.stdout, r.stderr, r.status]).toEqual(['', `sh: 1: ${msg}\n`, 2]);
    }
  });
});

describe('sh: set', () => {
  it('set -x traces each command, expanded, on standard error', () => {
    const r = sh(b, 'set -x; X=1 echo "a b" $X; Y=2; for i in 1; do echo $i; done; f() { echo in; }; f; set +x; echo quiet');
    expect([r.stdout, r.stderr]).toEqual(['a b\n1\nin\nquiet\n', '+ X=1 echo a b\n+ Y=2\n+ echo 1\n+ f\n+ echo in\n+ set +x\n']);
  });

  it('set -e ends the shell at a failing command that no condition tests', () => {
    const r = sh(b, 'set -e; false && true; echo reached; ! true; echo r2; if false; then :; fi; while false; do :; done; false || true; echo r3; true && false; echo no');
    expect([r.stdout, r.status]).toEqual(['reached\nr2\nr3\n', 1]);
    expect(sh(b, 'set -e; false | true; echo ok; true | false; echo no').stdout).toBe('ok\n');
    expect(sh(b, 'set -e; f() { false; echo no; }; f || echo caught; f; echo no2').stdout).toBe('no\n');
    expect(sh(b, 'set -e; x=$(false); echo no').status).toBe(1);
    b.machine.vfs.writeFile('/tmp/e.sh', 'echo one\nfalse\necho two\n');
    const e = sh(b, 'sh -e /tmp/e.sh');
    expect([e.stdout, e.status]).toEqual(['one\n', 1]);
  });

  it('set -u, set -- ARGS, and bad options as dash reports them', () => {
    expect(out('set -- a "b c"; echo $# $2; set --; echo $#; f() { set -- x y z; echo $#; }; f a; echo $#')).toBe('2 b c\n0\n3\n0\n');
    const u = sh(b, 'set -u; echo ${HOME}x; echo $nope; echo no');
    expect([u.stdout, u.stderr, u.status]).toEqual(['/rootx\n', 'sh: 1: nope: parameter not set\n', 2]);
    const q = sh(b, 'set -q; echo no');
    expect([q.stdout, q.stderr, q.status]).toEqual(['', 'sh: 1: set: Illegal option -q\n', 2]);
  });
});

describe('sh: local and exec', () => {
  it('local keeps a variable to the function (and the functions it calls) until it returns', () => {
    expect(out('x=g; f() { local x; echo "[$x]"; x=l; local y=2 z; echo $x $y; }; f; echo $x "[$y]"')).toBe('[g]\nl 2\ng []\n');
    expect(out('f() { local x=1; g; echo f $x; }; g() { echo g $x; x=2; }; x=0; f; echo $x')).toBe('g 1\nf 2\n0\n');
    const r = sh(b, 'local x=1; echo no');
    expect([r.stdout, r.stderr, r.status]).toEqual(['', 'sh: 1: local: not in a function\n', 2]);
  });

  it('exec CMD replaces the shell; exec with redirections only keeps them', () => {
    expect(out('exec echo replaced; echo no')).toBe('replaced\n');
    expect(out('exec >/tmp/exo; echo to file; exec 2>/dev/null; cat /tmp/exo >&2')).toBe('');
    expect(out('cat /tmp/exo; echo a | exec cat')).toBe('to file\na\n');
    const r = sh(b, 'exec nosuch; echo no');
    expect([r.stdout, r.stderr, r.status]).toEqual(['', 'sh: 1: exec: nosuch: not found\n', 127]);
  });
});

describe('sh: ${VAR:-WORD} and the other parameter expansions', () => {
  it('defaults, assignments, alternatives, lengths and pattern removal, as dash has them', () => {
    expect(out('unset x; echo ${x:-def} ${x-d2} "${x:-a b}" ${x:+alt}; x=; echo [${x:-e}] [${x-f}] [${x:+g}] [${x+h}]; x=val; echo ${x:+alt} ${#x}')).toBe('def d2 a b\n[e] [] [] [h]\nalt 3\n');
    expect(out('unset x; echo ${x:=set}; echo $x; y=; echo ${y=keep}[$y]; echo ${1:-none} ${#} ${#HOME}')).toBe('set\nset\n[]\nnone 0 5\n');
    expect(out('f=path/to/file.tar.gz; echo ${f#*/} ${f##*/} ${f%.*} ${f%%.*} ${f#nomatch}; x=abc; echo "${x%c}" ${x#"a"}')).toBe('to/file.tar.gz file.tar.gz path/to/file.tar path/to/file path/to/file.tar.gz\nab bc\n');
    expect(out('echo ${x:-$(echo sub)} ${x:-`echo bq`} ${x:-${HOME}} "${x:-"q u"}"')).toBe('sub bq /root q u\n');
    // Unquoted, the result is split into fields; a quoted word in it stays whole.
    expect(out('for w in ${y:-"c d"} ${y:-c d}; do echo "<$w>"; done; v="1 2"; for w in ${u:-$v} "${u:-$v}"; do echo "<$w>"; done')).toBe('<c d>\n<c>\n<d>\n<1>\n<2>\n<1 2>\n');
  });

  it('reports errors as dash does', () => {
    const cases: [string, string][] = [
      ['unset x; echo ${x:?}', 'x: parameter not set or null'],
      ['unset x; echo ${x:?custom msg}', 'x: custom msg'],
      ['unset x; echo ${x?}', 'x: parameter not set'],
      ['echo ${bad', "Syntax error: Missing '}'"],
    ];
    for (const [line, msg] of cases) {
      const r = sh(b, `${line}; echo no`);
      expect([r.stdout, r.stderr, r.status]).toEqual(['', `sh: 1: ${msg}\n`, 2]);
    }
  });
});

describe('sh: command and type', () => {
  it('command -v and type say what a name runs; command CMD passes over functions', () => {
    expect(out('command -v cat; command -v cd; f() { :; }; command -v f; command -v nosuch; echo $?; command -v /bin/ls')).toBe('/bin/cat\ncd\nf\n127\n/bin/ls\n');
    expect(out('f() { :; }; type cat cd f if exit nosuch; echo $?')).toBe('cat is /bin/cat\ncd is a shell builtin\nf is a shell function\nif is a shell keyword\nexit is a special shell builtin\nnosuch: not found\n127\n');
    expect(out('cd() { echo fn; }; command cd /tmp && pwd; echo x | command cat')).toBe('/tmp\nx\n');
  });
});

describe('sh: $(( )) arithmetic', () => {
  it('evaluates C\'s integer operators, variables by name or by $, and assignments', () => {
    expect(out('echo $((2+3*4)) $((7/2)) $((-7%3)) $(( (1+2)*3 )) $((1<2)) $((3==3&&0||5)) $((0x10+010)) $((~0)) $((!5)) $((1?2:3)) $((0?2:3)) $((1<<4>>1))')).toBe('14 3 -1 9 1 1 24 -1 0 2 3 8\n');
    expect(out('i=5; echo $((i+=2)) $i $((i=i*2)) $i; echo $((j)) $(($i-1)) "$(( $(echo 4) * 2 ))x"')).toBe('7 7 14 14\n0 13 8x\n');
    expect(out('echo $((0&&(1/0))) $((1||1/0)) $((1?0:1/0)) $((0 && (x=5))) [$x]')).toBe('0 1 0 0 []\n');
    expect(out('i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done')).toBe('1\n2\n3\n');
  });

  it('reports errors as dash does, ending the shell with status 2', () => {
    const cases: [string, string][] = [
      ['echo $((1/0)); echo after', 'arithmetic expression: division by zero: "1/0"'],
      ['echo $((1 2))', 'arithmetic expression: expecting EOF: "1 2"'],
      ['echo $((i++))', 'arithmetic expression: expecting primary: "i++"'],
      ['x=abc; echo $((x+1))', 'Illegal number: abc'],
      ['echo $(( 1 + (2', 'Syntax error: Missing \'))\''],
    ];
    for (const [line, msg] of cases) {
      const r = sh(b, line);
      expect([r.stdout, r.stderr, r.status]).toEqual(['', `sh: 1: ${msg}\n`, 2]);
    }
  });
});

describe('sh: read', () => {
  it('reads a line a byte at a time, split at blanks, the last name taking the rest; 1 at the end', () => {
    b.machine.vfs.writeFile('/tmp/lines', 'a b c\n  lead  trail  \none\\ two\\\nthree\nlast');
    expect(out('while read x y; do echo "[$x|$y]"; done < /tmp/lines; echo "end $x|$y"')).toBe('[a|b c]\n[lead|trail]\n[one twothree|]\nend last|\n');
    expect(out('while read -r x; do echo "[$x]"; done < /tmp/lines')).toBe('[a b c]\n[lead  trail]\n[one\\ two\\]\n[three]\n');
    expect(out('read a b < /dev/null; echo $? "[$a]"; echo hi | { read v; echo "got $v"; }; n=0; while read l; do n=$((n+1)); done < /tmp/lines; echo $n')).toBe('1 []\ngot hi\n3\n');
    // Only its line: what follows is left for the next command.
    expect(out('cat notes.txt | { read first; wc -l; echo $first; }')).toBe('2\nalpha\n');
  });

  it('reports bad use as dash does', () => {
    for (const [line, msg] of [['read', 'read: arg count'], ['read -x v', 'read: Illegal option -x'], ['read 1a', 'read: 1a: bad variable name']]) {
      const r = sh(b, `${line}; echo $?`);
      expect([r.stdout, r.stderr]).toEqual(['2\n', `sh: 1: ${msg}\n`]);
    }
  });
});

describe('sh: test and [', () => {
  it('compares strings and integers', () => {
    expect(out('[ a = a ] && echo eq; [ a != a ] || echo ne')).toBe('eq\nne\n');
    expect(out('[ -z "" ]; echo $?; [ -n "" ]; echo $?; [ -n x ]; echo $?; test; echo $?; test ""; echo $?; test x; echo $?')).toBe('0\n1\n0\n1\n1\n0\n');
    expect(out('[ 3 -lt 10 ]; echo $?; [ 3 \\< 10 ]; echo $?; [ 10 -ge 10 ]; echo $?; [ -1 -gt -2 ]; echo $?; [ " 12 " -eq 12 ]; echo $?')).toBe('0\n1\n0\n0\n0\n');
    expect(out('[ 1 -ne 1 ]; echo $?; [ 2 -le 1 ]; echo $?; [ 2 -gt 1 ]; echo $?; [ 1 -eq 1 ]; echo $?')).toBe('1\n1\n0\n0\n');
  });

  it('tests files', () => {
    expect(out('[ -d /tmp ]; echo $?; [ -f /tmp ]; echo $?; [ -e /nonexist ]; echo $?; [ -f notes.txt ]; echo $?')).toBe('0\n1\n1\n0\n');
    expect(out('[ -r notes.txt ]; echo $?; [ -x /bin/sh ]; echo $?; [ -x notes.txt ]; echo $?; [ -w notes.txt ]; echo $?')).toBe('0\n0\n1\n0\n');
    expect(out(': > /tmp/empty; [ -s /tmp/empty ]; echo $?; [ -s notes.txt ]; echo $?; [ -e /tmp/empty ]; echo $?')).toBe('1\n0\n0\n');
  });

  it('combines with ! -a -o and parentheses', () => {
    expect(out('[ ! -d /tmp ]; echo $?; [ -d /tmp -a -f /tmp ]; echo $?; [ -d /tmp -o -f /tmp ]; echo $?')).toBe('1\n1\n0\n');
    expect(out('[ \\( a = b \\) -o \\( c = c \\) ]; echo $?; [ a = a -a ! b = c ]; echo $?; [ ! ]; echo $?; [ -f ]; echo $?')).toBe('0\n0\n0\n0\n');
  });

  it('reports bad expressions as dash does, with status 2', () => {
    const cases: [string, string][] = [
      ['test a b', 'test: a: unexpected operator'],
      ['[ a', '[: missing ]'],
      ['[ 1 -eq a ]', '[: Illegal number: a'],
      ['test 1 -eq', 'test: -eq: argument expected'],
      ['test a = b = c', 'test: b: unexpected operator'],
      ['[ 1 -eq 1 ] ]', '[: 1: unexpected operator'],
      ['test -q a', 'test: -q: unexpected operator'],
    ];
    for (const [line, msg] of cases) {
      const r = sh(b, `${line}; echo $?`);
      expect([r.stdout, r.stderr]).toEqual(['2\n', `sh: 1: ${msg}\n`]);
    }
  });
});

describe('sh: syntax errors', () => {
  it('words them as dash does, runs nothing of the command and exits 2', () => {
    const cases: [string, string][] = [
      ['done', '"done" unexpected'],
      ['for i in a b; do echo $i', 'end of file unexpected (expecting "done")'],
      ['if true; then', 'end of file unexpected (expecting "fi")'],
      ['while', 'end of file unexpected (expecting "do")'],
      ['for', 'Bad for loop variable'],
      ['for 1 in a; do echo; done', 'Bad for loop variable'],
      ['for i in', 'end of file unexpected'],
      ['if true; then echo; fi foo', 'word unexpected'],
      ['echo a; then', '"then" unexpected'],
      ['{ }', '"}" unexpected'],
      ['if true then echo; fi', '"fi" unexpected (expecting "then")'],
      ['for i in a b; echo', 'word unexpected (expecting "do")'],
      ['while true; do done', '"done" unexpected'],
      ['if ; then echo; fi', '";" unexpected'],
      ['( echo a', 'end of file unexpected (expecting ")")'],
      ['echo a )', '")" unexpected'],
      ['x=1 if true; then echo; fi', '"then" unexpected'],
    ];
    for (const [line, msg] of cases) {
      const r = sh(b, `echo ran; ${line}`);
      expect([r.stdout, r.stderr, r.status]).toEqual(['', `sh: 1: Syntax error: ${msg}\n`, 2]);
    }
  });

  it('runs the commands before the line with the error, and names that line', () => {
    const r = sh(b, 'echo a\nfi\necho b');
    expect([r.stdout, r.stderr, r.status]).toEqual(['a\n', 'sh: 2: Syntax error: "fi" unexpected\n', 2]);
  });
});

describe('sh: commands over several lines', () => {
  it('reads a compound command that is not closed on its line from the next ones (sh -c, scripts)', () => {
    expect(out('for i in a b\ndo echo $i\ndone')).toBe('a\nb\n');
    expect(out('if true\nthen\n  echo yes\nfi')).toBe('yes\n');
    expect(out('echo a |\nwc -l; echo b &&\necho c')).toBe('1\nb\nc\n');
    b.machine.vfs.writeFile('/tmp/loop.sh', 'echo start\nfor i in 1 2 3\ndo\n  if [ $i -ne 2 ]  # odd ones\n  then echo $i\n  fi\ndone\necho "args: $# $1 $2"\nfor a; do echo "<$a>"; done\n');
    expect(out('sh /tmp/loop.sh "x  y" z')).toBe('start\n1\n3\nargs: 2 x  y z\n<x  y>\n<z>\n');
    expect(out('sh < /tmp/loop.sh')).toBe('start\n1\n3\nargs: 0  \n');
    b.machine.vfs.writeFile('/tmp/bad.sh', 'echo a\nif true\nthen\necho b\n');
    const r = sh(b, 'sh /tmp/bad.sh; echo $?');
    expect([r.stdout, r.stderr]).toEqual(['a\n2\n', '/tmp/bad.sh: 5: Syntax error: end of file unexpected (expecting "fi")\n']);
  });

  // (dash -i also drops the input it had read ahead when a line has a syntax error; on a terminal
  // that is the rest of the line, here the shell goes on with the next line.)
  it('prompts `> ` for the lines that go on a command, as dash does', () => {
    const input = 'for i in 1 2\ndo echo $i\ndone\nif false\nthen :\nfi; echo $?\ndone\necho still here\n';
    const t = bootWithUserland(['sh', 'echo'], { input });
    const r = runProgram(t.machine, ['/bin/sh', '-i']);
    expect(r.status).toBe(0);
    expect(t.console.stdoutText()).toBe('root@ksim:/work# > > 1\n2\nroot@ksim:/work# > > 0\nroot@ksim:/work# root@ksim:/work# still here\nroot@ksim:/work# exit\n');
    expect(t.console.stderrText()).toBe('sh: 7: Syntax error: "done" unexpected\n');
  });
});

describe('sh: the last command of a background list replaces its process', () => {
  it('`cd DIR && prog &` leaves $! the pid prog runs as (dash execs it in the child, EV_EXIT)', () => {
    const ps = sh(b, 'cd /tmp && sh -c \'echo $$\' & echo "bg $!"; wait');
    const [bg, self] = [/bg (\d+)/.exec(ps.stdout)?.[1], /^(\d+)$/m.exec(ps.stdout)?.[1]];
    expect(bg).toBeDefined();
    expect(self).toBe(bg);
  });
});
