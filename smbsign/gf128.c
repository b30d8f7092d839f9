// SPDX-License-Identifier: GPL-2.0-only
/*
 * One GF(2^128) multiplication in GCM's bit order (NIST SP 800-38D 6.3),
 * used once per GMAC message to fold in the length block after the
 * crypto API's GHASH has absorbed the message. Constant time: no branch
 * or memory index depends on the operands.
 */
#include "internal.h"

/**
 * smbsign_gf128_mul - x = x * h
 * @x: 16-byte block, replaced by the product
 * @h: 16-byte block
 */
void smbsign_gf128_mul(u8 x[16], const u8 h[16])
{
	u64 vh = get_unaligned_be64(h), vl = get_unaligned_be64(h + 8);
	u64 xh = get_unaligned_be64(x), xl = get_unaligned_be64(x + 8);
	u64 zh = 0, zl = 0, mask;
	int i;

	for (i = 0; i < 128; i++) {
		/* bit i of x, counted from the most significant bit of byte 0 */
		u64 bit = i < 64 ? xh >> (63 - i) : xl >> (127 - i);

		mask = -(bit & 1);
		zh ^= vh & mask;
		zl ^= vl & mask;
		/* v = v * x: shift right, reduce by x^128 + x^7 + x^2 + x + 1 */
		mask = -(vl & 1);
		vl = (vl >> 1) | (vh << 63);
		vh = (vh >> 1) ^ (0xe100000000000000ULL & mask);
	}
	put_unaligned_be64(zh, x);
	put_unaligned_be64(zl, x + 8);
}
