/* kldstat: lists the loaded kernel files with kldnext(2) and kldstat(2), in kldstat(8)'s format
 * (Id Refs Address Size Name). FreeBSD machines only. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

/* struct kld_file_stat of <sys/linker.h> (FreeBSD 12+). */
struct kld_file_stat {
  int version;
  char name[1024];
  int refs;
  int id;
  unsigned long address;
  unsigned long size;
  char pathname[1024];
};

int main(int argc, char **argv) {
  struct kld_file_stat st;
  long id = 0;
  (void)argc; (void)argv;
  printf("Id Refs Address%*c %8s Name\n", 18 - 7, ' ', "Size");
  while ((id = syscall(SYS_kldnext, id)) > 0) {
    memset(&st, 0, sizeof st);
    st.version = sizeof st;
    if (syscall(SYS_kldstat, id, &st) < 0) {
      fprintf(stderr, "kldstat: can't stat file id %ld: %s\n", id, strerror(errno));
      return 1;
    }
    printf("%2d %4d %#18lx %8lx %s\n", st.id, st.refs, st.address, st.size, st.name);
  }
  return 0;
}
