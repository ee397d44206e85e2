#!/usr/sbin/dtrace -s
/*
 * rwsnoop.d — shows every read and write: pid, process name, R or W, the fd, and the bytes
 * transferred (-1 on failure), then a summary of bytes by process and direction.
 * Usage: ksim dtrace -s probes/rwsnoop.d -c ./prog
 * Example output:
 *     PID COMM             D   FD  BYTES
 *    1000 cat              R    3     12
 *    1000 cat              W    1     12
 */
#pragma D option quiet

BEGIN
{
	printf("%6s %-16s %s %4s %6s\n", "PID", "COMM", "D", "FD", "BYTES");
}

syscall::read:entry,
syscall::write:entry
{
	self->fd = arg0 + 1;
}

syscall::read:return,
syscall::write:return
/self->fd/
{
	printf("%6d %-16s %s %4d %6d\n", pid, execname, probefunc == "read" ? "R" : "W", self->fd - 1, (int)arg0);
	@bytes[execname, probefunc == "read" ? "R" : "W"] = sum(errno == 0 ? arg0 : 0);
	self->fd = 0;
}

END
{
	printf("\n%-16s %s %10s\n", "COMM", "D", "TOTAL");
	printa("%-16s %s %@10d\n", @bytes);
}
