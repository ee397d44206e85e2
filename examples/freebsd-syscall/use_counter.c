/* Calls the counter module's syscall (slot 211) twice, then with a bad argument. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	printf("%ld\n", (long)syscall(211, 5L));
	printf("%ld\n", (long)syscall(211, 37L));
	long r = syscall(211, -1L);
	printf("%ld %s\n", r, strerror(errno));
	return 0;
}
