/* float.h: characteristics of float and double (IEEE 754); long double is treated as double. */
#ifndef _FLOAT_H
#define _FLOAT_H
#define FLT_RADIX 2
#define FLT_MANT_DIG 24
#define DBL_MANT_DIG 53
#define FLT_DIG 6
#define DBL_DIG 15
#define FLT_EPSILON 1.1920928955078125e-07F
#define DBL_EPSILON 2.220446049250313e-16
#define FLT_MIN 1.17549435082228750797e-38F
#define DBL_MIN 2.2250738585072014e-308
#define FLT_MAX 3.40282346638528859812e+38F
#define DBL_MAX 1.7976931348623157e+308
#define FLT_MIN_EXP (-125)
#define DBL_MIN_EXP (-1021)
#define FLT_MAX_EXP 128
#define DBL_MAX_EXP 1024
#define FLT_MIN_10_EXP (-37)
#define DBL_MIN_10_EXP (-307)
#define FLT_MAX_10_EXP 38
#define DBL_MAX_10_EXP 308
#define DECIMAL_DIG 17
#endif
