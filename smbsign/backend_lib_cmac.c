// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-128-CMAC (SMB 3.0, 3.0.2, 3.1.1) through the kernel's AES-CMAC
 * library (<crypto/aes-cbc-macs.h>, Linux 7.x). The AES round keys and
 * the two CMAC subkeys are prepared once, in the context; each message is
 * then AES blocks and nothing else. The context is on the caller's stack,
 * so any number of CPUs can use one key at once.
 */
#include <linux/string.h>

#include "key.h"
#include "msg.h"

static int smbsign_lib_cmac_setup(struct smbsign_key *key, const u8 *k,
				  unsigned int keylen, gfp_t gfp)
{
	return aes_cmac_preparekey(&key->cmac, k, keylen);
}

static int smbsign_lib_cmac_chunk(void *priv, void *p, size_t len)
{
	aes_cmac_update(priv, p, len);
	return 0;
}

static int smbsign_lib_cmac_mac(struct smbsign_key *key,
				const struct smbsign_span *span, u8 *out)
{
	struct aes_cmac_ctx ctx __uninitialized;
	int ret;

	aes_cmac_init(&ctx, &key->cmac);
	ret = smbsign_span_map(span, smbsign_lib_cmac_chunk, &ctx);
	if (ret) {
		memzero_explicit(&ctx, sizeof(ctx));
		return ret;
	}
	aes_cmac_final(&ctx, out);	/* 16 bytes, all of them the signature; zeroizes ctx */
	return 0;
}

const struct smbsign_backend smbsign_cmac_backend = {
	.alg = SMBSIGN_ALG_AES_CMAC,
	.idx = SMBSIGN_IDX_CMAC,
	.name = "aes-cmac",
	.keylen_min = SMBSIGN_KEY_SIZE,
	.keylen_max = SMBSIGN_KEY_SIZE,
	.setup = smbsign_lib_cmac_setup,
	.teardown = smbsign_lib_teardown,
	.mac = smbsign_lib_cmac_mac,
	.driver = smbsign_lib_driver,
};

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_cmac_backend);
