BEGIN
{
	trace(1);
	trace("hello");
	trace((short)3);
	trace((char)4);
	trace(5LL);
}

BEGIN
{
}

BEGIN
{
	exit(0);
}
