/* uname: prints system information (-s -n -r -v -m -o, -a for all; -s when none is given). */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char **argv) {
  struct utsname u;
  int s = 0, n = 0, r = 0, v = 0, m = 0, o = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] != '-' || !argv[i][1]) { fprintf(stderr, "uname: extra operand '%s'\n", argv[i]); return 1; }
    for (const char *p = argv[i] + 1; *p; p++) {
      switch (*p) {
      case 'a': s = n = r = v = m = o = 1; break;
      case 's': s = 1; break;
      case 'n': n = 1; break;
      case 'r': r = 1; break;
      case 'v': v = 1; break;
      case 'm': m = 1; break;
      case 'o': o = 1; break;
      default: fprintf(stderr, "uname: invalid option -- '%c'\n", *p); return 1;
      }
    }
  }
  if (!(s | n | r | v | m | o)) s = 1;
  if (uname(&u) < 0) { perror("uname"); return 1; }
  const char *fields[6];
  int k = 0;
  if (s) fields[k++] = u.sysname;
  if (n) fields[k++] = u.nodename;
  if (r) fields[k++] = u.release;
  if (v) fields[k++] = u.version;
  if (m) fields[k++] = u.machine;
  if (o) fields[k++] = strcmp(u.sysname, "Linux") == 0 ? "GNU/Linux" : u.sysname;
  for (int i = 0; i < k; i++) printf(i ? " %s" : "%s", fields[i]);
  putchar('\n');
  return 0;
}
