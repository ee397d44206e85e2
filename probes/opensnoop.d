#!/usr/sbin/dtrace -s
/*
 * opensnoop.d — shows every file a process opens: pid, process name, the fd it got (-1 on
 * failure), the errno, and the path.
 * Usage: ksim dtrace -s probes/opensnoop.d -c ./prog
 * Example output:
 *     PID COMM               FD ERR PATH
 *    1000 cat                 3   0 /etc/hostname
 *    1000 cat                -1   2 /nonexistent
 */
#pragma D option quiet

BEGIN
{
	printf("%6s %-16s %4s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH");
}

syscall::open:entry,
syscall::creat:entry
{
	self->path = copyinstr(arg0);
	self->in = 1;
}

syscall::openat:entry
{
	self->path = copyinstr(arg1);
	self->in = 1;
}

syscall::open:return,
syscall::creat:return,
syscall::openat:return
/self->in/
{
	printf("%6d %-16s %4d %3d %s\n", pid, execname, errno != 0 ? -1 : (int)arg0, errno, self->path);
	self->in = 0;
}
