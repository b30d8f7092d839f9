// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bad input gets a clear errno, no crash and no write: NULL or short
 * headers, no kvecs, kvecs shorter than the header, foreign protocol ids,
 * wrong key lengths, unknown algorithms, iterators over user memory.
 */
#include "util.h"

#define ST_KEY "00112233445566778899AABBCCDDEEFF"

static void st_key_alloc_rejects(struct kunit *test)
{
	static const unsigned int bad_lens[] = { 0, 1, 15, 17, 24, 32 };
	u8 k[32] = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_lens); i++) {
		KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_key_alloc(SMBSIGN_ALG_AES_CMAC, k,
								bad_lens[i], GFP_KERNEL)), -EINVAL);
		KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_key_alloc(SMBSIGN_ALG_AES_GMAC, k,
								bad_lens[i], GFP_KERNEL)), -EINVAL);
		KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_key_alloc(SMBSIGN_ALG_HMAC_SHA256, k,
								bad_lens[i], GFP_KERNEL)), -EINVAL);
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_key_alloc(SMBSIGN_ALG_AES_CMAC, NULL, 16,
							GFP_KERNEL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_key_alloc(3, k, 16, GFP_KERNEL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_key_alloc(0x7fff, k, 16, GFP_KERNEL)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, smbsign_alg_name(3), "unknown");
	KUNIT_EXPECT_EQ(test, smbsign_get_stats(3, NULL), -EINVAL);
}

struct st_bad {
	const char *name;
	int want;
	void (*make)(u8 *msg, struct kvec *iov, unsigned int *nvec);
};

static void st_null_iov(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	iov[0].iov_base = NULL;
	iov[0].iov_len = 0;
	*nvec = 1;
}

static void st_null_base(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	iov[1].iov_base = NULL;
	iov[1].iov_len = 10;
	*nvec = 2;
}

static void st_zero_nvec(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	*nvec = 0;
}

static void st_short_header(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	iov[0].iov_len = 63;
	*nvec = 1;
}

/* 40 + 23 bytes of kvecs: the header continues only in the data. */
static void st_header_into_data(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	iov[0].iov_len = 40;
	iov[1].iov_base = msg + 40;
	iov[1].iov_len = 23;
	*nvec = 2;
}

static void st_smb1_proto(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	msg[0] = 0xff;
}

static void st_transform_proto(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	msg[0] = 0xfd;	/* encrypted: the transform header carries integrity */
}

static void st_gmac_mid0(u8 *msg, struct kvec *iov, unsigned int *nvec)
{
	put_unaligned_le64(0, msg + SMB2_MID_OFF);
}

static const struct st_bad st_bads[] = {
	{ "null_base_empty_header", -EINVAL, st_null_iov },
	{ "null_base_with_length", -EINVAL, st_null_base },
	{ "no_kvecs", -EINVAL, st_zero_nvec },
	{ "header_63_bytes", -EINVAL, st_short_header },
	{ "header_ends_in_data", -EINVAL, st_header_into_data },
	{ "smb1_protocol_id", -EINVAL, st_smb1_proto },
	{ "transform_protocol_id", -EINVAL, st_transform_proto },
	{ "gmac_message_id_0", -EINVAL, st_gmac_mid0 },
};

static void st_bad_desc(const struct st_bad *b, char *desc)
{
	strscpy(desc, b->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(st_bad, st_bads, st_bad_desc);

/* Each bad layout, for sign and verify; the buffer stays untouched. */
static void st_bad_message(struct kunit *test)
{
	const struct st_bad *b = test->param_value;
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u8 *msg = st_message(test, 200, 5, 60);
	u8 *before = kunit_kmalloc(test, 200, GFP_KERNEL);
	struct kvec iov[2] = { { .iov_base = msg, .iov_len = 200 } };
	unsigned int nvec = 1;
	struct st_pages *p;

	KUNIT_ASSERT_NOT_NULL(test, before);
	b->make(msg, iov, &nvec);
	memcpy(before, msg, 200);
	p = st_to_pages(test, msg + 63, 137, 0, 64);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, iov, nvec, &p->iter), b->want);
	KUNIT_EXPECT_MEMEQ(test, msg, before, 200);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, iov, nvec, &p->iter), b->want);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(key, iov, nvec, &p->iter), b->want);
	KUNIT_EXPECT_MEMEQ(test, msg, before, 200);
}

