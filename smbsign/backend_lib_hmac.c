// SPDX-License-Identifier: GPL-2.0-only
/*
 * HMAC-SHA256 (SMB 2.0.2, 2.1) through the kernel's SHA-256 library
 * (<crypto/sha2.h>, Linux 6.17+). The key is prepared once, in the
 * context: the inner and outer pad states, so each message costs the
 * hash of its bytes plus one outer block, with no transform, descriptor
 * or indirect call in between. The context is on the caller's stack, so
 * any number of CPUs can use one key at once.
 */
#include <linux/string.h>

#include "key.h"
#include "msg.h"

static int smbsign_lib_hmac_setup(struct smbsign_key *key, const u8 *k,
				  unsigned int keylen, gfp_t gfp)
{
	hmac_sha256_preparekey(&key->hmac, k, keylen);
	return 0;
}

static int smbsign_lib_hmac_chunk(void *priv, void *p, size_t len)
{
	hmac_sha256_update(priv, p, len);
	return 0;
}

static int smbsign_lib_hmac_mac(struct smbsign_key *key,
				const struct smbsign_span *span, u8 *out)
{
	struct hmac_sha256_ctx ctx __uninitialized;
	u8 digest[SHA256_DIGEST_SIZE] __uninitialized;
	int ret;

	hmac_sha256_init(&ctx, &key->hmac);
	ret = smbsign_span_map_paired(span, smbsign_lib_hmac_chunk, &ctx);
	if (ret) {
		memzero_explicit(&ctx, sizeof(ctx));
		return ret;
	}
	hmac_sha256_final(&ctx, digest);	/* zeroizes ctx */
	memcpy(out, digest, SMBSIGN_SIG_SIZE);
	memzero_explicit(digest, sizeof(digest));
	return 0;
}

const struct smbsign_backend smbsign_hmac_backend = {
	.alg = SMBSIGN_ALG_HMAC_SHA256,
	.idx = SMBSIGN_IDX_HMAC,
	.name = "hmac-sha256",
	.keylen_min = SMBSIGN_KEY_SIZE,
	.keylen_max = SMBSIGN_KEY_SIZE,
	.setup = smbsign_lib_hmac_setup,
	.teardown = smbsign_lib_teardown,
	.mac = smbsign_lib_hmac_mac,
	.driver = smbsign_lib_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_hmac_backend);
