// ksim's /bin/sh: pipelines, redirections, ; && || &, quoting and escapes, $VAR ${VAR} $? $$ ~,
// assignments, export, cd, exit, the PATH search and syntax errors; and the small programs
// (uname, pwd, ls, true, false, env, mkdir, rm, cp, mv, sleep, kill, ps, dmesg) seen through it.
import { beforeAll, describe, expect, it } from 'vitest';
import { bootWithUserland, sh, userlandNames } from './helpers.js';
import { makeMachine, type Booted } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

let b: Booted;

beforeAll(() => {
  const m = makeMachine({ release: '4.7.1', localversion: '-stephen' });
  m.host.fs.writeFile('/work/notes.txt', 'alpha\nbeta\ngamma\n');
  b = bootWithUserland(userlandNames(), { m });
}, 300_000);

const out = (line: string) => sh(b, line).stdout;

describe('sh', () => {
  it('quotes and escapes', () => {
    expect(out(`echo 'single $HOME "x"' "double $HOME 'y'" back\\ slash "a\\"b" 'it'\\''s'`)).toBe(`single $HOME "x" double /root 'y' back slash a"b it's\n`);
    expect(out('echo "two  spaces"   three    four')).toBe('two  spaces three four\n');
    expect(out('echo ~ ~/bin x~')).toBe('/root /root/bin x~\n');
    expect(out('echo a#b # a comment')).toBe('a#b\n');
  });

  it('expands unquoted patterns into sorted pathnames, and keeps a pattern that matches nothing', () => {
    expect(out('mkdir -p /tmp/g/sub && echo > /tmp/g/b.c && echo > /tmp/g/a.c && echo > /tmp/g/a.h && echo > /tmp/g/.hidden && echo > /tmp/g/sub/x.c')).toBe('');
    expect(out('echo /tmp/g/*.c')).toBe('/tmp/g/a.c /tmp/g/b.c\n');
    expect(out('cd /tmp/g && echo * && echo ?.[ch] && echo [!a]* && echo */*.c && echo .h*')).toBe('a.c a.h b.c sub\na.c a.h b.c\nb.c sub\nsub/x.c\n.hidden\n');
    expect(out('echo /tmp/g/*.zip "/tmp/g/*.c" /tmp/g/\\*.c')).toBe('/tmp/g/*.zip /tmp/g/*.c /tmp/g/*.c\n');
  });

  it('substitutes $(command) output, without its trailing newlines', () => {
    expect(out('echo "release $(uname -r)!" $(echo a; echo b)')).toBe('release 4.7.1-stephen! a b\n');
    expect(out('X=$(echo one | wc -c); echo "[$X]" "$(echo "in quotes")" $(echo $(echo nested))')).toBe('[4] in quotes nested\n');
    expect(out('echo $(false); echo $?; X=$(false); echo $?; X=$(true); echo $?')).toBe('\n0\n1\n0\n');
    expect(sh(b, 'echo $(echo open').stderr).toBe('sh: 1: Syntax error: end of file unexpected (expecting ")")\n');
  });

  it('expands variables when each command runs', () => {
    expect(out('X=1; echo $X ${X}2 "$X"3; X=5 && echo $X')).toBe('1 12 13\n5\n');
    expect(out('echo [$UNSET] "[$UNSET]" $UNSET end')).toBe('[] [] end\n');
    // Unquoted expansions are split into fields; quoted ones and assignments are not.
    expect(out('F="notes.txt   notes.txt"; cat $F | wc -l; cat "$F" 2>&1; X=$F; echo "$X"')).toBe('6\ncat: notes.txt   notes.txt: No such file or directory\nnotes.txt   notes.txt\n');
    expect(out('echo $(echo " a   b ")x "$(echo " a  b ")"')).toBe('a b x  a  b \n');
    expect(out('false; echo $?; true; echo $?; nosuch 2>/dev/null; echo $?')).toBe('1\n0\n127\n');
    expect(out('echo $$')).toMatch(/^\d+\n$/);
  });

  it('export puts variables in the environment of commands; a prefix assignment only in one', () => {
    expect(out('export GREETING=hi; env | grep GREETING')).toBe('GREETING=hi\n');
    expect(out('ONLY=once env | grep ONLY; echo "[$ONLY]"')).toBe('ONLY=once\n[]\n');
  });

  it('runs ; && || with POSIX precedence', () => {
    expect(out('true && echo a || echo b')).toBe('a\n');
    expect(out('false && echo a || echo b')).toBe('b\n');
    expect(out('true || echo a && echo b')).toBe('b\n');
    expect(out('false; echo after')).toBe('after\n');
  });

  it('connects pipelines; the status is the last command\'s', () => {
    expect(out('echo one two three | wc -w')).toBe('3\n');
    expect(out('cat notes.txt | grep a | sort -r | head -n 2')).toBe('gamma\nbeta\n');
    expect(sh(b, 'true | false').status).toBe(1);
    expect(sh(b, 'false | true').status).toBe(0);
  });

  it('redirects < > >> 2> 2>&1', () => {
    expect(out('echo first > /tmp/r; echo second >> /tmp/r; cat < /tmp/r')).toBe('first\nsecond\n');
    const r = sh(b, 'cat /nope 2> /tmp/err; cat /tmp/err');
    expect(r.stdout).toBe('cat: /nope: No such file or directory\n');
    expect(r.stderr).toBe('');
    expect(out('cat /nope 2>&1 | wc -l')).toBe('1\n');
    expect(sh(b, 'echo to-err 1>&2').stderr).toBe('to-err\n');
    expect(out('> /tmp/empty; wc -c < /tmp/empty')).toBe('0\n');
  });

  it('cd, pwd and $PWD; exit with a status', () => {
    expect(out('cd /tmp && pwd && echo $PWD; HOME=/proc; cd; pwd; cd -; pwd')).toBe('/tmp\n/tmp\n/proc\n/tmp\n/tmp\n');
    expect(out('cd; pwd; cd ~/; echo $PWD')).toBe('/root\n/root\n');
    expect(sh(b, 'cd /nowhere').stderr).toBe('sh: cd: /nowhere: No such file or directory\n');
    expect(sh(b, 'exit 3; echo not reached').status).toBe(3);
    expect(sh(b, 'false; exit').status).toBe(1);
  });

  it('searches PATH and reports what it cannot run', () => {
    expect(out('PATH=/nowhere:/bin; echo found')).toBe('found\n');
    const r = sh(b, 'nosuchcmd arg');
    expect(r.status).toBe(127);
    expect(r.stderr).toBe('sh: nosuchcmd: command not found\n');
    expect(sh(b, '/tmp/r').status).toBe(126);
  });

  it('rejects syntax errors before running anything', () => {
    // As dash words them (compared with dash -c): the line, then what came instead.
    for (const [line, what] of [['echo a |', 'end of file'], ['echo a ; ; echo b', '";"'], ['| echo', '"|"'], ['echo >', 'end of file']]) {
      const r = sh(b, `echo ran; ${line}`);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`sh: 1: Syntax error: ${what} unexpected\n`);
    }
    expect(sh(b, "echo 'open").stderr).toBe('sh: 1: Syntax error: Unterminated quoted string\n');
  });

  it('runs CMD & in the background: $! is its pid, wait waits for it', () => {
    const r = sh(b, 'sleep 1 & echo started $!; wait $!; echo waited $?');
    expect(r.stdout).toMatch(/^started \d+\nwaited 0\n$/);
    expect(out('sleep 1 && echo later & echo now; wait; echo all done')).toBe('now\nlater\nall done\n');
    expect(out('false & wait $!; echo $?')).toBe('1\n');
    expect(out('echo bg > /tmp/bgfile & wait; cat /tmp/bgfile')).toBe('bg\n');
    // $! is the command itself (it replaced the background subshell), so kill reaches it.
    expect(out('sleep 100 & kill $!; wait $!; echo $?')).toBe('143\n');
    expect(out('sleep 100 & kill $!; wait; ps')).not.toMatch(/sleep/);
    // Without job control a background command ignores SIGINT, and reads /dev/null.
    expect(out('sleep 1 & kill -INT $!; wait $!; echo $?')).toBe('0\n');
    expect(out('cat & wait $!; echo $?')).toBe('0\n');
    expect(out('wait 99999; echo $?')).toBe('127\n');
    const e = sh(b, 'echo ran; & echo no');
    expect(e.stderr).toBe('sh: 1: Syntax error: "&" unexpected\n');
    expect(e.stdout).toBe('');
  });

  it('reads a script from standard input, with a root@ksim prompt when interactive', () => {
    const c = b.console;
    const before = c.stdoutText().length;
    const prog = runProgram(b.machine, ['/bin/sh', '-i'], {
      beforeExec: (t) => {
        const file = b.machine.vfs;
        file.writeFile('/tmp/script', 'echo hi\ncd /tmp\nexit 4\n');
        void t;
      },
    });
    expect(prog.status).toBe(0); // stdin is empty on this console: the shell just exits
    expect(c.stdoutText().slice(before)).toBe('root@ksim:/work# exit\n');
    expect(out('sh /tmp/script; echo $?')).toBe('hi\n4\n');
  });
});

