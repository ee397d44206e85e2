/* sh: ksim's shell, a POSIX-ish subset that covers what tutorials type at a prompt: pipelines,
 * redirections (< > >> N> N>&M), ; && ||, quoting ('...', "...", \), $VAR ${VAR} $? $$ $(...) ~ and
 * pathname patterns (* ? [...]),
 * VAR=value assignments, a PATH search, and the builtins cd, exit, export, unset and :.
 * Usage: sh [-c COMMAND | FILE]; reading commands from a terminal, it prints `root@ksim:~# `.
 * `CMD &` runs in the background ($! is its pid; `wait [PID...]` waits for it).
 * Interactive, it catches SIGINT and SIGQUIT (the commands it runs get the default actions), so ^C
 * ends the command in the foreground, or the line being typed, and the prompt comes back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/wait.h>
#include <sys/utsname.h>
#include <dirent.h>
#include <signal.h>

#define MAXTOK 512
#define MAXARGS 128
#define MAXREDIR 16
#define MAXCMDS 32

enum { T_WORD, T_PIPE, T_SEMI, T_AND, T_OR, T_REDIR, T_BG, T_END };
enum { R_IN, R_OUT, R_APPEND, R_DUP };

struct token { int type; char *text; int fd; int rtype; int assign; };
struct redir { int fd; int type; char *target; };
struct cmd { char *argv[MAXARGS]; int argc; char *assigns[MAXARGS]; int nassign; struct redir redirs[MAXREDIR]; int nredir; };

static struct token toks[MAXTOK];
static int ntok;
static int last_status;
static int interactive;
/* The pid of the last background command ($!), 0 before the first. */
static pid_t last_bg;
/* In a background subshell: its last simple command replaces it (so $! is that command's pid). */
static int exec_in_place;
static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig) { (void)sig; got_sigint = 1; }

/* A child of the shell: the terminal's signals act on it by default again. */
static void default_signals(void) {
  if (!interactive) return;
  signal(SIGINT, SIG_DFL);
  signal(SIGQUIT, SIG_DFL);
}
/* The status of the last $(...) of the command being expanded (a bare assignment's status). */
static int subst_status;

/* ---- a growable string ---- */
struct buf { char *s; int len; int cap; };
static void bput(struct buf *b, char c) {
  if (b->len + 2 > b->cap) { b->cap = b->cap ? b->cap * 2 : 64; b->s = realloc(b->s, b->cap); }
  b->s[b->len++] = c;
  b->s[b->len] = 0;
}
static void bputs(struct buf *b, const char *s) { while (*s) bput(b, *s++); }

static int isname(char c, int first) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

static void run_line(const char *line);

/* The end of a $( ... ) starting at p (at the '('): the matching ')', or NULL. */
static const char *subst_end(const char *p) {
  int depth = 0;
  for (; *p; p++) {
    if (*p == '\\' && p[1]) p++;
    else if (*p == '\'') { p = strchr(p + 1, '\''); if (!p) return NULL; }
    else if (*p == '(') depth++;
    else if (*p == ')') {
      depth--;
      if (depth == 0) return p;
    }
  }
  return NULL;
}

