#!/usr/sbin/dtrace -s
/*
 * syscount.d — counts system calls by process name and syscall until ^C or exit.
 * Usage: ksim dtrace -s probes/syscount.d -c ./prog
 * Example output:
 *   EXECNAME         SYSCALL             COUNT
 *   test             stephen                 1
 *   test             write                   2
 */
#pragma D option quiet

syscall:::entry
{
	@calls[execname, probefunc] = count();
}

END
{
	printf("%-16s %-16s %8s\n", "EXECNAME", "SYSCALL", "COUNT");
	printa("%-16s %-16s %@8d\n", @calls);
}
