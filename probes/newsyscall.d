#!/usr/sbin/dtrace -s
/*
 * newsyscall.d — the arguments and results of the machine's own syscalls: give their names as
 * the script's argument (a glob such as 'my*' works too). Each call shows its first four
 * arguments as numbers, the first one also as a string when it looks like a pointer, and the result
 * with its errno.
 * Usage: ksim dtrace -s probes/newsyscall.d -c './test hi' stephen
 * Example output:
 *    1000 test             stephen(0x7fffffffef6a, 0x0, 0x0, 0x0) "hi"
 *    1000 test             stephen = 0 (errno 0)
 */
#pragma D option quiet

syscall::$1:entry
{
	printf("%6d %-16s %s(0x%x, 0x%x, 0x%x, 0x%x)", pid, execname, probefunc, arg0, arg1, arg2, arg3);
	self->in = 1;
}

syscall::$1:entry
/arg0 >= 0x10000/
{
	printf(" \"%s\"", copyinstr(arg0));
}

syscall::$1:entry
{
	printf("\n");
}

syscall::$1:return
/self->in/
{
	printf("%6d %-16s %s = %d (errno %d)\n", pid, execname, probefunc, (long)arg0, errno);
	self->in = 0;
}