/* $(command): runs command in a child shell and appends its output, less trailing newlines. */
static void command_subst(const char *cmd, int len, struct buf *b) {
  char *text = strndup(cmd, len);
  int pfd[2];
  fflush(stdout);
  if (pipe(pfd) < 0) { perror("sh: pipe"); free(text); return; }
  pid_t pid = fork();
  if (pid == 0) {
    default_signals();
    close(pfd[0]);
    dup2(pfd[1], 1);
    close(pfd[1]);
    run_line(text);
    fflush(stdout);
    _exit(last_status);
  }
  close(pfd[1]);
  char chunk[512];
  long n;
  int start = b->len;
  while ((n = read(pfd[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)) for (long i = 0; i < n; i++) bput(b, chunk[i]);
  close(pfd[0]);
  int st = 0;
  pid_t w = -1;
  if (pid > 0) while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
  if (w > 0) subst_status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
  while (b->len > start && b->s[b->len - 1] == '\n') b->s[--b->len] = 0;
  free(text);
}

/* Expands $... at *p (just past the '$') into b; returns the new position. */
static const char *expand_dollar(const char *p, struct buf *b) {
  char name[256];
  int n = 0;
  char num[32];
  if (*p == '(') {
    const char *end = subst_end(p);
    if (!end) { fprintf(stderr, "sh: unexpected EOF while looking for matching `)'\n"); return p + strlen(p); }
    command_subst(p + 1, (int)(end - p - 1), b);
    return end + 1;
  }
  if (*p == '?') { snprintf(num, sizeof num, "%d", last_status); bputs(b, num); return p + 1; }
  if (*p == '$') { snprintf(num, sizeof num, "%d", (int)getpid()); bputs(b, num); return p + 1; }
  if (*p == '!') { if (last_bg) { snprintf(num, sizeof num, "%d", (int)last_bg); bputs(b, num); } return p + 1; }
  if (*p == '{') {
    const char *q = p + 1;
    while (*q && *q != '}' && n < 255) name[n++] = *q++;
    name[n] = 0;
    if (*q != '}') { fprintf(stderr, "sh: bad substitution\n"); return q; }
    const char *v = getenv(name);
    if (v) bputs(b, v);
    return q + 1;
  }
  if (*p >= '0' && *p <= '9') return p + 1; /* positional parameters: none */
  if (!isname(*p, 1)) { bput(b, '$'); return p; }
  while (isname(*p, 0) && n < 255) name[n++] = *p++;
  name[n] = 0;
  const char *v = getenv(name);
  if (v) bputs(b, v);
  return p;
}

/* The mark field splitting leaves between the fields of an unquoted expansion. */
#define FIELD_BREAK '\001'

/* Quote removal, ~ and $ expansion of a word as typed; *quoted tells whether it had quotes. With
 * split, the blanks an unquoted $VAR or $(...) brought become FIELD_BREAKs (IFS=" \t\n"). */
static char *expand_word(const char *p, int *quoted, int split) {
  struct buf b = { 0, 0, 0 };
  bput(&b, 0);
  b.len = 0;
  *quoted = 0;
  if (*p == '~' && (p[1] == '/' || p[1] == 0)) {
    const char *h = getenv("HOME");
    bputs(&b, h ? h : "/");
    p++;
  }
  while (*p) {
    if (*p == '\\') {
      p++;
      if (*p) bput(&b, *p++);
      *quoted = 1;
    } else if (*p == '\'') {
      p++;
      while (*p && *p != '\'') bput(&b, *p++);
      if (*p) p++;
      *quoted = 1;
    } else if (*p == '"') {
      p++;
      while (*p && *p != '"') {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`')) { bput(&b, p[1]); p += 2; }
        else if (*p == '$') p = expand_dollar(p + 1, &b);
        else bput(&b, *p++);
      }
      if (*p) p++;
      *quoted = 1;
    } else if (*p == '$') {
      int start = b.len;
      p = expand_dollar(p + 1, &b);
      if (split) for (int k = start; k < b.len; k++) if (b.s[k] == ' ' || b.s[k] == '\t' || b.s[k] == '\n') b.s[k] = FIELD_BREAK;
    } else {
      bput(&b, *p++);
    }
  }
  return b.s;
}

/* Splits a line into tokens: words, operators and redirections. */
static int tokenize(const char *p) {
  ntok = 0;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (*p == 0 || *p == '#') break;
    if (ntok >= MAXTOK - 1) { fprintf(stderr, "sh: line too long\n"); return -1; }
    struct token *t = &toks[ntok];
    t->text = NULL; t->fd = -1; t->assign = 0;
    if (p[0] == '|' && p[1] == '|') { t->type = T_OR; p += 2; ntok++; continue; }
    if (p[0] == '&' && p[1] == '&') { t->type = T_AND; p += 2; ntok++; continue; }
    if (*p == '|') { t->type = T_PIPE; p++; ntok++; continue; }
    if (*p == ';') { t->type = T_SEMI; p++; ntok++; continue; }
    if (*p == '&') { t->type = T_BG; p++; ntok++; continue; }
    /* Redirections: [N]< [N]> [N]>> [N]>&M */
    const char *q = p;
    int fd = -1;
    if (*q >= '0' && *q <= '9' && (q[1] == '<' || q[1] == '>')) { fd = *q - '0'; q++; }
    if (*q == '<' || *q == '>') {
      t->type = T_REDIR;
      if (q[0] == '>' && q[1] == '>') { t->rtype = R_APPEND; q += 2; }
      else if (q[0] == '>' && q[1] == '&') { t->rtype = R_DUP; q += 2; }
      else if (q[0] == '<') { t->rtype = R_IN; q++; }
      else { t->rtype = R_OUT; q++; }
      t->fd = fd >= 0 ? fd : (t->rtype == R_IN ? 0 : 1);
      p = q;
      ntok++;
      continue;
    }
    /* A word: kept as typed; quotes are removed and $ expanded when its command runs. */
    const char *w = p;
    while (*p && !strchr(" \t\n\r|;&<>", *p)) {
      if (*p == '\\') { p++; if (*p) p++; }
      else if (*p == '$' && p[1] == '(') {
        const char *end = subst_end(p + 1);
        if (!end) { fprintf(stderr, "sh: unexpected EOF while looking for matching `)'\n"); return -1; }
        p = end + 1;
      } else if (*p == '\'' || *p == '"') {
        char qc = *p++;
        while (*p && *p != qc) {
          if (qc == '"' && *p == '\\' && p[1]) p++;
          else if (qc == '"' && *p == '$' && p[1] == '(' && subst_end(p + 1)) p = subst_end(p + 1);
          p++;
        }
        if (!*p) { fprintf(stderr, "sh: unexpected EOF while looking for matching `%c'\n", qc); return -1; }
        p++;
      } else p++;
    }
    t->type = T_WORD;
    t->text = strndup(w, p - w);
    int name_len = 0;
    while (isname(w[name_len], name_len == 0)) name_len++;
    t->assign = name_len > 0 && w[name_len] == '=';
    ntok++;
  }
  toks[ntok].type = T_END;
  return 0;
}

static const char *tokname(int i) {
  switch (toks[i].type) {
  case T_PIPE: return "|";
  case T_SEMI: return ";";
  case T_BG: return "&";
  case T_AND: return "&&";
  case T_OR: return "||";
  case T_END: return "newline";
  case T_REDIR: return toks[i].rtype == R_IN ? "<" : toks[i].rtype == R_APPEND ? ">>" : toks[i].rtype == R_DUP ? ">&" : ">";
  default: return toks[i].text;
  }
}

/* ---- pathname expansion (globbing) of unquoted words with * ? [...] ---- */
static int fnmatch_simple(const char *p, const char *s) {
  for (; *p; p++, s++) {
    if (*p == '*') {
      while (p[1] == '*') p++;
      for (const char *t = s;; t++) {
        if (fnmatch_simple(p + 1, t)) return 1;
        if (!*t) return 0;
      }
    }
    if (!*s) return 0;
    if (*p == '?') continue;
    if (*p == '[') {
      const char *q = p + 1;
      int neg = *q == '!' || *q == '^', hit = 0;
      if (neg) q++;
      const char *first = q;
      while (*q && (*q != ']' || q == first)) {
        if (q[1] == '-' && q[2] && q[2] != ']') { if (*s >= q[0] && *s <= q[2]) hit = 1; q += 3; }
        else { if (*s == *q) hit = 1; q++; }
      }
      if (!*q) { if (*s != '[') return 0; continue; } /* no closing ]: a plain [ */
      if (hit == neg) return 0;
      p = q;
      continue;
    }
    if (*p != *s) return 0;
  }
  return *s == 0;
}

static char **globv;
static int globn, globcap;

static int glob_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Matches the components of pattern rest under the directory prefix (which ends in '/' or is ""). */
static void glob_walk(const char *prefix, const char *rest) {
  while (*rest == '/') rest++;
  const char *slash = strchr(rest, '/');
  int clen = slash ? (int)(slash - rest) : (int)strlen(rest);
  char comp[256];
  if (clen >= (int)sizeof comp) return;
  memcpy(comp, rest, clen);
  comp[clen] = 0;
  char path[4096];
  if (!strpbrk(comp, "*?[")) {
    snprintf(path, sizeof path, "%s%s%s", prefix, comp, slash ? "/" : "");
    if (slash) glob_walk(path, slash + 1);
    else if (access(path, F_OK) == 0) { if (globn == globcap) { globcap = globcap ? globcap * 2 : 16; globv = realloc(globv, globcap * sizeof *globv); } globv[globn++] = strdup(path); }
    return;
  }
  DIR *d = opendir(*prefix ? prefix : ".");
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && comp[0] != '.') continue;
    if (!fnmatch_simple(comp, e->d_name)) continue;
    snprintf(path, sizeof path, "%s%s", prefix, e->d_name);
    if (slash) {
      strncat(path, "/", sizeof path - strlen(path) - 1);
      glob_walk(path, slash + 1);
    } else {
      if (globn == globcap) { globcap = globcap ? globcap * 2 : 16; globv = realloc(globv, globcap * sizeof *globv); }
      globv[globn++] = strdup(path);
    }
  }
  closedir(d);
}

