#pragma D option quiet

BEGIN
{
	@["k"] = lquantize(5, 0, 10, 2);
	@["k"] = lquantize(11, 0, 10, 2);
	@["k"] = lquantize(-1, 0, 10, 2);
	exit(0);
}
