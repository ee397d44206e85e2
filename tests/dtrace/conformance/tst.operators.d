#pragma D option quiet

BEGIN
{
	printf("%d %d %d %d %d\n", 7 / 2, -7 / 2, 7 % 3, -7 % 3, 1 << 4);
	printf("%d %d %d %d %d\n", 0xf0 >> 4, 6 & 3, 6 | 3, 6 ^ 3, ~0);
	printf("%d %d %d %d\n", 1 && 0, 1 || 0, 1 ^^ 1, 1 ^^ 0);
	printf("%d %d %d %d %d %d\n", 1 < 2, 2 <= 2, 3 > 4, 4 >= 5, 5 == 5, 5 != 5);
	printf("%d %d\n", 1 ? 10 : 20, 0 ? 10 : 20);
	printf("%d %d\n", "abc" < "abd", "abc" == "abc");
	printf("%d %d %d\n", sizeof (int), sizeof (long), sizeof (char));
	exit(0);
}