/* Expands pattern into sorted matches appended to c->argv; returns 0 when nothing matched. */
static int glob_into(const char *pattern, char **argv, int *argc);

static char *scratch[MAXTOK];
static int nscratch;

/* Expands a word for the command about to run (freed when the line is done). */
static char *expanded(const char *text, int *quoted, int split) {
  char *x = expand_word(text, quoted, split);
  if (nscratch < MAXTOK) scratch[nscratch++] = x;
  return x;
}

static int glob_into(const char *pattern, char **argv, int *argc) {
  globn = 0;
  glob_walk(pattern[0] == '/' ? "/" : "", pattern);
  if (globn == 0) return 0;
  qsort(globv, globn, sizeof *globv, glob_cmp);
  for (int i = 0; i < globn; i++) {
    if (*argc < MAXARGS - 1) argv[(*argc)++] = globv[i];
    if (nscratch < MAXTOK) scratch[nscratch++] = globv[i];
  }
  return 1;
}

/* Parses one simple command from toks[*pos], expanding its words when expand is set (checking
 * the syntax only when not); returns -1 on a syntax error. */
static int parse_cmd(int *pos, struct cmd *c, int expand) {
  int i = *pos, q;
  c->argc = 0; c->nassign = 0; c->nredir = 0;
  while (toks[i].type == T_WORD || toks[i].type == T_REDIR) {
    if (toks[i].type == T_REDIR) {
      if (toks[i + 1].type != T_WORD) { fprintf(stderr, "sh: syntax error near unexpected token `%s'\n", tokname(i + 1)); return -1; }
      if (c->nredir >= MAXREDIR) { fprintf(stderr, "sh: too many redirections\n"); return -1; }
      struct redir *r = &c->redirs[c->nredir++];
      r->fd = toks[i].fd; r->type = toks[i].rtype; r->target = expand ? expanded(toks[i + 1].text, &q, 0) : toks[i + 1].text;
      i += 2;
      continue;
    }
    if (c->argc == 0 && toks[i].assign && c->nassign < MAXARGS - 1) {
      c->assigns[c->nassign++] = expand ? expanded(toks[i].text, &q, 0) : toks[i].text;
    } else if (c->argc < MAXARGS - 1) {
      char *w = expand ? expanded(toks[i].text, &q, 1) : toks[i].text;
      /* A word typed with * ? or [ and no quoting is a pattern: its matches, or itself when none. */
      int pattern = expand && !strpbrk(toks[i].text, "'\"\\") && strpbrk(toks[i].text, "*?[");
      if (pattern && !strchr(w, FIELD_BREAK) && glob_into(w, c->argv, &c->argc)) { i++; continue; }
      if (expand && strchr(w, FIELD_BREAK)) {
        /* Field splitting: runs of breaks separate fields; leading and trailing ones make none. */
        char *save = NULL, brk[2] = { FIELD_BREAK, 0 };
        for (char *f = strtok_r(w, brk, &save); f; f = strtok_r(NULL, brk, &save)) if (c->argc < MAXARGS - 1) c->argv[c->argc++] = f;
        i++;
        continue;
      }
      /* An unquoted expansion that came out empty is no word at all. */
      if (!expand || *w || q) c->argv[c->argc++] = w;
    }
    i++;
  }
  c->argv[c->argc] = NULL;
  if (i == *pos) {
    fprintf(stderr, "sh: syntax error near unexpected token `%s'\n", tokname(i));
    return -1;
  }
  *pos = i;
  return 0;
}

