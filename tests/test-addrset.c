/*
 * test-addrset.c - address and port set algebra.
 *
 * Hand-picked border cases first (adjacent merge, splits, the ends of the
 * 128-bit space), then a randomised cross-check of union/minus/complement
 * against a plain bitmap: the port space is small enough to model fully,
 * and addresses are modelled on the last byte of 10.0.0.x plus the two
 * ends of the space.  The PRNG is seeded so a failure reproduces.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "addrset.h"
#include "check.h"
#include "addr-test.h"

static int
in(const struct addrset *s, const char *addr)
{
	struct bw_addr a = A(addr);

	return addrset_contains(s, &a);
}

static void
add(struct addrset *s, const char *addr, int len128)
{
	struct bw_addr a = A(addr);

	CHECK_INT(addrset_add_prefix(s, &a, len128), 0);
}

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void
test_addr_basic(void)
{
	struct addrset s = {0}, t = {0}, u = {0};

	CHECK(!in(&s, "10.0.0.1"));
	add(&s, "10.0.0.0", 96 + 8);
	CHECK(in(&s, "10.0.0.0"));
	CHECK(in(&s, "10.255.255.255"));
	CHECK(!in(&s, "11.0.0.0"));
	CHECK(!in(&s, "9.255.255.255"));
	CHECK(!in(&s, "::a00:1"));		/* v4-compatible, not mapped */
	CHECK_INT(s.n, 1);

	/* host bits are masked off */
	add(&s, "11.1.2.3", 96 + 8);
	CHECK_INT(s.n, 1);			/* 10/8 and 11/8 touch: merged */
	CHECK(in(&s, "11.200.0.1"));

	add(&s, "2001:db8::", 32);
	CHECK_INT(s.n, 2);
	CHECK(in(&s, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
	CHECK(!in(&s, "2001:db9::"));

	/* minus splits a range in two */
	add(&t, "10.1.0.0", 96 + 16);
	CHECK_INT(addrset_minus(&u, &s, &t), 0);
	CHECK_INT(u.n, 3);
	CHECK(in(&u, "10.0.255.255"));
	CHECK(!in(&u, "10.1.0.0"));
	CHECK(!in(&u, "10.1.255.255"));
	CHECK(in(&u, "10.2.0.0"));

	/* in place: out aliases an input */
	CHECK_INT(addrset_union(&u, &u, &t), 0);
	CHECK_INT(u.n, 2);
	CHECK(in(&u, "10.1.2.3"));

	/* complement of empty is any, of any is empty */
	addrset_free(&t);
	CHECK_INT(addrset_complement(&t, &t), 0);
	CHECK(addrset_is_any(&t));
	CHECK(in(&t, "::"));
	CHECK(in(&t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
	CHECK_INT(addrset_complement(&t, &t), 0);
	CHECK_INT(t.n, 0);

	/* the ends of the space */
	add(&t, "::", 128);
	add(&t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128);
	CHECK_INT(addrset_complement(&u, &t), 0);
	CHECK_INT(u.n, 1);
	CHECK(!in(&u, "::"));
	CHECK(in(&u, "::1"));
	CHECK(in(&u, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
	CHECK(!in(&u, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
	CHECK_INT(addrset_complement(&u, &u), 0);
	CHECK_INT(u.n, 2);

	/* a 64-bit boundary prefix and /0 */
	addrset_free(&t);
	add(&t, "fd00:1:2:3:4:5:6:7", 64);
	CHECK(in(&t, "fd00:1:2:3::"));
	CHECK(in(&t, "fd00:1:2:3:ffff:ffff:ffff:ffff"));
	CHECK(!in(&t, "fd00:1:2:4::"));
	add(&t, "::", 0);
	CHECK(addrset_is_any(&t));
	CHECK_INT(addrset_copy(&u, &t), 0);
	CHECK(addrset_is_any(&u));

	/* bad prefix lengths are refused */
	{
		struct bw_addr a = A("::");
		CHECK_INT(addrset_add_prefix(&s, &a, 129), -1);
		CHECK_INT(addrset_add_prefix(&s, &a, -1), -1);
	}

	addrset_free(&s);
	addrset_free(&t);
	addrset_free(&u);

	addrset_init_any(&s);
	CHECK(addrset_is_any(&s));
	addrset_free(&s);
	CHECK_INT(s.n, 0);
	CHECK(!addrset_is_any(&s));
}

/* A model over 258 points: 10.0.0.0..255 plus :: (index 256) and ::1. */
#define NPT 258

static struct bw_addr
pt(int i)
{
	char buf[32];

	if (i == 256)
		return A("::");
	if (i == 257)
		return A("::1");
	snprintf(buf, sizeof(buf), "10.0.0.%d", i);
	return A(buf);
}

static void
rand_addrset(struct addrset *s, uint8_t *bits)
{
	int k = rnd() % 4;

	addrset_free(s);
	memset(bits, 0, NPT);
	for (int i = 0; i < k; i++) {
		int len = 24 + rnd() % 9;	/* v4 /24../32 within 10.0.0.0/24 */
		int base = rnd() % 256;
		struct bw_addr a = pt(base);
		int size = 1 << (32 - len);

		base &= ~(size - 1);
		CHECK_INT(addrset_add_prefix(s, &a, 96 + len), 0);
		for (int j = base; j < base + size; j++)
			bits[j] = 1;
	}
	if (rnd() % 4 == 0) {
		struct bw_addr a = pt(256);
		CHECK_INT(addrset_add_prefix(s, &a, 128), 0);
		bits[256] = 1;
	}
}

static int
addr_matches(const struct addrset *s, const uint8_t *bits)
{
	for (int i = 0; i < NPT; i++) {
		struct bw_addr a = pt(i);

		if (!addrset_contains(s, &a) != !bits[i])
			return 0;
	}
	/* normalised: sorted, disjoint, not touching */
	for (size_t i = 1; i < s->n; i++) {
		struct bw_addr next = s->r[i - 1].hi;
		int j = 15;

		while (j >= 0 && ++next.a[j] == 0)
			j--;
		if (memcmp(&next, &s->r[i].lo, sizeof(next)) >= 0)
			return 0;
	}
	return 1;
}

static void
test_addr_random(void)
{
	struct addrset a = {0}, b = {0}, r = {0};
	uint8_t ba[NPT], bb[NPT], br[NPT];

	for (int iter = 0; iter < 2000; iter++) {
		rand_addrset(&a, ba);
		rand_addrset(&b, bb);
		CHECK_INT(addrset_union(&r, &a, &b), 0);
		for (int i = 0; i < NPT; i++)
			br[i] = ba[i] | bb[i];
		CHECK(addr_matches(&r, br));
		CHECK_INT(addrset_minus(&r, &a, &b), 0);
		for (int i = 0; i < NPT; i++)
			br[i] = ba[i] & !bb[i];
		CHECK(addr_matches(&r, br));
		CHECK_INT(addrset_complement(&r, &a), 0);
		for (int i = 0; i < NPT; i++)
			br[i] = !ba[i];
		CHECK(addr_matches(&r, br));
	}
	addrset_free(&a);
	addrset_free(&b);
	addrset_free(&r);
}

static void
test_ports(void)
{
	struct portset s = {0}, t = {0}, u = {0};
	static uint8_t bs[65536], bt[65536];

	CHECK(!portset_contains(&s, 0));
	CHECK_INT(portset_add(&s, 80, 80), 0);
	CHECK_INT(portset_add(&s, 81, 90), 0);
	CHECK_INT(s.n, 1);
	CHECK_INT(portset_add(&s, 443, 443), 0);
	CHECK_INT(portset_add(&s, 20, 10), -1);
	CHECK(portset_contains(&s, 80));
	CHECK(portset_contains(&s, 90));
	CHECK(!portset_contains(&s, 91));
	CHECK(portset_contains(&s, 443));
	CHECK_INT(portset_complement(&t, &s), 0);
	CHECK_INT(t.n, 3);
	CHECK(portset_contains(&t, 0));
	CHECK(portset_contains(&t, 65535));
	CHECK(!portset_contains(&t, 85));
	CHECK_INT(portset_union(&u, &s, &t), 0);
	CHECK(portset_is_any(&u));
	CHECK_INT(portset_complement(&u, &u), 0);
	CHECK_INT(u.n, 0);
	portset_free(&s);
	portset_free(&t);
	portset_init_any(&s);
	CHECK(portset_is_any(&s));
	CHECK_INT(portset_add(&t, 0, 0), 0);
	CHECK_INT(portset_add(&t, 65535, 65535), 0);
	CHECK_INT(portset_minus(&s, &s, &t), 0);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.r[0].lo, 1);
	CHECK_INT(s.r[0].hi, 65534);

	for (int iter = 0; iter < 300; iter++) {
		int ok = 1;

		portset_free(&s);
		portset_free(&t);
		memset(bs, 0, sizeof(bs));
		memset(bt, 0, sizeof(bt));
		for (int k = rnd() % 5; k > 0; k--) {
			uint16_t lo = rnd() % 65536, hi = lo + rnd() % 3000;
			if (hi < lo)
				hi = 65535;
			CHECK_INT(portset_add(&s, lo, hi), 0);
			for (uint32_t p = lo; p <= hi; p++)
				bs[p] = 1;
		}
		for (int k = rnd() % 5; k > 0; k--) {
			uint16_t lo = rnd() % 65536, hi = lo + rnd() % 3000;
			if (hi < lo)
				hi = 65535;
			CHECK_INT(portset_add(&t, lo, hi), 0);
			for (uint32_t p = lo; p <= hi; p++)
				bt[p] = 1;
		}
		CHECK_INT(portset_minus(&u, &s, &t), 0);
		for (uint32_t p = 0; p < 65536; p++)
			if (!portset_contains(&u, p) != !(bs[p] && !bt[p]))
				ok = 0;
		CHECK_INT(portset_union(&u, &s, &t), 0);
		for (uint32_t p = 0; p < 65536; p++)
			if (!portset_contains(&u, p) != !(bs[p] || bt[p]))
				ok = 0;
		CHECK_INT(portset_complement(&u, &s), 0);
		for (uint32_t p = 0; p < 65536; p++)
			if (!!portset_contains(&u, p) == !!bs[p])
				ok = 0;
		CHECK(ok);
	}
	portset_free(&s);
	portset_free(&t);
	portset_free(&u);
}

int
main(void)
{
	test_addr_basic();
	test_addr_random();
	test_ports();
	CHECK_DONE();
}
