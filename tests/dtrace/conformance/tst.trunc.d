#pragma D option quiet

BEGIN
{
	@a["a"] = sum(1);
	@a["b"] = sum(2);
	@a["c"] = sum(3);
	@a["d"] = sum(4);
	trunc(@a, 2);
	printa(@a);
	@b["x"] = count();
	clear(@b);
	printa(@b);
	exit(0);
}
