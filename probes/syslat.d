#!/usr/sbin/dtrace -s
/*
 * syslat.d — the latency of each system call, as a power-of-two histogram of nanoseconds per
 * syscall name (emulated time: on a deterministic machine the numbers repeat exactly).
 * Usage: ksim dtrace -s probes/syslat.d -c ./prog
 * Example output:
 *   write
 *            value  ------------- Distribution ------------- count
 *               64 |                                         0
 *              128 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 3
 *              256 |                                         0
 */
#pragma D option quiet

syscall:::entry
{
	self->ts = timestamp;
}

syscall:::return
/self->ts/
{
	@lat[probefunc] = quantize(timestamp - self->ts);
	self->ts = 0;
}
