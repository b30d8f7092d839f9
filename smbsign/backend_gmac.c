// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-128-GMAC (SMB 3.1.1) on the crypto API (Linux 6.x): the GCM tag over
 * an empty plaintext with the whole PDU as associated data,
 *
 *	T = GHASH_H(A || 0-pad || len64(A) || len64(0)) ^ E(K, nonce || 1)
 *	H = E(K, 0^128)
 *
 * computed as GHASH over the message in place plus one AES block, not
 * through gcm(aes): an AEAD request takes the message as one scatterlist,
 * and a 1 MiB WRITE in pages needs hundreds of entries, which cannot come
 * from the stack and must not come from the allocator on this path; nor
 * can a scatterlist describe a module's static data.
 *
 * Everything here is synchronous and never sleeps. GHASH runs on the
 * PCLMULQDQ driver's own synchronous core ("__ghash", the algorithm its
 * asynchronous "ghash" wrapper hands to cryptd) whenever SIMD is usable
 * in the current context, and on a constant-time software GHASH
 * (gf128.c) otherwise; never on the asynchronous wrapper (which may queue
 * to cryptd and sleep) nor on ghash-generic, whose tables are not
 * constant-time. Where the CPU has no PCLMULQDQ a synchronous "ghash"
 * of another architecture is used if it is not the generic one, else the
 * software GHASH. E(K, J0) comes from the "aes" cipher (AES-NI, which
 * falls back to the AES library without SIMD). The self-tests and KUnit
 * check both GHASH paths against published GCM vectors and gcm(aes).
 */
#include <asm/simd.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/ghash.h>
#include <crypto/hash.h>
#include <crypto/internal/cipher.h>
#include <crypto/internal/simd.h>
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/string.h>

#include "gmac.h"

MODULE_IMPORT_NS(SMBSIGN_CRYPTO_INTERNAL_NS);

/* The GHASH transform to use while SIMD is usable, or NULL. */
static struct crypto_shash *smbsign_ghash_tfm(bool *needs_simd)
{
	struct crypto_shash *tfm;

	/* loads the architecture's GHASH module if it is not yet */
	crypto_has_ahash("ghash", 0, 0);
	tfm = crypto_alloc_shash("__ghash", CRYPTO_ALG_INTERNAL,
				 CRYPTO_ALG_INTERNAL);
	if (!IS_ERR(tfm)) {
		*needs_simd = true;
		return tfm;
	}
	tfm = crypto_alloc_shash("ghash", 0, 0);
	if (IS_ERR(tfm))
		return NULL;
	if (!strcmp(crypto_shash_driver_name(tfm), "ghash-generic")) {
		crypto_free_shash(tfm);
		return NULL;
	}
	*needs_simd = false;
	return tfm;
}

static int smbsign_gmac_setup(struct smbsign_key *key, const u8 *k,
			      unsigned int keylen, gfp_t gfp)
{
	static const u8 zero[GHASH_BLOCK_SIZE];
	struct crypto_cipher *aes;
	u8 h[GHASH_BLOCK_SIZE];
	int ret;

	aes = crypto_alloc_cipher("aes", 0, 0);
	if (IS_ERR(aes))
		return PTR_ERR(aes);
	key->gmac.aes = aes;
	ret = crypto_cipher_setkey(aes, k, keylen);
	if (ret)
		return ret;
	crypto_cipher_encrypt_one(aes, h, zero);
	key->gmac.h[0] = get_unaligned_be64(h);
	key->gmac.h[1] = get_unaligned_be64(h + 8);
	key->gmac.ghash = smbsign_ghash_tfm(&key->gmac.ghash_needs_simd);
	if (key->gmac.ghash)
		ret = crypto_shash_setkey(key->gmac.ghash, h, sizeof(h));
	memzero_explicit(h, sizeof(h));
	return ret;
}

static void smbsign_gmac_teardown(struct smbsign_key *key)
{
	crypto_free_shash(key->gmac.ghash);
	crypto_free_cipher(key->gmac.aes);
}

static int smbsign_ghash_shash_chunk(void *priv, void *p, size_t len)
{
	return crypto_shash_update(priv, p, len);
}

static int smbsign_ghash_ct_chunk(void *priv, void *p, size_t len)
{
	smbsign_ghash_ct_update(priv, p, len);
	return 0;
}

/*
 * The zero padding of the associated data to a whole block, then the
 * length block len64(A) || len64(C = empty), in @tail: the bytes GHASH
 * takes after the message. Return: how many.
 */
static unsigned int smbsign_ghash_tail(u8 tail[2 * GHASH_BLOCK_SIZE],
				       size_t len)
{
	unsigned int pad = -len & (GHASH_BLOCK_SIZE - 1);

	memset(tail, 0, pad + GHASH_BLOCK_SIZE);
	put_unaligned_be64((u64)len * 8, tail + pad);
	return pad + GHASH_BLOCK_SIZE;
}

/*
 * Messages up to this size are gathered, tail included, into one buffer
 * on the stack and hashed in one update: the PCLMULQDQ driver enters and
 * leaves the FPU once per update, and for a small message that round
 * trip, not the hashing, is most of the cost.
 */
