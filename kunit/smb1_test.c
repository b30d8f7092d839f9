// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB1 MD5 signing: refused until allow_smb1 is set, then a message
 * signed by an independent computation verifies, sequence numbers matter
 * and tampering fails.
 */
#include "util.h"
#include "vectors.h"

#define ST_SMB1_KEY "101112131415161718191A1B1C1D1E1F"

static void st_smb1_off(void *unused)
{
	st_param_write("allow_smb1", "N");
}

static int st_smb1_init(struct kunit *test)
{
	return kunit_add_action_or_reset(test, st_smb1_off, NULL);
}

static struct smbsign_key *st_smb1_key(struct kunit *test)
{
	struct smbsign_key *key;
	u8 *k = st_hex(test, ST_SMB1_KEY, NULL);

	KUNIT_ASSERT_EQ(test, st_param_write("allow_smb1", "Y"), 0);
	key = smbsign_smb1_key_alloc(k, 16, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	return key;
}

static void st_smb1_refused_by_default(struct kunit *test)
{
	u8 k[16] = {};
	char buf[8];

	KUNIT_ASSERT_EQ(test, st_param_read("allow_smb1", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "N\n");
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_smb1_key_alloc(k, 16, GFP_KERNEL)), -EPERM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_key_alloc(SMBSIGN_ALG_SMB1_MD5, k, 16,
							GFP_KERNEL)), -EPERM);
}

/* The message of vectors.c, signed by Python's hashlib with sequence 5. */
static void st_smb1_vector(struct kunit *test)
{
	struct smbsign_key *key = st_smb1_key(test);
	size_t len;
	u8 *msg = st_hexv(test, vec_smb1_seq5, &len);
	u8 *copy = kunit_kmalloc(test, len, GFP_KERNEL);
	struct kvec iov = { .iov_base = msg, .iov_len = len };

	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, &iov, 1, NULL, 5), 0);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, &iov, 1, NULL, 6), -EBADMSG);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, &iov, 1, NULL, 4), -EBADMSG);
	memcpy(copy, msg, len);
	memset(copy + SMB1_SIG_OFF, 0, SMBSIGN_SMB1_SIG_SIZE);
	put_unaligned_le16(0xc803, copy + SMB1_FLAGS2_OFF);	/* flag clear */
	iov.iov_base = copy;
	KUNIT_ASSERT_EQ(test, smbsign_smb1_sign(key, &iov, 1, NULL, 5), 0);
	KUNIT_EXPECT_MEMEQ(test, copy, msg, len);
	smbsign_key_put(key);
}

static void st_smb1_tamper_and_split(struct kunit *test)
{
	struct smbsign_key *key = st_smb1_key(test);
	size_t len, i;
	u8 *msg = st_hexv(test, vec_smb1_seq5, &len);
	static const size_t cuts[] = { 3, 15, 20 };
	unsigned int nvec;
	struct kvec *iov = st_split(test, msg, len, cuts, 3, &nvec);

	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, iov, nvec, NULL, 5), 0);
	for (i = 0; i < len; i++) {
		msg[i] ^= 0x21;
		KUNIT_EXPECT_NE_MSG(test, smbsign_smb1_verify(key, iov, nvec, NULL, 5),
				    0, "byte %zu", i);
		msg[i] ^= 0x21;
	}
	smbsign_key_put(key);
}

/* Turning allow_smb1 off stops existing keys too. */
static void st_smb1_switched_off(struct kunit *test)
{
	struct smbsign_key *key = st_smb1_key(test);
	size_t len;
	u8 *msg = st_hexv(test, vec_smb1_seq5, &len);
	struct kvec iov = { .iov_base = msg, .iov_len = len };

	KUNIT_ASSERT_EQ(test, st_param_write("allow_smb1", "N"), 0);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, &iov, 1, NULL, 5), -EPERM);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_sign(key, &iov, 1, NULL, 5), -EPERM);
	smbsign_key_put(key);
}

static void st_smb1_bad_input(struct kunit *test)
{
	struct smbsign_key *key = st_smb1_key(test);
	u8 k[65] = {};
	size_t len;
	u8 *msg = st_hexv(test, vec_smb1_seq5, &len);
	struct kvec iov = { .iov_base = msg, .iov_len = 31 };

	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_smb1_key_alloc(k, 15, GFP_KERNEL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_smb1_key_alloc(k, 65, GFP_KERNEL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_sign(key, &iov, 1, NULL, 1), -EINVAL);
	iov.iov_len = len;
	msg[0] = 0xfe;
	KUNIT_EXPECT_EQ(test, smbsign_smb1_sign(key, &iov, 1, NULL, 1), -EINVAL);
	/* an SMB1 key does not sign SMB2 */
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, NULL), -EINVAL);
	smbsign_key_put(key);
}

static struct kunit_case st_smb1_cases[] = {
	KUNIT_CASE(st_smb1_refused_by_default),
	KUNIT_CASE(st_smb1_vector),
	KUNIT_CASE(st_smb1_tamper_and_split),
	KUNIT_CASE(st_smb1_switched_off),
	KUNIT_CASE(st_smb1_bad_input),
	{}
};

static struct kunit_suite st_smb1_suite = {
	.name = "smbsign_smb1",
	.init = st_smb1_init,
	.test_cases = st_smb1_cases,
};

kunit_test_suite(st_smb1_suite);
