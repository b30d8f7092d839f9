// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault injection (kernels with CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC,
 * the debug test kernel): every allocation on the key-allocation path made
 * to fail in turn, each failure a clean errno with nothing leaked and the
 * module usable afterwards; and sign/verify succeeding while every
 * allocation of the calling task fails, the proof that they allocate
 * nothing. The guest sets failslab/fail_page_alloc to probability 100,
 * task filter on, before the suites run (tools/guest/check-debug.sh).
 */
#include <linux/fault-inject.h>
#include <linux/sched.h>

#include "util.h"

#define ST_KEY "000102030405060708090A0B0C0D0E0F"

KUNIT_ARRAY_PARAM(st_fi_alg, st_smb2_algs, st_alg_desc);

/* Sign and verify a fresh message: the module still works. */
static void st_fi_usable(struct kunit *test, enum smbsign_alg alg)
{
	struct smbsign_key *key = st_key(test, alg, ST_KEY);
	u8 *msg = st_message(test, 300, 5, 90);
	struct kvec iov = { .iov_base = msg, .iov_len = 300 };

	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
}

/*
 * The n-th fault-injection point of this task fails (current->fail_nth,
 * as /proc/self/fail-nth sets it), for n = 1, 2, ... until allocation
 * succeeds with fault points to spare: every allocation smbsign_key_alloc
 * makes, its own and the crypto API's, fails once.
 */
static void st_fi_key_alloc_nth(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	u8 *k = st_hex(test, ST_KEY, NULL);
	int live = smbsign_live_keys();
	unsigned int n, failures = 0;

	for (n = 1; n < 1000; n++) {
		struct smbsign_key *key;
		unsigned int left;

		WRITE_ONCE(current->fail_nth, n);
		key = smbsign_key_alloc(alg, k, 16, GFP_KERNEL);
		left = READ_ONCE(current->fail_nth);
		WRITE_ONCE(current->fail_nth, 0);
		if (!IS_ERR(key)) {
			smbsign_key_put(key);
			if (left)	/* fewer than n fault points: all covered */
				break;
			/* a failure smbsign absorbed: debugfs, driver name */
			continue;
		}
		failures++;
		KUNIT_EXPECT_LT_MSG(test, PTR_ERR(key), 0L, "allocation %u", n);
		KUNIT_EXPECT_EQ_MSG(test, smbsign_live_keys(), live,
				    "allocation %u leaked a key", n);
	}
	KUNIT_EXPECT_LT(test, n, 1000u);
	KUNIT_EXPECT_GT(test, failures, 0u);
	kunit_info(test, "%u allocations on the path, each failed once", n - 1);
	st_fi_usable(test, alg);
}

/* The n-th allocation of the load-time self-tests fails: clean error. */
static void st_fi_selftest_nth(struct kunit *test)
{
	static const struct smbsign_backend *const be[] = {
		&smbsign_hmac_backend, &smbsign_cmac_backend,
		&smbsign_gmac_backend, &smbsign_md5_backend,
	};
	int live = smbsign_live_keys();
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(be); i++) {
		for (n = 1; n < 2000; n++) {
			unsigned int left;
			int ret;

			WRITE_ONCE(current->fail_nth, n);
			ret = smbsign_selftest(be[i]);
			left = READ_ONCE(current->fail_nth);
			WRITE_ONCE(current->fail_nth, 0);
			KUNIT_EXPECT_NE_MSG(test, ret, -EBADMSG,
					    "%s: allocation %u gave a wrong answer",
					    be[i]->name, n);
			KUNIT_EXPECT_EQ(test, smbsign_live_keys(), live);
			if (!ret && left)
				break;
		}
		KUNIT_EXPECT_LT(test, n, 2000u);
		KUNIT_EXPECT_EQ(test, smbsign_selftest(be[i]), 0);
	}
}

/*
 * Every allocation of this task fails (make_it_fail with the task filter)
 * while the warmed-up key signs and verifies across every layout: none of
 * them may need memory.
 */
static void st_fi_sign_verify_allocate_nothing(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_key *key = st_key(test, alg, ST_KEY);
	const size_t len = 112 + 70000;
	u8 *msg = st_message(test, len, 77, 91);
	struct kvec iov[2] = {
		{ .iov_base = msg, .iov_len = 40 },
		{ .iov_base = msg + 40, .iov_len = 72 },
	};
	struct st_pages *p = st_to_pages(test, msg + 112, len - 112, 100, 3000);
	int sign = 0, verify = 0, bad = 0, round;

	/* warm up: first use may set up per-CPU crypto state */
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, iov, 2, &p->iter), 0);

	current->make_it_fail = 1;
	for (round = 0; round < 50; round++) {
		/* a new MessageId per message, as AES-GMAC requires */
		put_unaligned_le64(78 + round, msg + SMB2_MID_OFF);
		sign |= smbsign_sign(key, iov, 2, &p->iter);
		verify |= smbsign_verify(key, iov, 2, &p->iter);
		msg[50] ^= 1;
		bad |= smbsign_verify(key, iov, 2, &p->iter) != -EBADMSG;
		msg[50] ^= 1;
	}
	current->make_it_fail = 0;

	KUNIT_EXPECT_EQ(test, sign, 0);
	KUNIT_EXPECT_EQ(test, verify, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* The test is worthless unless allocations really fail in this task. */
static void st_fi_injection_is_armed(struct kunit *test)
{
	void *p;

	current->make_it_fail = 1;
	p = kmalloc(64, GFP_KERNEL);
	current->make_it_fail = 0;
	KUNIT_EXPECT_NULL_MSG(test, p, "failslab is not armed (see check-debug.sh)");
	kfree(p);
}

static struct kunit_case st_faultinject_cases[] = {
	KUNIT_CASE(st_fi_injection_is_armed),
	KUNIT_CASE_PARAM(st_fi_key_alloc_nth, st_fi_alg_gen_params),
	KUNIT_CASE(st_fi_selftest_nth),
	KUNIT_CASE_PARAM(st_fi_sign_verify_allocate_nothing, st_fi_alg_gen_params),
	{}
};

static struct kunit_suite st_faultinject_suite = {
	.name = "smbsign_fault_injection",
	.test_cases = st_faultinject_cases,
};

kunit_test_suite(st_faultinject_suite);
