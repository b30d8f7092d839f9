// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-128-GMAC (SMB 3.1.1): the GCM tag over an empty plaintext with the
 * whole PDU as associated data,
 *
 *	T = GHASH_H(A || 0-pad || len64(A) || len64(0)) ^ E(K, nonce || 1)
 *	H = E(K, 0^128)
 *
 * computed as GHASH over the message plus one AES block, not through
 * gcm(aes): an AEAD request needs one scatterlist covering the whole PDU,
 * and a 1 MiB WRITE in pages needs hundreds of entries, which cannot come
 * from the stack and must not come from the allocator on this path. The
 * GHASH transform ("ghash", the PCLMULQDQ driver where the CPU has it) is
 * instead fed in fixed-size scatterlist chunks from the stack, then the
 * zero padding and one zero block from the zero page (for most messages
 * all of it in one digest call); the length block's
 * share, L * H, comes from a per-key table (gf128.c); E(K, J0) uses the
 * "aes" cipher (AES-NI where present). The self-tests and KUnit check this
 * construction against published GCM vectors and against gcm(aes) itself.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/internal/cipher.h>
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "internal.h"

MODULE_IMPORT_NS(SMBSIGN_CRYPTO_INTERNAL_NS);

/* Scatterlist entries handed to GHASH per update call. */
#define SMBSIGN_SG_CHUNK	16
/* Room on the stack for the GHASH request context; checked at key setup. */
#define SMBSIGN_GHASH_REQ_MAX	384

static int smbsign_gmac_setup(struct smbsign_key *key, const u8 *k,
			      unsigned int keylen, gfp_t gfp)
{
	static const u8 zero[16];
	struct crypto_cipher *aes;
	struct crypto_ahash *ghash;
	int ret;

	aes = crypto_alloc_cipher("aes", 0, 0);
	if (IS_ERR(aes))
		return PTR_ERR(aes);
	key->gmac.aes = aes;
	ret = crypto_cipher_setkey(aes, k, keylen);
	if (ret)
		return ret;
	crypto_cipher_encrypt_one(aes, key->gmac.h, zero);
	smbsign_gf128_len_table(key->gmac.len_tab, key->gmac.h);

	ghash = crypto_alloc_ahash("ghash", 0, 0);
	if (IS_ERR(ghash))
		return PTR_ERR(ghash);
	key->gmac.ghash = ghash;
	if (crypto_ahash_reqsize(ghash) > SMBSIGN_GHASH_REQ_MAX) {
		pr_err("smbsign: %s needs a %u-byte request, more than the %u reserved\n",
		       crypto_ahash_driver_name(ghash),
		       crypto_ahash_reqsize(ghash), SMBSIGN_GHASH_REQ_MAX);
		return -EOPNOTSUPP;
	}
	return crypto_ahash_setkey(ghash, key->gmac.h, sizeof(key->gmac.h));
}

static void smbsign_gmac_teardown(struct smbsign_key *key)
{
	crypto_free_ahash(key->gmac.ghash);
	crypto_free_cipher(key->gmac.aes);
}

/*
 * Up to SMBSIGN_SG_CHUNK pieces are collected, then hashed in one call.
 * A message that fits (nearly all) costs a single digest call: init,
 * data, padding and final together; longer ones an init, updates and a
 * final.
 */
struct smbsign_ghash_feed {
	struct ahash_request *req;
	struct crypto_wait *wait;
	struct scatterlist sg[SMBSIGN_SG_CHUNK];
	unsigned int nsg;
	unsigned int bytes;
	bool started;
};

static int smbsign_ghash_flush(struct smbsign_ghash_feed *f)
{
	int ret;

	if (!f->nsg)
		return 0;
	if (!f->started) {
		ret = crypto_wait_req(crypto_ahash_init(f->req), f->wait);
		if (ret)
			return ret;
		f->started = true;
	}
	sg_mark_end(&f->sg[f->nsg - 1]);
	ahash_request_set_crypt(f->req, f->sg, NULL, f->bytes);
	ret = crypto_wait_req(crypto_ahash_update(f->req), f->wait);
	f->nsg = 0;
	f->bytes = 0;
	return ret;
}

/*
 * What is left, and the result: one digest call, or after updates an
 * update and a final. Not finup: drivers without their own (the
 * PCLMULQDQ "ghash" of 6.x) get the crypto API's default one, which
 * allocates a request copy.
 */
static int smbsign_ghash_finish(struct smbsign_ghash_feed *f, u8 *y)
{
	int ret;

	if (!f->started) {
		sg_mark_end(&f->sg[f->nsg - 1]);
		ahash_request_set_crypt(f->req, f->sg, y, f->bytes);
		return crypto_wait_req(crypto_ahash_digest(f->req), f->wait);
	}
	ret = smbsign_ghash_flush(f);
	if (ret)
		return ret;
	ahash_request_set_crypt(f->req, NULL, y, 0);
	return crypto_wait_req(crypto_ahash_final(f->req), f->wait);
}

