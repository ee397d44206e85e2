#pragma D option quiet

BEGIN
{
	@a["foo"] = count();
	@a["bar"] = count();
	@a["bar"] = count();
	@b[1, "x"] = sum(10);
	@b[2, "y"] = sum(-3);
	exit(0);
}
