/*
 * addrset.h - compiled address and port sets for rule headers.
 *
 * A rule's `[10.0.0.0/8, !10.1.0.0/16, $MGMT]` is compiled once into a
 * sorted array of disjoint inclusive ranges over the 128-bit address space
 * (IPv4 v4-mapped).  Negation is complement, lists are union then minus
 * the negated items (Suricata's meaning), and a lookup is one binary
 * search whatever the list size.
 */
#ifndef BW_ADDRSET_H
#define BW_ADDRSET_H

#include <stddef.h>
#include <stdint.h>
#include "packet.h"

struct addr_range { struct bw_addr lo, hi; };

struct addrset {
	struct addr_range *r;	/* sorted, disjoint, non-adjacent */
	size_t		 n;
};

struct port_range { uint16_t lo, hi; };

struct portset {
	struct port_range *r;
	size_t		 n;
};

void	 addrset_init_any(struct addrset *s);	/* all addresses */
void	 addrset_free(struct addrset *s);
/* Add a prefix (addr/len with len over 128 bits, v4 already mapped). */
int	 addrset_add_prefix(struct addrset *s, const struct bw_addr *a, int len128);
int	 addrset_union(struct addrset *out, const struct addrset *a, const struct addrset *b);
int	 addrset_minus(struct addrset *out, const struct addrset *a, const struct addrset *b);
int	 addrset_complement(struct addrset *out, const struct addrset *a);
int	 addrset_copy(struct addrset *out, const struct addrset *a);
int	 addrset_contains(const struct addrset *s, const struct bw_addr *a);
int	 addrset_is_any(const struct addrset *s);

void	 portset_init_any(struct portset *s);
void	 portset_free(struct portset *s);
int	 portset_add(struct portset *s, uint16_t lo, uint16_t hi);
int	 portset_union(struct portset *out, const struct portset *a, const struct portset *b);
int	 portset_minus(struct portset *out, const struct portset *a, const struct portset *b);
int	 portset_complement(struct portset *out, const struct portset *a);
int	 portset_contains(const struct portset *s, uint16_t port);
int	 portset_is_any(const struct portset *s);

#endif