/* Applies redirections in this process; save (if given) receives copies of what was replaced. */
static int apply_redirs(struct cmd *c, int *save) {
  for (int i = 0; i < c->nredir; i++) {
    struct redir *r = &c->redirs[i];
    int fd;
    if (save && save[r->fd] == -2) save[r->fd] = dup(r->fd);
    if (r->type == R_DUP) {
      if (strcmp(r->target, "-") == 0) { close(r->fd); continue; }
      char *end;
      long m = strtol(r->target, &end, 10);
      if (*end || end == r->target) { fprintf(stderr, "sh: %s: ambiguous redirect\n", r->target); return -1; }
      if (dup2((int)m, r->fd) < 0) { fprintf(stderr, "sh: %ld: %s\n", m, strerror(errno)); return -1; }
      continue;
    }
    if (r->type == R_IN) fd = open(r->target, O_RDONLY);
    else if (r->type == R_APPEND) fd = open(r->target, O_WRONLY | O_CREAT | O_APPEND, 0666);
    else fd = open(r->target, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) { fprintf(stderr, "sh: %s: %s\n", r->target, strerror(errno)); return -1; }
    if (fd != r->fd) { dup2(fd, r->fd); close(fd); }
  }
  return 0;
}

static void set_assign(char *a) {
  char *eq = strchr(a, '=');
  *eq = 0;
  setenv(a, eq + 1, 1);
  *eq = '=';
}

