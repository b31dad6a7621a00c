/*
 * addr-test.h - A("10.0.0.1"), A("2001:db8::1"): a struct bw_addr from a
 * literal, for the unit tests.  Parsed with inet_pton here rather than
 * the sensor's own bw_addr_parse, so that the tests of code built on
 * addresses do not trust the code under test.  A bad literal is a broken
 * test: exit 2 (a hard error for automake).  Header-only, like check.h.
 */
#ifndef BW_ADDR_TEST_H
#define BW_ADDR_TEST_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "packet.h"

static struct bw_addr
A(const char *s)
{
	struct bw_addr a;
	struct in_addr v4;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &v4) == 1) {
		a.a[10] = a.a[11] = 0xff;	/* v4-mapped */
		memcpy(&a.a[12], &v4, 4);
	} else if (inet_pton(AF_INET6, s, a.a) != 1) {
		fprintf(stderr, "bad test address %s\n", s);
		exit(2);
	}
	return a;
}

#endif
