#pragma D option quiet

BEGIN
{
	@avg = avg(3);
	@avg = avg(4);
	@min = min(4);
	@min = min(-2);
	@max = max(7);
	@max = max(3);
	@sd = stddev(2);
	@sd = stddev(4);
	exit(0);
}
