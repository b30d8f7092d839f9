// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor: the primitive alone, keyed once, over the message as one
 * contiguous buffer: the library call where smbsign is built on the
 * library (HMAC-SHA256, AES-CMAC on 7.x), else the crypto API's shash.
 * For AES-GMAC that is the kernel's gcm(aes)
 * with the whole message as associated data and nothing to encrypt, which
 * is how Samba and Windows define the SMB 3.1.1 GMAC signature.
 */
#include <linux/err.h>

#include "bench.h"

int bench_floor_init(struct bench_floor *f, enum smbsign_alg alg,
		     const u8 *key, u8 *buf, size_t len)
{
	int ret;

	memset(f, 0, sizeof(*f));
	f->buf = buf;
	f->len = len;
	f->alg = alg;
#ifdef SMBSIGN_LIB_HMAC
	if (alg == SMBSIGN_ALG_HMAC_SHA256) {
		f->lib = true;
		hmac_sha256_preparekey(&f->hmac, key, 16);
		return 0;
	}
#endif
#ifdef SMBSIGN_LIB_CMAC
	if (alg == SMBSIGN_ALG_AES_CMAC) {
		f->lib = true;
		return aes_cmac_preparekey(&f->cmac, key, 16);
	}
#endif
	if (alg != SMBSIGN_ALG_AES_GMAC) {
		f->tfm = crypto_alloc_shash(alg == SMBSIGN_ALG_AES_CMAC ?
					    "cmac(aes)" : "hmac(sha256)", 0, 0);
		if (IS_ERR(f->tfm)) {
			ret = PTR_ERR(f->tfm);
			f->tfm = NULL;
			return ret;
		}
		return crypto_shash_setkey(f->tfm, key, 16);
	}
	f->aead = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(f->aead)) {
		ret = PTR_ERR(f->aead);
		f->aead = NULL;
		return ret;
	}
	ret = crypto_aead_setkey(f->aead, key, 16);
	if (!ret)
		ret = crypto_aead_setauthsize(f->aead, 16);
	if (ret)
		return ret;
	f->req = aead_request_alloc(f->aead, GFP_KERNEL);
	if (!f->req)
		return -ENOMEM;
	crypto_init_wait(&f->wait);
	memcpy(f->iv, buf + 24, 8);	/* MessageId; role bits zero */
	sg_init_one(&f->sg, buf, len + 16);
	aead_request_set_callback(f->req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &f->wait);
	return 0;
}

static int bench_floor_lib_mac(struct bench_floor *f, u8 *out)
{
#ifdef SMBSIGN_LIB_HMAC
	if (f->alg == SMBSIGN_ALG_HMAC_SHA256) {
		u8 digest[SHA256_DIGEST_SIZE];

		hmac_sha256(&f->hmac, f->buf, f->len, digest);
		memcpy(out, digest, 16);
		return 0;
	}
#endif
#ifdef SMBSIGN_LIB_CMAC
	if (f->alg == SMBSIGN_ALG_AES_CMAC) {
		aes_cmac(&f->cmac, f->buf, f->len, out);
		return 0;
	}
#endif
	return -EOPNOTSUPP;
}

int bench_floor_mac(struct bench_floor *f, u8 *out)
{
	int ret;

	if (f->lib)
		return bench_floor_lib_mac(f, out);
	if (f->tfm) {
		SHASH_DESC_ON_STACK(desc, f->tfm);

		desc->tfm = f->tfm;
		return crypto_shash_digest(desc, f->buf, f->len, out);
	}
	aead_request_set_crypt(f->req, &f->sg, &f->sg, 0, f->iv);
	aead_request_set_ad(f->req, f->len);
	ret = crypto_wait_req(crypto_aead_encrypt(f->req), &f->wait);
	if (!ret)
		memcpy(out, f->buf + f->len, 16);
	return ret;
}

const char *bench_floor_driver(struct bench_floor *f)
{
	if (f->lib)
		return f->alg == SMBSIGN_ALG_AES_CMAC ? "aes_cmac() library" :
							"hmac_sha256() library";
	return f->tfm ? crypto_shash_driver_name(f->tfm) :
			crypto_aead_driver_name(f->aead);
}

void bench_floor_free(struct bench_floor *f)
{
	aead_request_free(f->req);
	crypto_free_aead(f->aead);
	crypto_free_shash(f->tfm);
	memset(f, 0, sizeof(*f));
}
