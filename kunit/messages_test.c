// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whole signed SMB2 messages from VECTORS.txt through smbsign_verify() and
 * smbsign_sign(): each must verify as published, and signing the message
 * with its Signature cleared must reproduce it byte for byte.
 */
#include "util.h"
#include "vectors.h"

static void st_check_message(struct kunit *test, enum smbsign_alg alg,
			     const char *key_hex, const char *const *vec)
{
	struct smbsign_key *key = st_key(test, alg, key_hex);
	size_t len;
	u8 *msg = st_hexv(test, vec, &len);
	u8 *copy = kunit_kmalloc(test, len, GFP_KERNEL);
	struct kvec iov = { .iov_base = msg, .iov_len = len };

	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);

	memcpy(copy, msg, len);
	memset(copy + SMB2_SIG_OFF, 0, SMBSIGN_SIG_SIZE);
	iov.iov_base = copy;
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, copy, msg, len);
}

static void st_expect_rejected(struct kunit *test, enum smbsign_alg alg,
			       const char *key_hex, const char *const *vec)
{
	struct smbsign_key *key = st_key(test, alg, key_hex);
	size_t len;
	u8 *msg = st_hexv(test, vec, &len);
	struct kvec iov = { .iov_base = msg, .iov_len = len };

	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
}

#define A13_SIGNING "73FE7A9A77BEF0BDE49C650D8CCB5F76"
#define A14_CHANNEL "C962BCA1A9DD1697B030644199705431"

/* A1.3: the final SESSION_SETUP response of Microsoft's 3.1.1 session. */
static void st_cmac_a13_session_setup(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_CMAC, A13_SIGNING, vec_a13_final);
}

/*
 * A1.4: session binding. The binding requests and the interim response
 * are signed with the master session's key; the final response with the
 * new channel's key, and only with it.
 */
static void st_cmac_a14_binding_master_key(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_CMAC, A13_SIGNING, vec_a14_ss_req1);
	st_check_message(test, SMBSIGN_ALG_AES_CMAC, A13_SIGNING, vec_a14_ss_resp1);
	st_check_message(test, SMBSIGN_ALG_AES_CMAC, A13_SIGNING, vec_a14_ss_req2);
}

static void st_cmac_a14_binding_channel_key(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_CMAC, A14_CHANNEL, vec_a14_final);
	st_expect_rejected(test, SMBSIGN_ALG_AES_CMAC, A13_SIGNING, vec_a14_final);
	st_expect_rejected(test, SMBSIGN_ALG_AES_CMAC, A14_CHANNEL, vec_a14_ss_req1);
}

/* A3.1, A3.2: the encryption posts' sessions, signed SESSION_SETUP. */
static void st_cmac_a3_sessions(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_CMAC,
			 "8765949DFEAEE105CE9118B45BE988F0", vec_a31_final);
	st_check_message(test, SMBSIGN_ALG_AES_CMAC,
			 "3DCC82C5795AE27F383242761078C59B", vec_a32_final);
}

/* A5.1: smbj; msg2's signature covers its 7 bytes of trailing padding. */
static void st_hmac_smbj(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_HMAC_SHA256,
			 "75C5CB91419E3A45CE9EF869DFD3E2A8", vec_smbj_msg1);
	st_check_message(test, SMBSIGN_ALG_HMAC_SHA256,
			 "75C5CB91419E3A45CE9EF869DFD3E2A8", vec_smbj_msg2);
}

/* The padding is part of the MAC: dropping it must fail. */
static void st_hmac_padding_counts(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_HMAC_SHA256,
					 "75C5CB91419E3A45CE9EF869DFD3E2A8");
	size_t len;
	u8 *msg = st_hexv(test, vec_smbj_msg2, &len);
	struct kvec iov = { .iov_base = msg, .iov_len = len - 7 };

	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
}

/* A5.2: SMBLibrary. */
static void st_hmac_smblibrary(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_HMAC_SHA256,
			 "D38354CC374339F0524F789146789921", vec_smblib_t1);
	st_check_message(test, SMBSIGN_ALG_HMAC_SHA256,
			 "04E707571F8E0353B77A94C3653B87B5", vec_smblib_t2);
}

#define A6_KEY "AC36E9543CD888F0A84123E46BB2A0D7"

