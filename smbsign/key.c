// SPDX-License-Identifier: GPL-2.0-only
/*
 * Key contexts: one per session (per channel of a multichannel session).
 * The transforms are allocated and keyed once, here; sign and verify then
 * only read the context, so one key serves any number of CPUs at once.
 * Each live key pins the module, so smbsign cannot be unloaded under it.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "key.h"
#include "nonce.h"
#include "stats.h"

/* Longest key the internal constructor takes (RFC 4231 uses 131 bytes). */
#define SMBSIGN_MAX_RAW_KEY	256

/* Key contexts alive now: debugfs shows it; tests prove failures leak none. */
static atomic_t smbsign_nr_keys = ATOMIC_INIT(0);

/**
 * smbsign_live_keys - number of key contexts not yet freed
 *
 * Return: the count.
 */
int smbsign_live_keys(void)
{
	return atomic_read(&smbsign_nr_keys);
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_live_keys);

/* Every algorithm, indexed by enum smbsign_idx. */
const struct smbsign_backend *const smbsign_backends[SMBSIGN_NR_IDX] = {
	[SMBSIGN_IDX_HMAC] = &smbsign_hmac_backend,
	[SMBSIGN_IDX_CMAC] = &smbsign_cmac_backend,
	[SMBSIGN_IDX_GMAC] = &smbsign_gmac_backend,
	[SMBSIGN_IDX_MD5] = &smbsign_md5_backend,
};

/**
 * smbsign_backend_of - the backend implementing @alg
 * @alg: algorithm id
 *
 * Return: the backend, or NULL for an unknown id.
 */
const struct smbsign_backend *smbsign_backend_of(enum smbsign_alg alg)
{
	unsigned int i;

	for (i = 0; i < SMBSIGN_NR_IDX; i++)
		if (smbsign_backends[i]->alg == alg)
			return smbsign_backends[i];
	return NULL;
}

/**
 * smbsign_key_wipe - free the transforms and zero the whole context
 * @key: a context nobody uses any more
 *
 * The crypto API wipes the keyed transform state it frees; this zeroes
 * smbsign's own copies (GHASH's H, the SMB1 MACKey) and every pointer.
 */
void smbsign_key_wipe(struct smbsign_key *key)
{
	key->be->teardown(key);
	smbsign_nonce_free(key->nonces);
	memzero_explicit(key, sizeof(*key));
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_key_wipe);

/**
 * smbsign_key_release - give back the memory of a wiped context
 * @key: from smbsign_key_wipe()
 */
void smbsign_key_release(struct smbsign_key *key)
{
	kfree(key);
	atomic_dec(&smbsign_nr_keys);
	module_put(THIS_MODULE);
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_key_release);

static void smbsign_key_free(struct smbsign_key *key)
{
	smbsign_key_wipe(key);
	smbsign_key_release(key);
}

/**
 * smbsign_key_new - allocate a key context without the API's length rule
 * @be: the algorithm
 * @k: key bytes
 * @keylen: any length the underlying primitive accepts
 * @gfp: flags for the context itself; the crypto layer allocates its
 *	transforms with GFP_KERNEL, so this may sleep
 *
 * The public allocators check the SMB key length and call this; the
 * self-tests and KUnit use it directly for the published primitive
 * vectors, whose keys are not SMB-sized.
 *
 * Return: a context holding one reference, or an ERR_PTR().
 */
struct smbsign_key *smbsign_key_new(const struct smbsign_backend *be,
				    const u8 *k, unsigned int keylen,
				    gfp_t gfp)
{
	char driver[SMBSIGN_DRIVER_NAME_MAX];
	struct smbsign_key *key;
	int ret;

	might_sleep();
	if (!be || !k || !keylen || keylen > SMBSIGN_MAX_RAW_KEY)
		return ERR_PTR(-EINVAL);
	if (be == &smbsign_md5_backend && keylen > SMB1_MAX_MAC_KEY)
		return ERR_PTR(-EINVAL);
	if (!try_module_get(THIS_MODULE))
		return ERR_PTR(-ENODEV);
	key = kzalloc(sizeof(*key), gfp);
	if (!key) {
		module_put(THIS_MODULE);
		return ERR_PTR(-ENOMEM);
	}
	atomic_inc(&smbsign_nr_keys);
	refcount_set(&key->ref, 1);
	key->be = be;
	if (be->unique_nonce) {
		key->nonces = smbsign_nonce_alloc(gfp);
		if (!key->nonces) {
			smbsign_key_free(key);
			return ERR_PTR(-ENOMEM);
		}
	}
	ret = be->setup(key, k, keylen, gfp);
	if (ret) {
		smbsign_key_free(key);
		return ERR_PTR(ret);
	}
	be->driver(key, driver, sizeof(driver));
	smbsign_stats_set_driver(be->idx, driver);
	return key;
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_key_new);