static int is_builtin(const char *name) {
  return strcmp(name, "cd") == 0 || strcmp(name, "exit") == 0 || strcmp(name, "export") == 0 ||
         strcmp(name, "unset") == 0 || strcmp(name, ":") == 0 || strcmp(name, "wait") == 0;
}

static int run_builtin(struct cmd *c) {
  char **argv = c->argv;
  if (strcmp(argv[0], ":") == 0) return 0;
  if (strcmp(argv[0], "cd") == 0) {
    const char *dir = argv[1] ? argv[1] : getenv("HOME");
    if (!dir) dir = "/";
    int print = 0;
    if (strcmp(dir, "-") == 0) { dir = getenv("OLDPWD"); print = 1; if (!dir) { fprintf(stderr, "sh: cd: OLDPWD not set\n"); return 1; } }
    char old[1024];
    if (!getcwd(old, sizeof old)) old[0] = 0;
    if (chdir(dir) < 0) { fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno)); return 1; }
    char cwd[1024];
    if (getcwd(cwd, sizeof cwd)) { setenv("PWD", cwd, 1); if (print) puts(cwd); }
    if (old[0]) setenv("OLDPWD", old, 1);
    return 0;
  }
  if (strcmp(argv[0], "exit") == 0) {
    fflush(stdout);
    exit(argv[1] ? atoi(argv[1]) & 0xff : last_status);
  }
  if (strcmp(argv[0], "export") == 0) {
    for (int i = 1; argv[i]; i++) {
      if (strchr(argv[i], '=')) set_assign(argv[i]);
      else if (!getenv(argv[i])) setenv(argv[i], "", 1);
    }
    if (!argv[1]) for (char **e = environ; *e; e++) printf("export %s\n", *e);
    return 0;
  }
  if (strcmp(argv[0], "unset") == 0) {
    for (int i = 1; argv[i]; i++) unsetenv(argv[i]);
    return 0;
  }
  if (strcmp(argv[0], "wait") == 0) {
    /* wait: every background command; wait PID...: those, the status of the last (127 if unknown).
     * A ^C while waiting returns 130. */
    int st = 0, r = 0;
    for (int i = 1; argv[i] || i == 1; i++) {
      pid_t pid = argv[i] ? (pid_t)atoi(argv[i]) : -1;
      pid_t w;
      while ((w = waitpid(pid, &st, 0)) != 0) {
        if (w < 0 && errno == EINTR) {
          if (got_sigint) { got_sigint = 0; return 130; }
          continue;
        }
        if (w < 0 || pid > 0) break;
      }
      if (pid > 0) r = w < 0 ? 127 : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
      if (!argv[i]) break;
    }
    return r;
  }
  return 1;
}