describe('the small programs', () => {
  it('uname, pwd, true, false', () => {
    expect(out('uname; uname -r; uname -s -n -m')).toBe('Linux\n4.7.1-stephen\nLinux ksim x86_64\n');
    expect(out('uname -a')).toBe('Linux ksim 4.7.1-stephen #1 SMP ksim x86_64 GNU/Linux\n');
    expect(out('pwd')).toBe('/work\n');
    expect(sh(b, 'true').status).toBe(0);
    expect(sh(b, 'false').status).toBe(1);
  });

  it('mkdir, cp, mv, rm, ls', () => {
    expect(out('mkdir -p /tmp/a/b && cp notes.txt /tmp/a/n1 && cp /tmp/a/n1 /tmp/a/b && mv /tmp/a/n1 /tmp/a/n2 && ls /tmp/a')).toBe('b\nn2\n');
    expect(out('ls -a /tmp/a/b; cat /tmp/a/b/n1 | wc -l')).toBe('.\n..\nn1\n3\n');
    expect(out('ls -l /tmp/a/n2')).toMatch(/^-rw-r--r-- 1 0 0 +17 \w{3} [ \d]\d \d\d:\d\d \/tmp\/a\/n2\n$/);
    expect(out('rm /tmp/a/n2 && rm -r /tmp/a && ls /tmp/a; echo $?')).toBe('2\n');
    expect(sh(b, 'rm /tmp/nothing').stderr).toBe("rm: cannot remove '/tmp/nothing': No such file or directory\n");
    expect(sh(b, 'rm -f /tmp/nothing').status).toBe(0);
  });

  it('env, sleep, kill, ps', () => {
    expect(out('env -i A=1 B=2')).toBe('A=1\nB=2\n');
    expect(sh(b, 'sleep 0.01').status).toBe(0);
    expect(out('kill -l | head -n 2')).toBe(' 1) SIGHUP\n 2) SIGINT\n');
    expect(out('sh -c \'kill -9 $$\'; echo $?')).toBe('137\n');
    const ps = out('ps').split('\n');
    expect(ps[0]).toBe('    PID TTY          TIME CMD');
    expect(ps.some((l) => / ps$/.test(l))).toBe(true);
    expect(ps.some((l) => / sh$/.test(l))).toBe(true);
  });

  it('dmesg reads the kernel log with syslog(2), as dmesg prints it', () => {
    b.machine.log.printk('\x016hello from the kernel\n');
    b.machine.log.printk('\x013second line\n');
    expect(out('dmesg | tail -n 2')).toMatch(/^\[ *\d+\.\d{6}\] hello from the kernel\n\[ *\d+\.\d{6}\] second line\n$/);
    expect(out('dmesg -r | tail -n 1')).toMatch(/^<3>\[ *\d+\.\d{6}\] second line\n$/);
    expect(out('dmesg -t | tail -n 2')).toBe('hello from the kernel\nsecond line\n');
    expect(out('dmesg -c -t | tail -n 1; dmesg | wc -l')).toBe('second line\n0\n');
  });
});