static void st_null_key(struct kunit *test)
{
	u8 *msg = st_message(test, 100, 5, 61);
	struct kvec iov = { .iov_base = msg, .iov_len = 100 };

	KUNIT_EXPECT_EQ(test, smbsign_sign(NULL, &iov, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_verify(NULL, &iov, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(NULL, &iov, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_verify_compound(NULL, &iov, 1, NULL), -EINVAL);
	smbsign_key_put(NULL);
	smbsign_key_put(ERR_PTR(-ENOMEM));
}

/* Data in user memory cannot be walked without copying: refused. */
static void st_user_iterator(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_CMAC, ST_KEY);
	u8 *msg = st_message(test, 100, 5, 62);
	u8 *before = kunit_kmalloc(test, 100, GFP_KERNEL);
	struct kvec iov = { .iov_base = msg, .iov_len = 100 };
	struct iov_iter it;

	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, msg, 100);
	iov_iter_ubuf(&it, ITER_SOURCE, (void __user *)0x10000, 50);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, &it), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, &it), -EOPNOTSUPP);
	KUNIT_EXPECT_MEMEQ(test, msg, before, 100);
	/* an empty iterator of any kind is just "no data" */
	iov_iter_ubuf(&it, ITER_SOURCE, (void __user *)0x10000, 0);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, &it), 0);
}

/* A kvec iterator segment without a base is refused like such a kvec. */
static void st_null_base_kvec_iter(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u8 *msg = st_message(test, 100, 5, 64);
	u8 *before = kunit_kmalloc(test, 100, GFP_KERNEL);
	struct kvec iov = { .iov_base = msg, .iov_len = 64 };
	struct kvec data[3] = {
		{ .iov_base = msg + 64, .iov_len = 20 },
		{ .iov_base = NULL, .iov_len = 8 },
		{ .iov_base = msg + 84, .iov_len = 16 },
	};
	struct iov_iter it;

	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, msg, 100);
	iov_iter_kvec(&it, ITER_SOURCE, data, 3, 44);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, &it), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, &it), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(key, &iov, 1, &it), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, msg, before, 100);
	/* a NULL segment of length 0 is nothing, and one already consumed too */
	data[1].iov_len = 0;
	iov_iter_kvec(&it, ITER_SOURCE, data, 3, 36);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, &it), 0);
	data[0].iov_base = NULL;
	iov_iter_kvec(&it, ITER_SOURCE, data, 3, 36);
	iov_iter_advance(&it, 20);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, &it), -EBADMSG);
}

/* An SMB2 key does not sign SMB1, nor an SMB1 call take an SMB2 key. */
static void st_key_kind_mismatch(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_HMAC_SHA256, ST_KEY);
	u8 *msg = st_message(test, 100, 5, 63);
	struct kvec iov = { .iov_base = msg, .iov_len = 100 };

	msg[0] = 0xff;
	KUNIT_EXPECT_EQ(test, smbsign_smb1_sign(key, &iov, 1, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, &iov, 1, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_sign(NULL, &iov, 1, NULL, 0), -EINVAL);
}

static struct kunit_case st_badinput_cases[] = {
	KUNIT_CASE(st_key_alloc_rejects),
	KUNIT_CASE_PARAM(st_bad_message, st_bad_gen_params),
	KUNIT_CASE(st_null_key),
	KUNIT_CASE(st_user_iterator),
	KUNIT_CASE(st_null_base_kvec_iter),
	KUNIT_CASE(st_key_kind_mismatch),
	{}
};

static struct kunit_suite st_badinput_suite = {
	.name = "smbsign_bad_input",
	.test_cases = st_badinput_cases,
};

kunit_test_suite(st_badinput_suite);
