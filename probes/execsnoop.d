#!/usr/sbin/dtrace -s
/*
 * execsnoop.d — shows every program started with execve: the parent's pid, the pid, the path
 * and whether the exec worked (the errno when it did not).
 * Usage: ksim dtrace -s probes/execsnoop.d -c ./shell
 * Example output:
 *    PPID    PID RESULT PATH
 *       1   1000      0 /tmp/shell
 *    1000   1001      2 /bin/nonexistent
 */
#pragma D option quiet

BEGIN
{
	printf("%6s %6s %6s %s\n", "PPID", "PID", "RESULT", "PATH");
}

syscall::execve:entry
{
	self->path = copyinstr(arg0);
	self->in = 1;
}

syscall::execve:return
/self->in/
{
	printf("%6d %6d %6d %s\n", ppid, pid, errno, self->path);
	self->in = 0;
}
