// SPDX-License-Identifier: GPL-2.0-only
/*
 * Models of how Linux 6.12 signs, for comparison; they are models, not
 * the code: the same crypto API calls in the same order, without the
 * surrounding SMB state.
 *
 * cifs (fs/smb/client/smb2transport.c): the key is looked up under
 * cifs_tcp_ses_lock and copied out; signing reuses server->secmech's
 * transform but sets the key again for every message; verify
 * (smb2_verify_signature -> calc_signature(..., allocate_crypto = true))
 * allocates a new transform and descriptor for every message and frees
 * them afterwards. The signature field is zeroed in the message first.
 *
 * ksmbd (fs/smb/server/crypto_ctx.c, auth.c): a context is taken from a
 * pool shared by all connections (a spinlock, at most nr_cpus + 1 of
 * them, waiters sleep), its transform allocated on first use, the key set
 * for every message, the context returned. Verify zeroes the field, signs
 * and compares.
 */
#include <crypto/algapi.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/slab.h>

#include "bench.h"

/* cifs_alloc_hash(): a transform and a descriptor. */
static int bench_alloc_hash(const char *name, struct shash_desc **sdesc)
{
	struct crypto_shash *tfm = crypto_alloc_shash(name, 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	*sdesc = kmalloc(sizeof(**sdesc) + crypto_shash_descsize(tfm),
			 GFP_KERNEL);
	if (!*sdesc) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	(*sdesc)->tfm = tfm;
	return 0;
}

/* cifs_free_hash() */
static void bench_free_hash(struct shash_desc **sdesc)
{
	struct crypto_shash *tfm;

	if (!*sdesc)
		return;
	tfm = (*sdesc)->tfm;
	kfree_sensitive(*sdesc);
	*sdesc = NULL;
	crypto_free_shash(tfm);
}

/* setkey, init, update per kvec, final: the common core of both. */
static int bench_mac(struct shash_desc *desc, const u8 *key,
		     struct kvec *iov, unsigned int n, u8 *out)
{
	unsigned int i;
	int rc;

	rc = crypto_shash_setkey(desc->tfm, key, 16);
	if (!rc)
		rc = crypto_shash_init(desc);
	for (i = 0; !rc && i < n; i++)
		rc = crypto_shash_update(desc, iov[i].iov_base, iov[i].iov_len);
	if (!rc)
		rc = crypto_shash_final(desc, out);
	return rc;
}

static u8 *bench_sig(struct kvec *iov)
{
	return (u8 *)iov[0].iov_base + BENCH_SIG_OFF;
}

int bench_cifs_init(struct bench_cifs *c, const char *name, const u8 *key)
{
	c->name = name;
	spin_lock_init(&c->lock);
	memcpy(c->key, key, 16);
	return bench_alloc_hash(name, &c->desc);
}

void bench_cifs_free(struct bench_cifs *c)
{
	bench_free_hash(&c->desc);
}

static void bench_cifs_key(struct bench_cifs *c, u8 *key)
{
	spin_lock(&c->lock);
	memcpy(key, c->key, 16);
	spin_unlock(&c->lock);
}

/* smb2_sign_rqst() -> smb{2,3}_calc_signature(..., false) */
int bench_cifs_sign(struct bench_cifs *c, struct kvec *iov, unsigned int n)
{
	u8 key[16], sig[32];
	int rc;

	bench_cifs_key(c, key);
	memset(bench_sig(iov), 0, BENCH_SIG);
	rc = bench_mac(c->desc, key, iov, n, sig);
	if (!rc)
		memcpy(bench_sig(iov), sig, BENCH_SIG);
	return rc;
}

/* smb2_verify_signature() -> smb{2,3}_calc_signature(..., true) */
int bench_cifs_verify(struct bench_cifs *c, struct kvec *iov, unsigned int n)
{
	struct shash_desc *desc = NULL;
	u8 key[16], sig[32], got[BENCH_SIG];
	int rc;

	memcpy(got, bench_sig(iov), BENCH_SIG);
	memset(bench_sig(iov), 0, BENCH_SIG);
	bench_cifs_key(c, key);
	rc = bench_alloc_hash(c->name, &desc);
	if (!rc)
		rc = bench_mac(desc, key, iov, n, sig);
	bench_free_hash(&desc);
	if (!rc)
		memcpy(bench_sig(iov), sig, BENCH_SIG);
	if (!rc && crypto_memneq(got, sig, BENCH_SIG))
		rc = -EACCES;
	return rc;
}

struct bench_ksmbd_ctx {
	struct list_head list;
	struct shash_desc *desc;
};

void bench_ksmbd_init(struct bench_ksmbd *k, const char *name, const u8 *key)
{
	k->name = name;
	spin_lock_init(&k->lock);
	INIT_LIST_HEAD(&k->idle);
	k->avail = 0;
	init_waitqueue_head(&k->wait);
	memcpy(k->key, key, 16);
}

/* ksmbd_find_crypto_ctx() */
static struct bench_ksmbd_ctx *bench_ksmbd_get(struct bench_ksmbd *k)
{
	struct bench_ksmbd_ctx *ctx;

	for (;;) {
		spin_lock(&k->lock);
		if (!list_empty(&k->idle)) {
			ctx = list_first_entry(&k->idle, struct bench_ksmbd_ctx,
					       list);
			list_del(&ctx->list);
			spin_unlock(&k->lock);
			return ctx;
		}
		if (k->avail > num_online_cpus()) {
			spin_unlock(&k->lock);
			wait_event(k->wait, !list_empty(&k->idle));
			continue;
		}
		k->avail++;
		spin_unlock(&k->lock);
		ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
		if (ctx)
			return ctx;
		spin_lock(&k->lock);
		k->avail--;
		spin_unlock(&k->lock);
		return NULL;
	}
}

/* ksmbd_release_crypto_ctx() */
static void bench_ksmbd_put(struct bench_ksmbd *k, struct bench_ksmbd_ctx *ctx)
{
	spin_lock(&k->lock);
	list_add(&ctx->list, &k->idle);
	spin_unlock(&k->lock);
	wake_up(&k->wait);
}

void bench_ksmbd_free(struct bench_ksmbd *k)
{
	struct bench_ksmbd_ctx *ctx, *tmp;

	list_for_each_entry_safe(ctx, tmp, &k->idle, list) {
		list_del(&ctx->list);
		bench_free_hash(&ctx->desc);
		kfree(ctx);
	}
}

/* ksmbd_sign_smb{2,3}_pdu() into @out */
static int bench_ksmbd_mac(struct bench_ksmbd *k, struct kvec *iov,
			   unsigned int n, u8 *out)
{
	struct bench_ksmbd_ctx *ctx = bench_ksmbd_get(k);
	int rc = 0;

	if (!ctx)
		return -ENOMEM;
	if (!ctx->desc)
		rc = bench_alloc_hash(k->name, &ctx->desc);
	if (!rc)
		rc = bench_mac(ctx->desc, k->key, iov, n, out);
	bench_ksmbd_put(k, ctx);
	return rc;
}

/* smb3_set_sign_rsp(): the field is zero in a fresh response */
int bench_ksmbd_sign(struct bench_ksmbd *k, struct kvec *iov, unsigned int n)
{
	u8 sig[32];
	int rc;

	memset(bench_sig(iov), 0, BENCH_SIG);
	rc = bench_ksmbd_mac(k, iov, n, sig);
	if (!rc)
		memcpy(bench_sig(iov), sig, BENCH_SIG);
	return rc;
}

/* smb3_check_sign_req() */
int bench_ksmbd_verify(struct bench_ksmbd *k, struct kvec *iov,
		       unsigned int n)
{
	u8 req[BENCH_SIG], sig[32];
	int rc;

	memcpy(req, bench_sig(iov), BENCH_SIG);
	memset(bench_sig(iov), 0, BENCH_SIG);
	rc = bench_ksmbd_mac(k, iov, n, sig);
	/* the model puts the field back so the next round verifies again */
	memcpy(bench_sig(iov), req, BENCH_SIG);
	if (!rc && memcmp(req, sig, BENCH_SIG))
		rc = -EACCES;
	return rc;
}
