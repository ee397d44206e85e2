#!/usr/sbin/dtrace -s
/*
 * errinfo.d — prints every failing system call with its errno, and a summary by errno at the end.
 * Usage: ksim dtrace -s probes/errinfo.d -c ./prog
 * Example output:
 *   test             stephen          errno 14
 *
 *   EXECNAME         SYSCALL            ERR    COUNT
 *   test             stephen             14        1
 */
#pragma D option quiet

syscall:::return
/errno != 0/
{
	printf("%-16s %-16s errno %d\n", execname, probefunc, errno);
	@errs[execname, probefunc, errno] = count();
}

END
{
	printf("\n%-16s %-16s %5s %8s\n", "EXECNAME", "SYSCALL", "ERR", "COUNT");
	printa("%-16s %-16s %5d %@8d\n", @errs);
}
