#pragma D option quiet

struct point {
	int x;
	int y;
	char name[8];
};

typedef struct point point_t;

inline int SCALE = 10;

BEGIN
{
	this->p = (point_t *)alloca(sizeof (point_t));
	this->p->x = 3;
	this->p->y = 4 * SCALE;
	printf("%d %d %d %d\n", this->p->x, this->p->y, sizeof (struct point), offsetof(struct point, y));
	exit(0);
}