static int smbsign_ghash_add(struct smbsign_ghash_feed *f, struct page *page,
			     size_t offset, size_t len)
{
	struct scatterlist *sg;
	int ret;

	if (f->nsg == SMBSIGN_SG_CHUNK || f->bytes + len > UINT_MAX / 2) {
		ret = smbsign_ghash_flush(f);
		if (ret)
			return ret;
	}
	/* entries are initialised as they are used, not 16 at a time */
	sg = &f->sg[f->nsg++];
	sg_init_table(sg, 1);
	sg_unmark_end(sg);
	sg_set_page(sg, page, len, offset);
	f->bytes += len;
	return 0;
}

/*
 * Kernel virtual memory to pages: the linear map directly, vmalloc (and a
 * VMAP_STACK stack) page by page. Anything else cannot be described by a
 * scatterlist and is refused.
 */
static int smbsign_ghash_seg(void *priv, const struct smbsign_seg *seg)
{
	struct smbsign_ghash_feed *f = priv;
	const u8 *p = seg->virt;
	size_t left = seg->len;
	int ret;

	if (!left)
		return 0;	/* a zero-length entry would end the walk early */
	if (!p)
		return smbsign_ghash_add(f, seg->page, seg->offset, left);
	if (virt_addr_valid(p) && virt_addr_valid(p + left - 1))
		return smbsign_ghash_add(f, virt_to_page(p),
					 offset_in_page(p), left);
	while (left) {
		size_t n = min_t(size_t, left, PAGE_SIZE - offset_in_page(p));
		struct page *page = NULL;

		if (is_vmalloc_addr(p))
			page = vmalloc_to_page(p);
		if (!page)
			return -EFAULT;
		ret = smbsign_ghash_add(f, page, offset_in_page(p), n);
		if (ret)
			return ret;
		p += n;
		left -= n;
	}
	return 0;
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
int smbsign_gmac_raw(struct smbsign_key *key, const u8 iv[12],
		     const struct smbsign_span *span, u8 *tag)
{
	/* written before read; the used part of the request is wiped below */
	u8 reqbuf[sizeof(struct ahash_request) + SMBSIGN_GHASH_REQ_MAX]
		__aligned(CRYPTO_MINALIGN) __uninitialized;
	struct ahash_request *req = (struct ahash_request *)reqbuf;
	struct smbsign_ghash_feed feed __uninitialized;
	DECLARE_CRYPTO_WAIT(wait);
	u8 y[16] __uninitialized;
	u8 j0[16] __uninitialized;
	int ret;

	ahash_request_set_tfm(req, key->gmac.ghash);
	ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				   crypto_req_done, &wait);
	feed.req = req;
	feed.wait = &wait;
	feed.nsg = 0;
	feed.bytes = 0;
	feed.started = false;

	ret = smbsign_span_walk(span, smbsign_ghash_seg, &feed);
	/* zero padding to a whole block, then the zero block: y = Y * H */
	if (!ret)
		ret = smbsign_ghash_add(&feed, ZERO_PAGE(0), 0,
					31 - (span->len + 15) % 16);
	if (!ret)
		ret = smbsign_ghash_finish(&feed, y);
	if (!ret) {
		/* + L * H: S = (Y ^ L) * H, L = bits of data || 0 (no ciphertext) */
		smbsign_gf128_len_mul(y, key->gmac.len_tab, (u64)span->len * 8);
		memcpy(j0, iv, 12);
		put_unaligned_be32(1, j0 + 12);
		crypto_cipher_encrypt_one(key->gmac.aes, j0, j0);
		crypto_xor_cpy(tag, y, j0, 16);
	}
	memzero_explicit(y, sizeof(y));
	memzero_explicit(j0, sizeof(j0));
	memzero_explicit(reqbuf, sizeof(struct ahash_request) +
			 crypto_ahash_reqsize(key->gmac.ghash));
	return ret;
}

static void smbsign_gmac_driver(struct smbsign_key *key, char *buf,
				size_t len)
{
	snprintf(buf, len, "%s+%s", crypto_ahash_driver_name(key->gmac.ghash),
		 crypto_tfm_alg_driver_name(crypto_cipher_tfm(key->gmac.aes)));
}

const struct smbsign_backend smbsign_gmac_backend = {
	.alg = SMBSIGN_ALG_AES_GMAC,
	.idx = SMBSIGN_IDX_GMAC,
	.name = "aes-gmac",
	.keylen_min = SMBSIGN_KEY_SIZE,
	.keylen_max = SMBSIGN_KEY_SIZE,
	.setup = smbsign_gmac_setup,
	.teardown = smbsign_gmac_teardown,
	.mac = smbsign_gmac_mac,
	.driver = smbsign_gmac_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_gmac_backend);