/* execve with a PATH search; returns only on failure, with the exit status to use. */
static int exec_path(char **argv) {
  if (strchr(argv[0], '/')) {
    execve(argv[0], argv, environ);
    int e = errno;
    fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(e));
    return e == ENOENT ? 127 : 126;
  }
  const char *path = getenv("PATH");
  if (!path) path = "/bin:/usr/bin";
  char full[1024];
  int denied = 0;
  while (*path) {
    const char *colon = strchr(path, ':');
    int n = colon ? (int)(colon - path) : (int)strlen(path);
    if (n == 0) snprintf(full, sizeof full, "%s", argv[0]);
    else snprintf(full, sizeof full, "%.*s/%s", n, path, argv[0]);
    execve(full, argv, environ);
    if (errno == EACCES) denied = 1;
    path += n;
    if (*path == ':') path++;
  }
  if (denied) { fprintf(stderr, "sh: %s: Permission denied\n", argv[0]); return 126; }
  fprintf(stderr, "sh: %s: command not found\n", argv[0]);
  return 127;
}

static int status_of(int st) {
  if (WIFSIGNALED(st)) {
    int sig = WTERMSIG(st);
    if (sig != 13 && sig != 2) fprintf(stderr, "%s%s\n", strsignal(sig), WCOREDUMP(st) ? " (core dumped)" : "");
    else if (sig == 2 && interactive) fputc('\n', stderr); /* after the terminal's ^C */
    return 128 + sig;
  }
  return WEXITSTATUS(st);
}

