// SPDX-License-Identifier: GPL-2.0-only
/*
 * One key, many CPUs: kthreads sign and verify their own messages with a
 * shared key while others take and drop references; every signature must
 * equal the one a private key of the same bytes gives, and every verify
 * succeed. Each thread signs its own MessageIds, interleaved with the
 * others' (thread i of n: i + 1, i + 1 + n, ...), as requests of one
 * connection are: with AES-GMAC no signature may be refused.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>

#include "util.h"

#define ST_THREADS	4
#define ST_ROUNDS	300

struct st_worker {
	struct smbsign_key *key;
	struct smbsign_key *own;
	u8 *msg;
	u8 *copy;
	size_t len;
	unsigned int index;
	int errors;
	struct completion done;
	bool refs_only;
};

static int st_worker_fn(void *arg)
{
	struct st_worker *w = arg;
	struct kvec iov = { .iov_base = w->msg, .iov_len = w->len };
	struct kvec own = { .iov_base = w->copy, .iov_len = w->len };
	unsigned int i;

	for (i = 0; i < ST_ROUNDS; i++) {
		if (w->refs_only) {
			smbsign_key_put(smbsign_key_get(w->key));
			continue;
		}
		put_unaligned_le64(1 + w->index + (u64)i * ST_THREADS,
				   w->msg + SMB2_MID_OFF);
		memset(w->msg + SMB2_SIG_OFF, 0, SMBSIGN_SIG_SIZE);
		memcpy(w->copy, w->msg, w->len);
		if (smbsign_sign(w->key, &iov, 1, NULL) ||
		    smbsign_sign(w->own, &own, 1, NULL) ||
		    memcmp(w->msg + SMB2_SIG_OFF, w->copy + SMB2_SIG_OFF,
			   SMBSIGN_SIG_SIZE) ||
		    smbsign_verify(w->key, &iov, 1, NULL))
			w->errors++;
		if (!(i % 32))
			cond_resched();
	}
	complete(&w->done);
	return 0;
}

#define ST_SHARED_KEY	"0F0E0D0C0B0A09080706050403020100"

static void st_shared_key(struct kunit *test, enum smbsign_alg alg)
{
	struct smbsign_key *key = st_key(test, alg, ST_SHARED_KEY);
	struct smbsign_stats before, after;
	struct st_worker *w = kunit_kcalloc(test, ST_THREADS + 1, sizeof(*w),
					    GFP_KERNEL);
	unsigned int i, started = 0;
	int setup = 0;

	KUNIT_ASSERT_NOT_NULL(test, w);
	/* messages and private keys first: no thread runs yet */
	for (i = 0; i <= ST_THREADS; i++) {
		w[i].key = key;
		w[i].own = st_key(test, alg, ST_SHARED_KEY);
		w[i].index = i;
		w[i].len = 200 + 333 * i;
		w[i].msg = st_message(test, w[i].len, 1, 70 + i);
		w[i].copy = kunit_kmalloc(test, w[i].len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w[i].copy);
		w[i].refs_only = i == ST_THREADS;
		init_completion(&w[i].done);
	}
	KUNIT_ASSERT_EQ(test, smbsign_get_stats(alg, &before), 0);
	for (i = 0; i <= ST_THREADS; i++) {
		struct task_struct *t = kthread_run(st_worker_fn, &w[i],
						    "smbsign-kunit/%u", i);

		if (IS_ERR(t)) {
			setup = PTR_ERR(t);
			break;
		}
		started++;
	}
	/* every started thread is waited for before anything can fail */
	for (i = 0; i < started; i++) {
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ_MSG(test, w[i].errors, 0, "thread %u", i);
	}
	KUNIT_EXPECT_EQ(test, setup, 0);
	KUNIT_ASSERT_EQ(test, smbsign_get_stats(alg, &after), 0);
	KUNIT_EXPECT_EQ(test, after.nonce_refused, before.nonce_refused);
}

static void st_shared_hmac(struct kunit *test)
{
	st_shared_key(test, SMBSIGN_ALG_HMAC_SHA256);
}

static void st_shared_cmac(struct kunit *test)
{
	st_shared_key(test, SMBSIGN_ALG_AES_CMAC);
}

static void st_shared_gmac(struct kunit *test)
{
	st_shared_key(test, SMBSIGN_ALG_AES_GMAC);
}

/* References: the key lives until the last put, from whichever thread. */
static void st_refcount_outlives_creator(struct kunit *test)
{
	u8 k[16] = { 9 };
	struct smbsign_key *key = smbsign_key_alloc(SMBSIGN_ALG_AES_CMAC, k, 16,
						    GFP_KERNEL);
	struct smbsign_key *extra;
	u8 *msg = st_message(test, 100, 1, 80);
	struct kvec iov = { .iov_base = msg, .iov_len = 100 };

	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	extra = smbsign_key_get(key);
	KUNIT_EXPECT_PTR_EQ(test, extra, key);
	smbsign_key_put(key);
	KUNIT_EXPECT_EQ(test, smbsign_sign(extra, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(extra, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_key_alg(extra), SMBSIGN_ALG_AES_CMAC);
	smbsign_key_put(extra);
}

static struct kunit_case st_concurrency_cases[] = {
	KUNIT_CASE_SLOW(st_shared_hmac),
	KUNIT_CASE_SLOW(st_shared_cmac),
	KUNIT_CASE_SLOW(st_shared_gmac),
	KUNIT_CASE(st_refcount_outlives_creator),
	{}
};

static struct kunit_suite st_concurrency_suite = {
	.name = "smbsign_concurrency",
	.test_cases = st_concurrency_cases,
};

kunit_test_suite(st_concurrency_suite);
