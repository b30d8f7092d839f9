/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Key contexts and the backends behind them: one backend per algorithm
 * (crypto API transforms on 6.x, lib/crypto calls where the kernel has
 * them), one context per session or channel (key.c).
 */
#ifndef _SMBSIGN_KEY_H
#define _SMBSIGN_KEY_H

#include <linux/crypto.h>
#include <linux/refcount.h>
#include <linux/smbsign.h>
#include <linux/types.h>

#include "compat.h"
#include "smb2.h"

#ifdef SMBSIGN_LIB_HMAC
#include <crypto/sha2.h>
#endif
#ifdef SMBSIGN_LIB_CMAC
#include <crypto/aes-cbc-macs.h>
#endif
#ifdef SMBSIGN_LIB_GMAC
#include <crypto/aes.h>
#include <crypto/gf128hash.h>
#endif

struct crypto_shash;
struct crypto_cipher;
struct smbsign_span;
struct smbsign_nonce_record;

/*
 * The size of SHASH_DESC_ON_STACK()'s buffer. smbsign declares it itself,
 * __uninitialized: INIT_STACK_ALL_ZERO (Debian's default) would clear its
 * 376 bytes on every message with a rep stosb, which TCG runs byte by
 * byte. crypto_shash_init() writes what the hash reads, and
 * shash_desc_zero() wipes the state after use.
 */
#define SMBSIGN_SHASH_DESC_SIZE	(sizeof(struct shash_desc) + HASH_MAX_DESCSIZE)

/* Room for "ghash-driver+aes-driver". */
#define SMBSIGN_DRIVER_NAME_MAX	(CRYPTO_MAX_ALG_NAME * 2)

/* Internal algorithm index: stats slots, backend table. */
enum smbsign_idx {
	SMBSIGN_IDX_HMAC,
	SMBSIGN_IDX_CMAC,
	SMBSIGN_IDX_GMAC,
	SMBSIGN_IDX_MD5,
	SMBSIGN_NR_IDX,
};

struct smbsign_key;

/**
 * struct smbsign_backend - one signing algorithm
 * @alg: public algorithm id
 * @idx: internal index
 * @name: short name (stats, logs)
 * @keylen_min: smallest key accepted
 * @keylen_max: largest key accepted
 * @unique_nonce: every signature needs a nonce of its own (AES-GMAC): keys
 *	carry a nonce record (nonce.c) and sign claims the nonce first
 * @setup: allocate transforms and set the key; called once per key
 * @teardown: free what @setup allocated
 * @mac: compute the MAC of a span into @out (16 bytes for all algorithms);
 *	never sleeps
 * @driver: the crypto driver(s) this key got, for stats and logs
 */
struct smbsign_backend {
	enum smbsign_alg alg;
	enum smbsign_idx idx;
	const char *name;
	unsigned int keylen_min;
	unsigned int keylen_max;
	bool unique_nonce;
	int (*setup)(struct smbsign_key *key, const u8 *k, unsigned int keylen,
		     gfp_t gfp);
	void (*teardown)(struct smbsign_key *key);
	int (*mac)(struct smbsign_key *key, const struct smbsign_span *span,
		   u8 *out);
	void (*driver)(struct smbsign_key *key, char *buf, size_t len);
};

/**
 * struct smbsign_key - per-session (per-channel) signing context
 * @ref: references; the last put wipes and frees
 * @be: the algorithm
 * @nonces: the nonces this key has signed under (AES-GMAC only), else NULL
 * @shash: keyed transform (MD5; HMAC and CMAC without their library)
 * @hmac: HMAC-SHA256 library key (SMBSIGN_LIB_HMAC)
 * @cmac: AES-CMAC library key (SMBSIGN_LIB_CMAC)
 * @gmac: AES-GMAC: AES keyed with K, and GHASH keyed with H = E(K, 0^128)
 * @gmac.aes: AES-128 library key (SMBSIGN_LIB_GMAC), or block cipher
 * @gmac.ghash: GHASH library key (SMBSIGN_LIB_GMAC), or a synchronous
 *	GHASH transform (crypto API build), NULL where only the constant-time
 *	fallback is trusted
 * @gmac.ghash_needs_simd: @gmac.ghash is a SIMD driver's internal
 *	algorithm, usable only while crypto_simd_usable()
 * @gmac.h: H as two big-endian halves, for the fallback (crypto API build)
 * @smb1: SMB1 MACKey, hashed in front of every PDU
 * @smb1.key: the MACKey bytes
 * @smb1.len: bytes in @smb1.key
 *
 * Library keys live in the context itself: the final wipe of the context
 * (smbsign_key_wipe()) is what erases them.
 */
struct smbsign_key {
	refcount_t ref;
	const struct smbsign_backend *be;
	struct smbsign_nonce_record *nonces;
	struct crypto_shash *shash;
#ifdef SMBSIGN_LIB_HMAC
	struct hmac_sha256_key hmac;
#endif
#ifdef SMBSIGN_LIB_CMAC
	struct aes_cmac_key cmac;
#endif
#ifdef SMBSIGN_LIB_GMAC
	struct {
		struct aes_enckey aes;
		struct ghash_key ghash;
	} gmac;
#else
	struct {
		struct crypto_cipher *aes;
		struct crypto_shash *ghash;
		bool ghash_needs_simd;
		u64 h[2];
	} gmac;
#endif
	struct {
		u8 key[SMB1_MAX_MAC_KEY];
		unsigned int len;
	} smb1;
};

/* the backends (backend_*.c) */
extern const struct smbsign_backend smbsign_hmac_backend;
extern const struct smbsign_backend smbsign_cmac_backend;
extern const struct smbsign_backend smbsign_md5_backend;
extern const struct smbsign_backend smbsign_gmac_backend;
extern const struct smbsign_backend *const smbsign_backends[SMBSIGN_NR_IDX];

/* key.c */
const struct smbsign_backend *smbsign_backend_of(enum smbsign_alg alg);
struct smbsign_key *smbsign_key_new(const struct smbsign_backend *be,
				    const u8 *k, unsigned int keylen,
				    gfp_t gfp);
int smbsign_live_keys(void);
void smbsign_key_wipe(struct smbsign_key *key);
void smbsign_key_release(struct smbsign_key *key);

/* lib_impl.c: what the library backends share */
void smbsign_lib_teardown(struct smbsign_key *key);
void smbsign_lib_driver(struct smbsign_key *key, char *buf, size_t len);

/* selftest.c */
int smbsign_selftest(const struct smbsign_backend *be);
int smbsign_mac_buf(struct smbsign_key *key, const u8 *iv, const void *buf,
		    size_t len, u8 *out);

#endif /* _SMBSIGN_KEY_H */