/* Runs a pipeline of n commands and returns its status (the last command's). */
static int run_pipeline(struct cmd *cmds, int n) {
  if (n == 1 && cmds[0].argc == 0) {
    /* Only assignments and redirections. */
    for (int i = 0; i < cmds[0].nassign; i++) set_assign(cmds[0].assigns[i]);
    int save[10];
    for (int i = 0; i < 10; i++) save[i] = -2;
    int r = apply_redirs(&cmds[0], save);
    for (int i = 0; i < 10; i++) if (save[i] != -2) { if (save[i] >= 0) { dup2(save[i], i); close(save[i]); } else close(i); }
    return r < 0 ? 1 : subst_status;
  }
  if (n == 1 && is_builtin(cmds[0].argv[0])) {
    int save[10];
    for (int i = 0; i < 10; i++) save[i] = -2;
    fflush(stdout);
    int r = apply_redirs(&cmds[0], save) < 0 ? 1 : run_builtin(&cmds[0]);
    fflush(stdout);
    for (int i = 0; i < 10; i++) if (save[i] != -2) { if (save[i] >= 0) { dup2(save[i], i); close(save[i]); } else close(i); }
    return r;
  }
  pid_t pids[MAXCMDS];
  int in = -1;
  fflush(stdout);
  fflush(stderr);
  for (int i = 0; i < n; i++) {
    int pfd[2] = { -1, -1 };
    if (i < n - 1 && pipe(pfd) < 0) { perror("sh: pipe"); return 1; }
    pid_t pid = fork();
    if (pid < 0) { perror("sh: fork"); return 1; }
    if (pid == 0) {
      default_signals();
      if (in >= 0) { dup2(in, 0); close(in); }
      if (pfd[1] >= 0) { dup2(pfd[1], 1); close(pfd[1]); close(pfd[0]); }
      for (int a = 0; a < cmds[i].nassign; a++) set_assign(cmds[i].assigns[a]);
      if (apply_redirs(&cmds[i], NULL) < 0) _exit(1);
      if (cmds[i].argc == 0) _exit(0);
      if (is_builtin(cmds[i].argv[0])) { int r = run_builtin(&cmds[i]); fflush(stdout); _exit(r); }
      _exit(exec_path(cmds[i].argv));
    }
    pids[i] = pid;
    if (in >= 0) close(in);
    if (pfd[1] >= 0) close(pfd[1]);
    in = pfd[0];
  }
  int status = 0;
  for (int i = 0; i < n; i++) {
    int st;
    while (waitpid(pids[i], &st, 0) < 0) if (errno != EINTR) break;
    if (i == n - 1) status = status_of(st);
  }
  return status;
}

/* Walks the and-or list of the line: checks its syntax (run = 0), or runs it (run = 1), each
 * pipeline's words expanded just before it runs so `cd /tmp; echo $PWD` sees the new directory. */
static int walk_line(int run) {
  int pos = 0;
  int skip = 0;
  int list_start = 1;
  static struct cmd cmds[MAXCMDS];
  while (toks[pos].type != T_END) {
    if (run && list_start) {
      /* An and-or list ended by `&` runs in a background subshell, SIGINT and SIGQUIT ignored and
       * standard input from /dev/null (as POSIX has it without job control); the shell goes on. */
      int end = pos;
      while (toks[end].type != T_END && toks[end].type != T_SEMI && toks[end].type != T_BG) end++;
      if (toks[end].type == T_BG) {
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid < 0) { perror("sh: fork"); last_status = 1; pos = end + 1; continue; }
        if (pid > 0) {
          last_bg = pid;
          last_status = 0;
          pos = end + 1;
          skip = 0;
          continue;
        }
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
        interactive = 0;
        int fd = open("/dev/null", O_RDONLY);
        if (fd > 0) { dup2(fd, 0); close(fd); }
        toks[end].type = T_END;
        exec_in_place = 1;
      }
    }
    list_start = 0;
    int n = 0;
    for (;;) {
      if (n >= MAXCMDS) { fprintf(stderr, "sh: pipeline too long\n"); return -1; }
      if (n == 0) subst_status = 0;
      if (parse_cmd(&pos, &cmds[n], run && !skip) < 0) return -1;
      n++;
      if (toks[pos].type != T_PIPE) break;
      pos++;
    }
    int sep = toks[pos].type;
    if (sep != T_END && sep != T_SEMI && sep != T_AND && sep != T_OR && sep != T_BG) {
      fprintf(stderr, "sh: syntax error near unexpected token `%s'\n", tokname(pos));
      return -1;
    }
    if (sep != T_END) pos++;
    if ((sep == T_AND || sep == T_OR) && toks[pos].type == T_END) {
      fprintf(stderr, "sh: syntax error: unexpected end of line\n");
      return -1;
    }
    if (run && !skip) {
      if (exec_in_place && sep == T_END && n == 1 && cmds[0].argc > 0 && !is_builtin(cmds[0].argv[0])) {
        /* The background subshell's last command: exec it in place. */
        for (int a = 0; a < cmds[0].nassign; a++) set_assign(cmds[0].assigns[a]);
        if (apply_redirs(&cmds[0], NULL) < 0) _exit(1);
        _exit(exec_path(cmds[0].argv));
      }
      last_status = run_pipeline(cmds, n);
    }
    /* `a && b`: b runs when a succeeded; `a || b`: when it failed; `;` and `&` always. */
    if (sep == T_AND) skip = last_status != 0;
    else if (sep == T_OR) skip = last_status == 0;
    else skip = 0;
    if (sep == T_SEMI || sep == T_BG) list_start = 1;
  }
  if (run && exec_in_place) {
    fflush(stdout);
    _exit(last_status);
  }
  return 0;
}