/* A6: smb-rs, a client request (both nonce flag bits clear). */
static void st_gmac_smbrs_logoff(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_GMAC, A6_KEY, vec_a6_logoff);
}

/*
 * The server bit, the CANCEL bit, both, and a high MessageId, checked
 * against values from Python's cryptography (OpenSSL) AESGCM; see the
 * comment in vectors.c for exactly how they were produced.
 */
static void st_gmac_server_bit(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_GMAC, A6_KEY, vec_gmac_server);
}

static void st_gmac_cancel_bit(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_GMAC, A6_KEY, vec_gmac_cancel);
	st_check_message(test, SMBSIGN_ALG_AES_GMAC, A6_KEY, vec_gmac_server_cancel);
}

static void st_gmac_high_message_id(struct kunit *test)
{
	st_check_message(test, SMBSIGN_ALG_AES_GMAC, A6_KEY, vec_gmac_mid_high);
}

/* The nonce binds the direction: a response signature is not a request's. */
static void st_gmac_nonce_binds_direction(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, A6_KEY);
	size_t len;
	u8 *msg = st_hexv(test, vec_gmac_server, &len);
	struct kvec iov = { .iov_base = msg, .iov_len = len };

	msg[SMB2_FLAGS_OFF] &= ~SMB2_FLAG_SERVER_TO_REDIR;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
}

/* MessageId 0 and all-ones are never GMAC-signed; nothing is written. */
static void st_gmac_refuses_reserved_ids(struct kunit *test)
{
	static const u64 bad[] = { 0, U64_MAX };
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, A6_KEY);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u8 *msg = st_message(test, 100, bad[i], i);
		u8 *before = kunit_kmalloc(test, 100, GFP_KERNEL);
		struct kvec iov = { .iov_base = msg, .iov_len = 100 };

		KUNIT_ASSERT_NOT_NULL(test, before);
		memcpy(before, msg, 100);
		KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, NULL), -EINVAL);
		KUNIT_EXPECT_MEMEQ(test, msg, before, 100);
		KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EINVAL);
	}
}

/* The same message under HMAC, CMAC and GMAC: three different MACs. */
static void st_algorithms_differ(struct kunit *test)
{
	static const enum smbsign_alg algs[] = {
		SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC,
	};
	u8 sig[3][SMBSIGN_SIG_SIZE];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct smbsign_key *key = st_key(test, algs[i], A6_KEY);
		u8 *msg = st_message(test, 200, 7, 1);
		struct kvec iov = { .iov_base = msg, .iov_len = 200 };

		KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
		KUNIT_EXPECT_TRUE(test, get_unaligned_le32(msg + SMB2_FLAGS_OFF) &
				  SMB2_FLAG_SIGNED);
		memcpy(sig[i], msg + SMB2_SIG_OFF, SMBSIGN_SIG_SIZE);
	}
	KUNIT_EXPECT_NE(test, memcmp(sig[0], sig[1], 16), 0);
	KUNIT_EXPECT_NE(test, memcmp(sig[1], sig[2], 16), 0);
	KUNIT_EXPECT_NE(test, memcmp(sig[0], sig[2], 16), 0);
}

static struct kunit_case st_message_cases[] = {
	KUNIT_CASE(st_cmac_a13_session_setup),
	KUNIT_CASE(st_cmac_a14_binding_master_key),
	KUNIT_CASE(st_cmac_a14_binding_channel_key),
	KUNIT_CASE(st_cmac_a3_sessions),
	KUNIT_CASE(st_hmac_smbj),
	KUNIT_CASE(st_hmac_padding_counts),
	KUNIT_CASE(st_hmac_smblibrary),
	KUNIT_CASE(st_gmac_smbrs_logoff),
	KUNIT_CASE(st_gmac_server_bit),
	KUNIT_CASE(st_gmac_cancel_bit),
	KUNIT_CASE(st_gmac_high_message_id),
	KUNIT_CASE(st_gmac_nonce_binds_direction),
	KUNIT_CASE(st_gmac_refuses_reserved_ids),
	KUNIT_CASE(st_algorithms_differ),
	{}
};

static struct kunit_suite st_message_suite = {
	.name = "smbsign_messages",
	.test_cases = st_message_cases,
};

kunit_test_suite(st_message_suite);