#define SMBSIGN_GHASH_GATHER	256

struct smbsign_gather {
	u8 *p;
	u8 *end;
};

static int smbsign_gather_chunk(void *priv, void *p, size_t len)
{
	struct smbsign_gather *g = priv;

	/* no more than the span's length, which the length block states */
	if (len > g->end - g->p)
		return -EOVERFLOW;
	memcpy(g->p, p, len);
	g->p += len;
	return 0;
}

/* GHASH on the driver: gathered, or one update per piece, then the tail. */
static int smbsign_ghash_driver(struct smbsign_key *key,
				const struct smbsign_span *span, u8 *y)
{
	u8 buf[SMBSIGN_GHASH_GATHER + 2 * GHASH_BLOCK_SIZE] __aligned(16)
		__uninitialized;
	u8 descbuf[SMBSIGN_SHASH_DESC_SIZE]
		__aligned(__alignof__(struct shash_desc)) __uninitialized;
	struct shash_desc *desc = (void *)descbuf;
	struct smbsign_gather g = { .p = buf };
	unsigned int n;
	int ret;

	desc->tfm = key->gmac.ghash;
	ret = crypto_shash_init(desc);
	if (ret)
		goto out;
	if (span->len <= SMBSIGN_GHASH_GATHER) {
		g.end = buf + span->len;
		ret = smbsign_span_map(span, smbsign_gather_chunk, &g);
		if (ret)
			goto out;
		/* the copy is of the message, which travels in clear */
		n = smbsign_ghash_tail(g.p, span->len);
		ret = crypto_shash_update(desc, buf, g.p + n - buf);
	} else {
		ret = smbsign_span_map(span, smbsign_ghash_shash_chunk, desc);
		if (ret)
			goto out;
		n = smbsign_ghash_tail(buf, span->len);
		ret = crypto_shash_update(desc, buf, n);
	}
	if (!ret)
		ret = crypto_shash_final(desc, y);
out:
	shash_desc_zero(desc);
	return ret;
}

/* GHASH in software, constant time (gf128.c). */
static int smbsign_ghash_soft(struct smbsign_key *key,
			      const struct smbsign_span *span, u8 *y)
{
	struct smbsign_ghash_ct g __uninitialized;
	u8 tail[2 * GHASH_BLOCK_SIZE] __uninitialized;
	int ret;

	smbsign_ghash_ct_init(&g, key->gmac.h);
	ret = smbsign_span_map(span, smbsign_ghash_ct_chunk, &g);
	if (!ret)
		smbsign_ghash_ct_update(&g, tail,
					smbsign_ghash_tail(tail, span->len));
	smbsign_ghash_ct_final(&g, y);	/* wipes g */
	return ret;
}

/**
 * smbsign_gmac_raw - GCM tag over associated data only
 * @key: an AES-GMAC key
 * @iv: 12-byte nonce
 * @span: the associated data
 * @tag: 16-byte result
 *
 * Return: 0, or the crypto layer's or the walk's error.
 */
int smbsign_gmac_raw(struct smbsign_key *key,
		     const u8 iv[SMBSIGN_GMAC_NONCE_SIZE],
		     const struct smbsign_span *span, u8 *tag)
{
	u8 y[GHASH_BLOCK_SIZE] __uninitialized;
	u8 j0[AES_BLOCK_SIZE] __uninitialized;
	int ret;

	if (key->gmac.ghash &&
	    (!key->gmac.ghash_needs_simd || crypto_simd_usable()))
		ret = smbsign_ghash_driver(key, span, y);
	else
		ret = smbsign_ghash_soft(key, span, y);
	if (!ret) {
		memcpy(j0, iv, SMBSIGN_GMAC_NONCE_SIZE);
		put_unaligned_be32(1, j0 + SMBSIGN_GMAC_NONCE_SIZE);
		crypto_cipher_encrypt_one(key->gmac.aes, j0, j0);
		crypto_xor_cpy(tag, y, j0, GHASH_BLOCK_SIZE);
	}
	memzero_explicit(y, sizeof(y));
	memzero_explicit(j0, sizeof(j0));
	return ret;
}

static void smbsign_gmac_driver(struct smbsign_key *key, char *buf,
				size_t len)
{
	snprintf(buf, len, "%s+%s",
		 key->gmac.ghash ? crypto_shash_driver_name(key->gmac.ghash) :
		 "ghash-smbsign-ct",
		 crypto_tfm_alg_driver_name(crypto_cipher_tfm(key->gmac.aes)));
}

const struct smbsign_backend smbsign_gmac_backend = {
	.alg = SMBSIGN_ALG_AES_GMAC,
	.idx = SMBSIGN_IDX_GMAC,
	.name = "aes-gmac",
	.keylen_min = SMBSIGN_KEY_SIZE,
	.keylen_max = SMBSIGN_KEY_SIZE,
	.unique_nonce = true,
	.setup = smbsign_gmac_setup,
	.teardown = smbsign_gmac_teardown,
	.mac = smbsign_gmac_mac,
	.driver = smbsign_gmac_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_gmac_backend);
