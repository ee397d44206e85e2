/* kdump: prints a ktrace file (ktrace.out by default) as FreeBSD's kdump does (ksim's kdump).
 * A thin client of ksim's tracers through the ksim_tool syscall (ksim_tool.h). */
#include "ksim_tool.h"

int main(int argc, char **argv) {
  (void)argc;
  return ksim_tool_main("kdump", argv);
}
