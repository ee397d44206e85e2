/* grep: prints lines matching a pattern: a basic regular expression (^ $ . * [...] [^...] \c) or,
 * with -F, a fixed string. Options -i -v -n -c -q -l -h -H; exits 0 on a match, 1 on none, 2 on
 * error. The matcher is the Kernighan-Pike backtracking one, grown bracket expressions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ctype.h>

static int iflag, vflag, nflag, cflag, qflag, lflag, Fflag, names;
static const char *pattern;

static int fold(int c) { return iflag ? tolower(c) : c; }

/* Length of the pattern element at p: one char, an escape, or a bracket expression. */
static int elem_len(const char *p) {
  if (*p == '\\' && p[1]) return 2;
  if (*p == '[') {
    const char *q = p + 1;
    if (*q == '^') q++;
    if (*q == ']') q++;
    while (*q && *q != ']') q++;
    return *q ? (int)(q - p + 1) : 1;
  }
  return 1;
}

/* Whether c matches the single element at p (of length len). */
static int elem_match(const char *p, int len, int c) {
  if (len == 2 && *p == '\\') return fold(p[1]) == fold(c);
  if (*p == '[' && len > 1) {
    const char *q = p + 1, *end = p + len - 1;
    int neg = 0, hit = 0;
    if (*q == '^') { neg = 1; q++; }
    for (const char *first = q; q < end; q++) {
      if (q + 2 < end && q[1] == '-') {
        if (fold(c) >= fold(q[0]) && fold(c) <= fold(q[2])) hit = 1;
        q += 2;
      } else if (fold(*q) == fold(c) || (q == first && *q == ']' && c == ']')) {
        hit = 1;
      }
    }
    return hit != neg;
  }
  return *p == '.' || fold(*p) == fold(c);
}

static int match_here(const char *re, const char *text);

static int match_star(const char *e, int len, const char *re, const char *text) {
  const char *t = text;
  while (*t && elem_match(e, len, (unsigned char)*t)) t++;
  for (; t >= text; t--) if (match_here(re, t)) return 1;
  return 0;
}

static int match_here(const char *re, const char *text) {
  if (*re == 0) return 1;
  if (re[0] == '$' && re[1] == 0) return *text == 0;
  int len = elem_len(re);
  if (re[len] == '*') return match_star(re, len, re + len + 1, text);
  if (*text && elem_match(re, len, (unsigned char)*text)) return match_here(re + len, text + 1);
  return 0;
}

static int matches(const char *line) {
  if (Fflag) {
    size_t n = strlen(pattern);
    for (const char *t = line; *t; t++) {
      size_t k = 0;
      while (k < n && t[k] && fold((unsigned char)t[k]) == fold((unsigned char)pattern[k])) k++;
      if (k == n) return 1;
    }
    return n == 0;
  }
  if (pattern[0] == '^') return match_here(pattern + 1, line);
  const char *t = line;
  do {
    if (match_here(pattern, t)) return 1;
  } while (*t++);
  return 0;
}

/* Greps one stream; returns the number of selected lines. */
static long grep(FILE *f, const char *name) {
  char *line = NULL;
  size_t cap = 0;
  long len, lineno = 0, count = 0;
  while ((len = getline(&line, &cap, f)) > 0) {
    lineno++;
    if (line[len - 1] == '\n') line[len - 1] = 0;
    if (matches(line) == vflag) continue;
    count++;
    if (qflag) break;
    if (lflag) { printf("%s\n", name); break; }
    if (cflag) continue;
    if (names) printf("%s:", name);
    if (nflag) printf("%ld:", lineno);
    puts(line);
  }
  free(line);
  if (cflag && !qflag && !lflag) {
    if (names) printf("%s:", name);
    printf("%ld\n", count);
  }
  return count;
}

int main(int argc, char **argv) {
  int i = 1, hflag = -1, error = 0;
  long total = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) { i++; break; }
    if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) { pattern = argv[++i]; continue; }
    for (const char *p = argv[i] + 1; *p; p++) {
      switch (*p) {
      case 'i': iflag = 1; break;
      case 'v': vflag = 1; break;
      case 'n': nflag = 1; break;
      case 'c': cflag = 1; break;
      case 'q': qflag = 1; break;
      case 'l': lflag = 1; break;
      case 'F': Fflag = 1; break;
      case 'G': Fflag = 0; break;
      case 'h': hflag = 0; break;
      case 'H': hflag = 1; break;
      default: fprintf(stderr, "grep: invalid option -- '%c'\n", *p); return 2;
      }
    }
  }
  if (!pattern) {
    if (i == argc) { fprintf(stderr, "Usage: grep [OPTION]... PATTERNS [FILE]...\n"); return 2; }
    pattern = argv[i++];
  }
  names = hflag >= 0 ? hflag : argc - i > 1;
  if (i == argc) total = grep(stdin, "(standard input)");
  for (; i < argc; i++) {
    FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
    if (!f) { fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno)); error = 1; continue; }
    total += grep(f, strcmp(argv[i], "-") == 0 ? "(standard input)" : argv[i]);
    if (f != stdin) fclose(f);
    if (qflag && total) return 0;
  }
  fflush(stdout);
  return error && !(qflag && total) ? 2 : total ? 0 : 1;
}
