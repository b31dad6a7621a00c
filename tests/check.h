/*
 * check.h - the few macros the C unit tests need.  A test program exits
 * 0 when every CHECK held, 1 otherwise, 77 to skip (automake's meaning).
 * Failures print file:line and the expression so the log says what broke.
 */
#ifndef BW_CHECK_H
#define BW_CHECK_H

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond)) {							\
		check_failures++;					\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	check_count++;							\
	if (_a != _b) {							\
		check_failures++;					\
		fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n",	\
		    __FILE__, __LINE__, #a, _a, _b);			\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	check_count++;							\
	if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0) {		\
		check_failures++;					\
		fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", \
		    __FILE__, __LINE__, #a, _a ? _a : "(null)",		\
		    _b ? _b : "(null)");				\
	}								\
} while (0)

#define CHECK_DONE() do {						\
	fprintf(stderr, "%d checks, %d failed\n", check_count,		\
	    check_failures);						\
	return check_failures ? 1 : 0;					\
} while (0)

#endif
