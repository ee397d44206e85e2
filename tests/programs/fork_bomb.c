/* A fork bomb: stopped by the process limit (fork fails with EAGAIN) and the CPU limit. */
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
int main(void) {
  int refused = 0;
  for (int i = 0; i < 10000; i++) {
    pid_t p = fork();
    if (p < 0) { if (errno == EAGAIN) refused++; if (refused > 3) break; }
    else if (p == 0) { for (;;) pause(); }
  }
  printf("fork refused with EAGAIN: %d\n", refused > 0);
  return 0;
}
