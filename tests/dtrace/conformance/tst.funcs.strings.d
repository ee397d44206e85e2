#pragma D option quiet

BEGIN
{
	printf("%s|%s|%s|%s\n", strjoin("foo", "bar"), substr("hello", 1, 3), substr("hello", 2), substr("hello", -3));
	printf("%d|%d|%d|%d\n", strlen("abc"), index("hello", "l"), rindex("hello", "l"), index("hello", "z"));
	printf("%s|%s|%s\n", strchr("hello", 0x6c), strrchr("hello", 0x6c), strstr("hello", "ll"));
	printf("%s|%s|%s|%s\n", basename("/usr/lib/libc.so"), dirname("/usr/lib/libc.so"), dirname("foo"), cleanpath("/a/./b/../c//d"));
	printf("%s|%s|%s\n", toupper("MiXed"), tolower("MiXed"), lltostr(-42));
	printf("%d|%d\n", strtoll("1234"), strtoll("ff", 16));
	exit(0);
}
