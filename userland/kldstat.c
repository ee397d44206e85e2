/* kldstat: lists the loaded kernel files with kldnext(2) and kldstat(2), in kldstat(8)'s format
 * (Id Refs Address Size Name). FreeBSD machines only. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/linker.h>

int main(void) {
  struct kld_file_stat st;
  int id = 0;
  printf("Id Refs Address%*c %8s Name\n", 18 - 7, ' ', "Size");
  while ((id = kldnext(id)) > 0) {
    memset(&st, 0, sizeof st);
    st.version = sizeof st;
    if (kldstat(id, &st) < 0) {
      fprintf(stderr, "kldstat: can't stat file id %d: %s\n", id, strerror(errno));
      return 1;
    }
    printf("%2d %4d %18p %8zx %s\n", st.id, st.refs, (void *)st.address, st.size, st.name);
  }
  return 0;
}
