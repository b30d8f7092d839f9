// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-128-GMAC (SMB 3.1.1) through the kernel's GHASH and AES libraries
 * (<crypto/gf128hash.h>, <crypto/aes.h>, Linux 7.x): the GCM tag over an
 * empty plaintext with the whole PDU as associated data,
 *
 *	T = GHASH_H(A || 0-pad || len64(A) || len64(0)) ^ E(K, nonce || 1)
 *	H = E(K, 0^128)
 *
 * GHASH runs over the message in place, piece by piece (PCLMULQDQ where
 * the CPU has it), then one AES block (AES-NI) gives E(K, J0). No
 * scatterlist, no request, no allocation: the same construction as
 * backend_gmac.c without the crypto API between it and the instructions.
 * The self-tests and KUnit check it against the published GCM vectors and
 * against gcm(aes) itself.
 */
#include <crypto/utils.h>
#include <linux/string.h>

#include "gmac.h"

static int smbsign_lib_gmac_setup(struct smbsign_key *key, const u8 *k,
				  unsigned int keylen, gfp_t gfp)
{
	static const u8 zero[GHASH_BLOCK_SIZE];
	u8 h[GHASH_BLOCK_SIZE];
	int ret;

	ret = aes_prepareenckey(&key->gmac.aes, k, keylen);
	if (ret)
		return ret;
	aes_encrypt(&key->gmac.aes, h, zero);
	ghash_preparekey(&key->gmac.ghash, h);
	memzero_explicit(h, sizeof(h));
	return 0;
}

static int smbsign_lib_ghash_chunk(void *priv, void *p, size_t len)
{
	ghash_update(priv, p, len);
	return 0;
}

/**
 * smbsign_gmac_raw - GCM tag over associated data only
 * @key: an AES-GMAC key
 * @iv: 12-byte nonce
 * @span: the associated data
 * @tag: 16-byte result
 *
 * Return: 0, or the span walk's error (nothing written to @tag).
 */
int smbsign_gmac_raw(struct smbsign_key *key,
		     const u8 iv[SMBSIGN_GMAC_NONCE_SIZE],
		     const struct smbsign_span *span, u8 *tag)
{
	static const u8 zero[GHASH_BLOCK_SIZE];
	struct ghash_ctx ctx __uninitialized;
	u8 y[GHASH_BLOCK_SIZE] __uninitialized;
	u8 j0[AES_BLOCK_SIZE] __uninitialized;
	int ret;

	ghash_init(&ctx, &key->gmac.ghash);
	ret = smbsign_span_map(span, smbsign_lib_ghash_chunk, &ctx);
	if (ret) {
		memzero_explicit(&ctx, sizeof(ctx));
		return ret;
	}
	/* A, zero-padded to a block, then len64(A) || len64(C = empty) */
	ghash_update(&ctx, zero, -span->len & (GHASH_BLOCK_SIZE - 1));
	memset(y, 0, sizeof(y));
	put_unaligned_be64((u64)span->len * 8, y);
	ghash_update(&ctx, y, sizeof(y));
	ghash_final(&ctx, y);		/* zeroizes ctx */

	memcpy(j0, iv, SMBSIGN_GMAC_NONCE_SIZE);
	put_unaligned_be32(1, j0 + SMBSIGN_GMAC_NONCE_SIZE);
	aes_encrypt(&key->gmac.aes, j0, j0);
	crypto_xor_cpy(tag, y, j0, GHASH_BLOCK_SIZE);
	memzero_explicit(y, sizeof(y));
	memzero_explicit(j0, sizeof(j0));
	return 0;
}

const struct smbsign_backend smbsign_gmac_backend = {
	.alg = SMBSIGN_ALG_AES_GMAC,
	.idx = SMBSIGN_IDX_GMAC,
	.name = "aes-gmac",
	.keylen_min = SMBSIGN_KEY_SIZE,
	.keylen_max = SMBSIGN_KEY_SIZE,
	.unique_nonce = true,
	.setup = smbsign_lib_gmac_setup,
	.teardown = smbsign_lib_teardown,
	.mac = smbsign_gmac_mac,
	.driver = smbsign_lib_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_gmac_backend);
