// SPDX-License-Identifier: GPL-2.0-only
/*
 * Key material never leaves a key context: the statistics show no key
 * bytes (raw or hex) while keys are alive, and the last put wipes the
 * context. (The guest also greps the real debugfs file; the 6.12 debugfs
 * proxy has no read_iter, so kernel_read() cannot.)
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include "util.h"

static const u8 st_secret[16] = {
	0x5e, 0xc4, 0xe7, 0x42, 0x99, 0x17, 0xa3, 0x61,
	0x0b, 0xd8, 0x2f, 0x7c, 0x35, 0xe9, 0x4a, 0x86,
};

/* What the debugfs file shows, rendered by its own show function. */
static int st_read_stats(char *buf, size_t len)
{
	struct seq_file m = { .buf = buf, .size = len - 1 };

	smbsign_stats_show(&m, NULL);
	if (seq_has_overflowed(&m))
		return -EOVERFLOW;
	buf[m.count] = 0;
	return m.count;
}

/* The raw key anywhere in a buffer. */
static bool st_has_raw(const char *buf, int n)
{
	int i;

	for (i = 0; i + (int)sizeof(st_secret) <= n; i++)
		if (!memcmp(buf + i, st_secret, sizeof(st_secret)))
			return true;
	return false;
}

static void st_stats_show_no_key(struct kunit *test)
{
	static const enum smbsign_alg algs[] = {
		SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC,
	};
	char *buf = kunit_kzalloc(test, 8192, GFP_KERNEL);
	char hex[33];
	unsigned int i;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	snprintf(hex, sizeof(hex), "%16phN", st_secret);
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		struct smbsign_key *key = smbsign_key_alloc(algs[i], st_secret, 16,
							    GFP_KERNEL);

		KUNIT_ASSERT_FALSE(test, IS_ERR(key));
		n = st_read_stats(buf, 8192);
		smbsign_key_put(key);
		KUNIT_ASSERT_GT(test, n, 0);
		KUNIT_EXPECT_NOT_NULL(test, strnstr(buf, "live keys:", n));
		KUNIT_EXPECT_FALSE(test, st_has_raw(buf, n));
		KUNIT_EXPECT_NULL(test, strnstr(buf, hex, n));
		string_upper(buf, buf);
		string_upper(hex, hex);
		KUNIT_EXPECT_NULL(test, strnstr(buf, hex, n));
		string_lower(hex, hex);
	}
}

/* What the last put does, in two halves: after the wipe, all zero. */
static void st_last_put_wipes(struct kunit *test)
{
	static const struct smbsign_backend *const be[] = {
		&smbsign_hmac_backend, &smbsign_cmac_backend,
		&smbsign_gmac_backend, &smbsign_md5_backend,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(be); i++) {
		struct smbsign_key *key = smbsign_key_new(be[i], st_secret, 16,
							  GFP_KERNEL);

		KUNIT_ASSERT_FALSE(test, IS_ERR(key));
		/* the context held secrets: GMAC's keys, the MACKey, library keys */
		if (be[i] == &smbsign_gmac_backend)
			KUNIT_EXPECT_NOT_NULL(test, memchr_inv(&key->gmac, 0,
							       sizeof(key->gmac)));
#ifdef SMBSIGN_LIB_HMAC
		if (be[i] == &smbsign_hmac_backend)
			KUNIT_EXPECT_NOT_NULL(test, memchr_inv(&key->hmac, 0,
							       sizeof(key->hmac)));
#endif
#ifdef SMBSIGN_LIB_CMAC
		if (be[i] == &smbsign_cmac_backend)
			KUNIT_EXPECT_NOT_NULL(test, memchr_inv(&key->cmac, 0,
							       sizeof(key->cmac)));
#endif
		if (be[i] == &smbsign_md5_backend)
			KUNIT_EXPECT_MEMEQ(test, key->smb1.key, st_secret, 16);
		smbsign_key_wipe(key);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(key, 0, sizeof(*key)),
				      "%s context not wiped", be[i]->name);
		smbsign_key_release(key);
	}
}

static struct kunit_case st_secrets_cases[] = {
	KUNIT_CASE(st_stats_show_no_key),
	KUNIT_CASE(st_last_put_wipes),
	{}
};

static struct kunit_suite st_secrets_suite = {
	.name = "smbsign_secrets",
	.test_cases = st_secrets_cases,
};

kunit_test_suite(st_secrets_suite);