/**
 * smbsign_key_alloc - create the signing context of a session or channel
 * @alg: SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC or SMBSIGN_ALG_AES_GMAC
 *	(SMBSIGN_ALG_SMB1_MD5 is accepted as for smbsign_smb1_key_alloc())
 * @key: the signing key: Session.SessionKey for HMAC-SHA256 (see
 *	smbsign_derive_signing_key()), the derived SigningKey for AES
 * @keylen: 16 (SMBSIGN_KEY_SIZE)
 * @gfp: allocation flags for the context; may sleep regardless, as the
 *	crypto API allocates its transforms with GFP_KERNEL
 *
 * The key bytes are copied into the crypto transforms; the caller may wipe
 * its copy at once. An AES-GMAC key also gets its nonce record
 * (about 10 KiB, Documentation/smbsign.rst): it signs each nonce once.
 *
 * Context: Process context; may sleep.
 *
 * Return: a context holding one reference, or ERR_PTR(-EINVAL) for an
 * unknown algorithm, a NULL key or a length other than 16,
 * ERR_PTR(-EPERM) for SMB1 while allow_smb1 is off, ERR_PTR(-ENOMEM), or
 * the crypto layer's error (e.g. -ENOENT when an algorithm is missing).
 */
struct smbsign_key *smbsign_key_alloc(enum smbsign_alg alg, const u8 *key,
				      unsigned int keylen, gfp_t gfp)
{
	const struct smbsign_backend *be = smbsign_backend_of(alg);

	if (!be)
		return ERR_PTR(-EINVAL);
	if (alg == SMBSIGN_ALG_SMB1_MD5)
		return smbsign_smb1_key_alloc(key, keylen, gfp);
	if (keylen < be->keylen_min || keylen > be->keylen_max)
		return ERR_PTR(-EINVAL);
	return smbsign_key_new(be, key, keylen, gfp);
}
EXPORT_SYMBOL_NS_GPL(smbsign_key_alloc, SMBSIGN_NS);

/**
 * smbsign_key_get - take another reference
 * @key: a live key
 *
 * Context: Any context.
 *
 * Return: @key
 */
struct smbsign_key *smbsign_key_get(struct smbsign_key *key)
{
	refcount_inc(&key->ref);
	return key;
}
EXPORT_SYMBOL_NS_GPL(smbsign_key_get, SMBSIGN_NS);

/**
 * smbsign_key_put - drop a reference
 * @key: a key, or NULL or an ERR_PTR (ignored)
 *
 * The last put frees the transforms and wipes the context.
 *
 * Context: Process context; may sleep (freeing the transforms and the
 * nonce record), so never under a spinlock, even where the caller knows
 * it holds another reference.
 */
void smbsign_key_put(struct smbsign_key *key)
{
	might_sleep();
	if (IS_ERR_OR_NULL(key))
		return;
	if (refcount_dec_and_test(&key->ref))
		smbsign_key_free(key);
}
EXPORT_SYMBOL_NS_GPL(smbsign_key_put, SMBSIGN_NS);

/**
 * smbsign_key_alg - the algorithm of a key
 * @key: a live key
 *
 * Context: Any context.
 *
 * Return: its algorithm id
 */
enum smbsign_alg smbsign_key_alg(const struct smbsign_key *key)
{
	return key->be->alg;
}
EXPORT_SYMBOL_NS_GPL(smbsign_key_alg, SMBSIGN_NS);
