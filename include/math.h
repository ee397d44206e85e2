/* math.h: basic floating-point functions, written in C (libc/math.c). */
#ifndef _MATH_H
#define _MATH_H

#define HUGE_VAL (1.0 / 0.0)
#define INFINITY (1.0 / 0.0)
#define NAN (0.0 / 0.0)
#define M_PI 3.14159265358979323846
#define M_E 2.7182818284590452354
#define M_SQRT2 1.41421356237309504880
#define M_LN2 0.69314718055994530942
#define M_LN10 2.30258509299404568402

#define isnan(x) ((x) != (x))
#define isinf(x) (!isnan(x) && isnan((x) - (x)))
#define isfinite(x) (!isnan((x) - (x)))
#define signbit(x) __ksim_signbit(x)

int __ksim_signbit(double x);
double fabs(double x);
double floor(double x);
double ceil(double x);
double trunc(double x);
double round(double x);
double fmod(double x, double y);
double sqrt(double x);
double pow(double x, double y);
double exp(double x);
double log(double x);
double log10(double x);
double log2(double x);
double sin(double x);
double cos(double x);
double tan(double x);
double atan(double x);
double atan2(double y, double x);
double frexp(double x, int *exp);
double ldexp(double x, int exp);
double modf(double x, double *ipart);
#endif
