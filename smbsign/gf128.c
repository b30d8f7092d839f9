// SPDX-License-Identifier: GPL-2.0-only
/*
 * GCM's length block without a GF(2^128) multiplication per message.
 *
 * GHASH ends with S = (Y ^ L) * H, Y the state after the zero-padded
 * associated data and L the length block. smbsign lets the crypto API's
 * GHASH absorb one more all-zero block, which yields Y * H, and adds
 * L * H from a per-key table: L holds the bit length of the message, a
 * public value, and L * H is the XOR of H * x^m over its set bits. Which
 * entries are read depends on the length only, never on the key.
 */
#include "internal.h"

/**
 * smbsign_gf128_len_table - precompute H * x^m, m = 0..63, for a key
 * @tab: the table (secret: it is derived from H)
 * @h: the GHASH key H
 *
 * In GCM's bit order multiplying by x is a right shift of the 128-bit
 * block, reduced by x^128 + x^7 + x^2 + x + 1 when a bit falls off;
 * done without a branch on H.
 */
void smbsign_gf128_len_table(u64 tab[SMBSIGN_LEN_BITS][2], const u8 h[16])
{
	u64 vh = get_unaligned_be64(h), vl = get_unaligned_be64(h + 8), mask;
	int m;

	for (m = 0; m < SMBSIGN_LEN_BITS; m++) {
		tab[m][0] = vh;
		tab[m][1] = vl;
		mask = -(vl & 1);
		vl = (vl >> 1) | (vh << 63);
		vh = (vh >> 1) ^ (0xe100000000000000ULL & mask);
	}
}

/**
 * smbsign_gf128_len_mul - L * H for the length block of @bits
 * @out: 16-byte result, XORed into
 * @tab: from smbsign_gf128_len_table()
 * @bits: length of the associated data in bits (the ciphertext is empty)
 *
 * Bit k of @bits sits at position 63 - k of L (position 0 being the most
 * significant bit of its first byte), that is, it stands for x^(63 - k).
 */
void smbsign_gf128_len_mul(u8 out[16], const u64 tab[SMBSIGN_LEN_BITS][2],
			   u64 bits)
{
	u64 zh = 0, zl = 0;

	while (bits) {
		unsigned int k = __ffs64(bits);

		zh ^= tab[SMBSIGN_LEN_BITS - 1 - k][0];
		zl ^= tab[SMBSIGN_LEN_BITS - 1 - k][1];
		bits &= bits - 1;
	}
	put_unaligned_be64(get_unaligned_be64(out) ^ zh, out);
	put_unaligned_be64(get_unaligned_be64(out + 8) ^ zl, out + 8);
}
