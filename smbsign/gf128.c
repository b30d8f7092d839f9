// SPDX-License-Identifier: GPL-2.0-only
/*
 * GHASH in software, in constant time: the fallback of the crypto API
 * AES-GMAC backend where the PCLMULQDQ code cannot run (no SIMD in the
 * current context, or no such driver). The kernel's ghash-generic uses
 * 4 KiB of key-dependent tables, whose lookups leak H through the cache;
 * here every step is an integer multiplication, a shift or a mask.
 *
 * A carry-less multiplication of 32-bit words is done with ordinary
 * 64-bit multiplications of the words split into four interleaved
 * classes of bits, each keeping three zero bits between its ones: at
 * most eight products land on a bit of the same class, so their sum
 * (at most 8) never carries into the next bit of that class, and the
 * bit itself is the XOR of the products. Four of those make a 64-bit
 * carry-less product, four of those the 256-bit product of two blocks,
 * which is then reduced modulo x^128 + x^7 + x^2 + x + 1.
 *
 * Bit order: a block loaded as two big-endian words (hi, lo) holds the
 * coefficient of x^0 in the top bit of hi (GCM's "reflected" order), so
 * the integer product, shifted left by one, has the low half of the
 * polynomial product in its top 128 bits, in the same order, and the high
 * half in its bottom 128 bits; multiplying by x is a right shift.
 */
#include <linux/string.h>

#include "compat.h"
#include "gmac.h"

#define SMBSIGN_M0	0x1111111111111111ULL
#define SMBSIGN_M1	0x2222222222222222ULL
#define SMBSIGN_M2	0x4444444444444444ULL
#define SMBSIGN_M3	0x8888888888888888ULL

/* The 64-bit carry-less product of two 32-bit words. */
static u64 smbsign_clmul32(u32 x, u32 y)
{
	const u32 m0 = lower_32_bits(SMBSIGN_M0), m1 = lower_32_bits(SMBSIGN_M1);
	const u32 m2 = lower_32_bits(SMBSIGN_M2), m3 = lower_32_bits(SMBSIGN_M3);
	u64 x0 = x & m0, x1 = x & m1, x2 = x & m2, x3 = x & m3;
	u64 y0 = y & m0, y1 = y & m1, y2 = y & m2, y3 = y & m3;
	u64 z0, z1, z2, z3;

	/* z_k collects the products whose bits fall in class k */
	z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
	z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
	z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
	z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
	return (z0 & SMBSIGN_M0) | (z1 & SMBSIGN_M1) | (z2 & SMBSIGN_M2) |
	       (z3 & SMBSIGN_M3);
}

/* The 128-bit carry-less product of two 64-bit words: z[1] high, z[0] low. */
static void smbsign_clmul64(u64 x, u64 y, u64 z[2])
{
	u32 xl = x, xh = x >> 32, yl = y, yh = y >> 32;
	u64 lo = smbsign_clmul32(xl, yl);
	u64 mid = smbsign_clmul32(xl, yh) ^ smbsign_clmul32(xh, yl);
	u64 hi = smbsign_clmul32(xh, yh);

	z[0] = lo ^ (mid << 32);
	z[1] = hi ^ (mid >> 32);
}

/* y = y * h in GF(2^128), GCM's bit order; both as (hi, lo) words. */
static void smbsign_gf128_mul(u64 y[2], const u64 h[2])
{
	u64 v[4], t[2];

	/* the 256-bit product, v[3] most significant */
	smbsign_clmul64(y[1], h[1], v);		/* lo * lo */
	smbsign_clmul64(y[0], h[0], v + 2);	/* hi * hi */
	smbsign_clmul64(y[1], h[0], t);		/* the middle */
	v[1] ^= t[0];
	v[2] ^= t[1];
	smbsign_clmul64(y[0], h[1], t);
	v[1] ^= t[0];
	v[2] ^= t[1];

	/* one to the left: the low half of the product is now v[3]:v[2] */
	v[3] = (v[3] << 1) | (v[2] >> 63);
	v[2] = (v[2] << 1) | (v[1] >> 63);
	v[1] = (v[1] << 1) | (v[0] >> 63);
	v[0] <<= 1;

	/*
	 * Fold the high half in: x^128 = x^7 + x^2 + x + 1, so the bit for
	 * x^k, k >= 128, moves up 128, 127, 126 and 121 places.
	 */
	v[2] ^= v[0] ^ (v[0] >> 1) ^ (v[0] >> 2) ^ (v[0] >> 7);
	v[1] ^= (v[0] << 63) ^ (v[0] << 62) ^ (v[0] << 57);
	v[3] ^= v[1] ^ (v[1] >> 1) ^ (v[1] >> 2) ^ (v[1] >> 7);
	v[2] ^= (v[1] << 63) ^ (v[1] << 62) ^ (v[1] << 57);

	y[0] = v[3];
	y[1] = v[2];
	memzero_explicit(v, sizeof(v));
	memzero_explicit(t, sizeof(t));
}

static void smbsign_ghash_ct_block(struct smbsign_ghash_ct *g, const u8 *b)
{
	g->y[0] ^= get_unaligned_be64(b);
	g->y[1] ^= get_unaligned_be64(b + 8);
	smbsign_gf128_mul(g->y, g->h);
}

/**
 * smbsign_ghash_ct_init - start a GHASH
 * @g: the state
 * @h: the key H as two big-endian words
 */
void smbsign_ghash_ct_init(struct smbsign_ghash_ct *g, const u64 h[2])
{
	g->y[0] = 0;
	g->y[1] = 0;
	g->h[0] = h[0];
	g->h[1] = h[1];
	g->nbuf = 0;
}

/**
 * smbsign_ghash_ct_update - hash more bytes
 * @g: the state
 * @p: the bytes
 * @len: how many; a block may be split over several calls
 */
void smbsign_ghash_ct_update(struct smbsign_ghash_ct *g, const u8 *p,
			     size_t len)
{
	if (g->nbuf) {
		size_t n = min_t(size_t, len, sizeof(g->buf) - g->nbuf);

		memcpy(g->buf + g->nbuf, p, n);
		g->nbuf += n;
		p += n;
		len -= n;
		if (g->nbuf < sizeof(g->buf))
			return;
		smbsign_ghash_ct_block(g, g->buf);
		g->nbuf = 0;
	}
	for (; len >= sizeof(g->buf); p += sizeof(g->buf), len -= sizeof(g->buf))
		smbsign_ghash_ct_block(g, p);
	memcpy(g->buf, p, len);
	g->nbuf = len;
}

/**
 * smbsign_ghash_ct_final - the hash, and the state wiped
 * @g: the state; a partial block is zero-padded first
 * @out: 16 bytes
 */
void smbsign_ghash_ct_final(struct smbsign_ghash_ct *g, u8 out[16])
{
	if (g->nbuf) {
		memset(g->buf + g->nbuf, 0, sizeof(g->buf) - g->nbuf);
		smbsign_ghash_ct_block(g, g->buf);
	}
	put_unaligned_be64(g->y[0], out);
	put_unaligned_be64(g->y[1], out + 8);
	memzero_explicit(g, sizeof(*g));
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_ghash_ct_init);
SMBSIGN_EXPORT_FOR_KUNIT(smbsign_ghash_ct_update);
SMBSIGN_EXPORT_FOR_KUNIT(smbsign_ghash_ct_final);
