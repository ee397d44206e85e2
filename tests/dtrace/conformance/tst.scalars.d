#pragma D option quiet

int g;
self int t;
this int l;

BEGIN
{
	g = 5;
	self->t = 6;
	this->l = 7;
	s = "string";
	printf("%d %d %d %s\n", g, self->t, this->l, s);
	g++;
	++g;
	g *= 3;
	g -= 1;
	printf("%d\n", g);
	exit(0);
}
