// SPDX-License-Identifier: GPL-2.0-only
/*
 * The synchronous-hash algorithms: HMAC-SHA256 (SMB 2.x), AES-128-CMAC
 * (SMB 3.x) and MD5 (SMB1); HMAC and CMAC only where the kernel has no
 * library for them (backend_lib_hmac.c, backend_lib_cmac.c). The
 * transform is allocated and keyed once per key; every sign or verify
 * keeps its state in a descriptor on its own stack, so any number of CPUs
 * can use one key at once without a lock or an allocation.
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/string.h>

#include "key.h"
#include "msg.h"

static int smbsign_shash_alloc(struct smbsign_key *key, const char *name)
{
	struct crypto_shash *tfm = crypto_alloc_shash(name, 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	key->shash = tfm;
	return 0;
}

#if !defined(SMBSIGN_LIB_HMAC) || !defined(SMBSIGN_LIB_CMAC)
static int smbsign_keyed_setup(struct smbsign_key *key, const char *name,
			       const u8 *k, unsigned int keylen)
{
	int ret = smbsign_shash_alloc(key, name);

	if (ret)
		return ret;
	return crypto_shash_setkey(key->shash, k, keylen);
}
#endif

#ifndef SMBSIGN_LIB_HMAC
static int smbsign_hmac_setup(struct smbsign_key *key, const u8 *k,
			      unsigned int keylen, gfp_t gfp)
{
	return smbsign_keyed_setup(key, "hmac(sha256)", k, keylen);
}
#endif

#ifndef SMBSIGN_LIB_CMAC
static int smbsign_cmac_setup(struct smbsign_key *key, const u8 *k,
			      unsigned int keylen, gfp_t gfp)
{
	return smbsign_keyed_setup(key, "cmac(aes)", k, keylen);
}
#endif

/* MD5 takes no key: SMB1 hashes the MACKey in front of every PDU. */
static int smbsign_md5_setup(struct smbsign_key *key, const u8 *k,
			     unsigned int keylen, gfp_t gfp)
{
	memcpy(key->smb1.key, k, keylen);
	key->smb1.len = keylen;
	return smbsign_shash_alloc(key, "md5");
}

static void smbsign_shash_teardown(struct smbsign_key *key)
{
	crypto_free_shash(key->shash);	/* frees and wipes the keyed context */
}

static int smbsign_shash_chunk(void *priv, void *p, size_t len)
{
	return crypto_shash_update(priv, p, len);
}

static int smbsign_shash_mac(struct smbsign_key *key,
			     const struct smbsign_span *span, u8 *out)
{
	u8 descbuf[SMBSIGN_SHASH_DESC_SIZE]
		__aligned(__alignof__(struct shash_desc)) __uninitialized;
	struct shash_desc *desc = (void *)descbuf;
	u8 digest[HASH_MAX_DIGESTSIZE] __uninitialized;
	int ret;

	desc->tfm = key->shash;
	ret = crypto_shash_init(desc);
	if (!ret && key->smb1.len)
		ret = crypto_shash_update(desc, key->smb1.key, key->smb1.len);
	if (!ret && key->be->idx == SMBSIGN_IDX_HMAC)
		ret = smbsign_span_map_paired(span, smbsign_shash_chunk, desc);
	else if (!ret)
		ret = smbsign_span_map(span, smbsign_shash_chunk, desc);
	if (!ret)
		ret = crypto_shash_final(desc, digest);
	if (!ret)
		memcpy(out, digest, SMBSIGN_SIG_SIZE);
	memzero_explicit(digest, sizeof(digest));
	shash_desc_zero(desc);
	return ret;
}

static void smbsign_shash_driver(struct smbsign_key *key, char *buf,
				 size_t len)
{
	strscpy(buf, crypto_shash_driver_name(key->shash), len);
}

#ifndef SMBSIGN_LIB_HMAC
const struct smbsign_backend smbsign_hmac_backend = {
	.alg = SMBSIGN_ALG_HMAC_SHA256,
	.idx = SMBSIGN_IDX_HMAC,
	.name = "hmac-sha256",
	.keylen_min = SMBSIGN_KEY_SIZE,
	.keylen_max = SMBSIGN_KEY_SIZE,
	.setup = smbsign_hmac_setup,
	.teardown = smbsign_shash_teardown,
	.mac = smbsign_shash_mac,
	.driver = smbsign_shash_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_hmac_backend);
#endif

#ifndef SMBSIGN_LIB_CMAC
const struct smbsign_backend smbsign_cmac_backend = {
	.alg = SMBSIGN_ALG_AES_CMAC,
	.idx = SMBSIGN_IDX_CMAC,
	.name = "aes-cmac",
	.keylen_min = SMBSIGN_KEY_SIZE,
	.keylen_max = SMBSIGN_KEY_SIZE,
	.setup = smbsign_cmac_setup,
	.teardown = smbsign_shash_teardown,
	.mac = smbsign_shash_mac,
	.driver = smbsign_shash_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_cmac_backend);
#endif

const struct smbsign_backend smbsign_md5_backend = {
	.alg = SMBSIGN_ALG_SMB1_MD5,
	.idx = SMBSIGN_IDX_MD5,
	.name = "smb1-md5",
	.keylen_min = 16,
	.keylen_max = SMB1_MAX_MAC_KEY,
	.setup = smbsign_md5_setup,
	.teardown = smbsign_shash_teardown,
	.mac = smbsign_shash_mac,
	.driver = smbsign_shash_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_md5_backend);