/* Runs one line: pipelines joined by ; && ||. */
static void run_line(const char *line) {
  if (tokenize(line) < 0 || walk_line(0) < 0) last_status = 2;
  else walk_line(1);
  for (int i = 0; i < ntok; i++) free(toks[i].text);
  for (int i = 0; i < nscratch; i++) free(scratch[i]);
  nscratch = 0;
}

static void prompt(void) {
  char host[65] = "ksim";
  struct utsname u;
  if (uname(&u) == 0) snprintf(host, sizeof host, "%s", u.nodename);
  const char *user = getenv("USER");
  if (!user) user = getuid() == 0 ? "root" : "user";
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "?");
  const char *home = getenv("HOME");
  int hl = home ? (int)strlen(home) : 0;
  if (hl > 1 && strncmp(cwd, home, hl) == 0 && (cwd[hl] == 0 || cwd[hl] == '/')) printf("%s@%s:~%s%s ", user, host, cwd + hl, geteuid() == 0 ? "#" : "$");
  else printf("%s@%s:%s%s ", user, host, cwd, geteuid() == 0 ? "#" : "$");
  fflush(stdout);
}

/* Reads a line from the terminal with read(2), a byte at a time (stdio would retry after ^C and
 * would keep typed-ahead lines from the commands): its length, -1 at end of input, -2 after ^C. */
static long read_terminal_line(char **line, size_t *cap) {
  size_t n = 0;
  for (;;) {
    if (n + 2 > *cap) {
      *cap = *cap ? *cap * 2 : 256;
      *line = realloc(*line, *cap);
    }
    long k = read(0, *line + n, 1);
    if (k < 0 && errno == EINTR && got_sigint) { got_sigint = 0; return -2; }
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) { (*line)[n] = 0; return n ? (long)n : -1; }
    if ((*line)[n++] == '\n') { (*line)[n] = 0; return (long)n; }
  }
}

int main(int argc, char **argv) {
  FILE *in = stdin;
  if (argc > 2 && strcmp(argv[1], "-c") == 0) {
    run_line(argv[2]);
    fflush(stdout);
    return last_status;
  }
  if (argc > 1 && strcmp(argv[1], "-i") == 0) interactive = 1;
  else if (argc > 1) {
    in = fopen(argv[1], "r");
    if (!in) { fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno)); return 127; }
  } else interactive = isatty(0);
  if (interactive) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint; /* no SA_RESTART: a read at the prompt ends with EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
  }
  char *line = NULL;
  size_t cap = 0;
  for (;;) {
    if (interactive && in == stdin) {
      int st;
      while (waitpid(-1, &st, WNOHANG) > 0) {} /* background commands that ended */
      prompt();
      long r = read_terminal_line(&line, &cap);
      if (r == -2) { fputc('\n', stdout); continue; }
      if (r < 0) break;
      got_sigint = 0;
    } else {
      if (interactive) prompt();
      if (getline(&line, &cap, in) < 0) break;
    }
    run_line(line);
    fflush(stdout);
  }
  if (interactive) printf("exit\n");
  free(line);
  return last_status;
}
