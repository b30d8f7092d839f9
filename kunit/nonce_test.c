// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AES-GMAC nonce rule: a key never signs two messages under one nonce
 * (MessageId, server bit, CANCEL bit). A second signature under a used
 * nonce is refused with nothing written, whatever the message; the other
 * classes of the same MessageId, and HMAC/CMAC keys, are unaffected; the
 * window's edges, its holes and CreditCharge ranges behave as documented;
 * interim responses are never GMAC-signed; verify keeps no state.
 */
#include "util.h"

#define ST_KEY		"A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"
#define ST_W		SMBSIGN_NONCE_WINDOW

/* A message with the header fields the nonce rule reads. */
static u8 *st_msg(struct kunit *test, u64 mid, u32 flags, u16 cmd, u16 charge,
		  u32 seed)
{
	u8 *m = st_message(test, 128, mid, seed);

	put_unaligned_le32(flags, m + SMB2_FLAGS_OFF);
	put_unaligned_le16(cmd, m + SMB2_COMMAND_OFF);
	put_unaligned_le16(charge, m + SMB2_CREDIT_CHARGE_OFF);
	put_unaligned_le32(0, m + SMB2_STATUS_OFF);
	return m;
}

/* Sign a request-like message with MessageId @mid; the errno. */
static int st_sign_mid(struct kunit *test, struct smbsign_key *key, u64 mid)
{
	u8 *m = st_msg(test, mid, 0, 0x0008, 1, (u32)mid);
	struct kvec iov = { .iov_base = m, .iov_len = 128 };
	int ret = smbsign_sign(key, &iov, 1, NULL);

	kunit_kfree(test, m);
	return ret;
}

/* A second, different message under a used nonce: refused, untouched. */
static void st_nonce_reuse_refused(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u8 *a = st_msg(test, 7, 0, 0x0009, 1, 1);
	u8 *b = st_msg(test, 7, 0, 0x0008, 1, 2);
	u8 *before = kunit_kmalloc(test, 128, GFP_KERNEL);
	struct kvec ia = { .iov_base = a, .iov_len = 128 };
	struct kvec ib = { .iov_base = b, .iov_len = 128 };
	struct smbsign_stats s0, s1;

	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_EQ(test, smbsign_get_stats(SMBSIGN_ALG_AES_GMAC, &s0), 0);
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &ia, 1, NULL), 0);
	memcpy(before, b, 128);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &ib, 1, NULL), -EALREADY);
	KUNIT_EXPECT_MEMEQ(test, b, before, 128);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(key, &ib, 1, NULL), -EALREADY);
	KUNIT_EXPECT_MEMEQ(test, b, before, 128);
	/* the same message again is refused too: the rule is per nonce */
	memcpy(before, a, 128);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &ia, 1, NULL), -EALREADY);
	KUNIT_EXPECT_MEMEQ(test, a, before, 128);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &ia, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, smbsign_get_stats(SMBSIGN_ALG_AES_GMAC, &s1), 0);
	KUNIT_EXPECT_EQ(test, s1.nonce_refused - s0.nonce_refused, 3);
	KUNIT_EXPECT_EQ(test, s1.signed_msgs - s0.signed_msgs, 1);
	KUNIT_EXPECT_EQ(test, s1.errors - s0.errors, 0);
}

/* One MessageId, four nonces: request, response, CANCEL, both bits. */
static void st_nonce_classes_apart(struct kunit *test)
{
	static const struct { u32 flags; u16 cmd; } cls[] = {
		{ 0, 0x0008 },
		{ SMB2_FLAG_SERVER_TO_REDIR, 0x0008 },
		{ 0, SMB2_CMD_CANCEL },
		{ SMB2_FLAG_SERVER_TO_REDIR, SMB2_CMD_CANCEL },
	};
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cls); i++) {
		u8 *m = st_msg(test, 9, cls[i].flags, cls[i].cmd, 1, i);
		struct kvec iov = { .iov_base = m, .iov_len = 128 };

		KUNIT_EXPECT_EQ_MSG(test, smbsign_sign(key, &iov, 1, NULL), 0,
				    "class %u", i);
		KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
	}
	for (i = 0; i < ARRAY_SIZE(cls); i++) {
		u8 *m = st_msg(test, 9, cls[i].flags, cls[i].cmd, 1, 10 + i);
		struct kvec iov = { .iov_base = m, .iov_len = 128 };

		KUNIT_EXPECT_EQ_MSG(test, smbsign_sign(key, &iov, 1, NULL),
				    -EALREADY, "class %u again", i);
	}
}

/* HMAC and CMAC keep no state: the same MessageId signs every time. */
static void st_nonce_only_gmac(struct kunit *test)
{
	static const enum smbsign_alg algs[] = {
		SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		struct smbsign_key *key = st_key(test, algs[i], ST_KEY);

		KUNIT_EXPECT_NULL(test, key->nonces);
		KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 7), 0);
		KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 7), 0);
	}
	/* two GMAC keys (two sessions) have records of their own */
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY), 7), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY), 7), 0);
}

/*
 * The window: [top - W, top) where top is one past the highest MessageId
 * signed. Lowest and highest accepted, just below refused.
 */
static void st_nonce_window_edges(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u64 high = 10 + ST_W + 5, top = high + 1;

	KUNIT_ASSERT_EQ(test, st_sign_mid(test, key, 10), 0);
	KUNIT_ASSERT_EQ(test, st_sign_mid(test, key, high), 0);
	/* lowest in the window, never signed: accepted once */
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, top - ST_W), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, top - ST_W), -EALREADY);
	/* one below: it never was inside the window, so not known unused */
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, top - ST_W - 1), -EALREADY);
	/* signed, then left the window */
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 10), -EALREADY);
	/* highest accepted: the top, and one just below it not yet signed */
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, high), -EALREADY);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, high - 1), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, top), 0);
	/* out of order inside the window, as responses are */
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, top - 100), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, top - 50), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, top - 100), -EALREADY);
}

/*
 * A MessageId that leaves the window unsigned (a request still pending)
 * can be signed later, once; the newest SMBSIGN_NONCE_HOLES are kept.
 */
static void st_nonce_holes(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u64 mid;

	KUNIT_ASSERT_EQ(test, st_sign_mid(test, key, 1), 0);
	KUNIT_ASSERT_EQ(test, st_sign_mid(test, key, 100), 0);
	/* 2..99 leave the window unsigned: the newest 32 are remembered */
	KUNIT_ASSERT_EQ(test, st_sign_mid(test, key, 100 + ST_W + 1), 0);
	for (mid = 100 - SMBSIGN_NONCE_HOLES; mid < 100; mid++)
		KUNIT_EXPECT_EQ_MSG(test, st_sign_mid(test, key, mid), 0,
				    "pending %llu", mid);
	for (mid = 100 - SMBSIGN_NONCE_HOLES; mid < 100; mid++)
		KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, mid), -EALREADY);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 99 - SMBSIGN_NONCE_HOLES),
			-EALREADY);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 1), -EALREADY);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 100), -EALREADY);
}

/* A request's CreditCharge consumes its range of MessageIds. */
static void st_nonce_credit_charge(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u8 *m = st_msg(test, 200, 0, 0x0008, 16, 1);
	struct kvec iov = { .iov_base = m, .iov_len = 128 };
	u64 mid;

	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	for (mid = 201; mid < 216; mid++)
		KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, mid), -EALREADY);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 216), 0);
	/* CreditCharge 0 (SMB 2.0.2) consumes one */
	m = st_msg(test, 300, 0, 0x0008, 0, 2);
	iov.iov_base = m;
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 301), 0);
}

/* A compound: every PDU's nonce first; a refused one writes nothing. */
static void st_nonce_compound(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u8 *m = st_message(test, 256, 302, 5);
	u8 *before = kunit_kmalloc(test, 256, GFP_KERNEL);
	struct kvec iov = { .iov_base = m, .iov_len = 256 };

	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(m + 128, m, SMBSIGN_SMB2_HDR_SIZE);
	put_unaligned_le32(128, m + SMB2_NEXT_OFF);
	/* both PDUs with MessageId 302 */
	memcpy(before, m, 256);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(key, &iov, 1, NULL), -EALREADY);
	KUNIT_EXPECT_MEMEQ(test, m, before, 256);
	/* 303 and 304: signed, each PDU verifies */
	put_unaligned_le64(303, m + SMB2_MID_OFF);
	put_unaligned_le64(304, m + 128 + SMB2_MID_OFF);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify_compound(key, &iov, 1, NULL), 0);
	/* 305 is fresh but 304 is used: nothing of the first PDU is written */
	put_unaligned_le64(305, m + SMB2_MID_OFF);
	memset(m + SMB2_SIG_OFF, 0, SMBSIGN_SIG_SIZE);
	memcpy(before, m, 256);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(key, &iov, 1, NULL), -EALREADY);
	KUNIT_EXPECT_MEMEQ(test, m, before, 256);
}

/* An interim response (ASYNC, STATUS_PENDING) is never GMAC-signed. */
static void st_nonce_interim_refused(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u32 async = SMB2_FLAG_SERVER_TO_REDIR | SMB2_FLAG_ASYNC_COMMAND;
	u8 *m = st_msg(test, 400, async, 0x000A, 1, 6);
	u8 *before = kunit_kmalloc(test, 128, GFP_KERNEL);
	struct kvec iov = { .iov_base = m, .iov_len = 128 };
	struct smbsign_stats s0, s1;

	KUNIT_ASSERT_NOT_NULL(test, before);
	put_unaligned_le32(SMB2_STATUS_PENDING, m + SMB2_STATUS_OFF);
	memcpy(before, m, 128);
	KUNIT_ASSERT_EQ(test, smbsign_get_stats(SMBSIGN_ALG_AES_GMAC, &s0), 0);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, NULL), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, m, before, 128);
	KUNIT_ASSERT_EQ(test, smbsign_get_stats(SMBSIGN_ALG_AES_GMAC, &s1), 0);
	KUNIT_EXPECT_EQ(test, s1.nonce_refused - s0.nonce_refused, 1);
	/* the final response to the same request signs */
	put_unaligned_le32(0, m + SMB2_STATUS_OFF);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
	/* a request with that status value is no interim response */
	m = st_msg(test, 401, SMB2_FLAG_ASYNC_COMMAND, 0x000A, 1, 7);
	put_unaligned_le32(SMB2_STATUS_PENDING, m + SMB2_STATUS_OFF);
	iov.iov_base = m;
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	/* HMAC and CMAC leave the rule to the caller */
	key = st_key(test, SMBSIGN_ALG_AES_CMAC, ST_KEY);
	m = st_msg(test, 402, async, 0x000A, 1, 8);
	put_unaligned_le32(SMB2_STATUS_PENDING, m + SMB2_STATUS_OFF);
	iov.iov_base = m;
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
}

/* Verify keeps no state: a signed message verifies any number of times. */
static void st_nonce_verify_unaffected(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	u8 *m = st_msg(test, 500, 0, 0x0008, 1, 9);
	struct kvec iov = { .iov_base = m, .iov_len = 128 };
	unsigned int i;
	int bad = 0;

	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	for (i = 0; i < 100; i++)
		bad |= smbsign_verify(key, &iov, 1, NULL);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* Far above: the window jumps; MessageIds near the top of the range. */
static void st_nonce_far_jumps(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);

	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 1ULL << 40), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 1ULL << 20), -EALREADY);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, U64_MAX - 1), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, U64_MAX - 1), -EALREADY);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, U64_MAX - 2), 0);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, U64_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, st_sign_mid(test, key, 1ULL << 40), -EALREADY);
}

/* What Documentation/smbsign.rst states: about 10 KiB per GMAC key. */
static void st_nonce_record_size(struct kunit *test)
{
	KUNIT_EXPECT_GE(test, smbsign_nonce_size(), (size_t)9 * 1024);
	KUNIT_EXPECT_LE(test, smbsign_nonce_size(), (size_t)11 * 1024);
}

static struct kunit_case st_nonce_cases[] = {
	KUNIT_CASE(st_nonce_reuse_refused),
	KUNIT_CASE(st_nonce_classes_apart),
	KUNIT_CASE(st_nonce_only_gmac),
	KUNIT_CASE(st_nonce_window_edges),
	KUNIT_CASE(st_nonce_holes),
	KUNIT_CASE(st_nonce_credit_charge),
	KUNIT_CASE(st_nonce_compound),
	KUNIT_CASE(st_nonce_interim_refused),
	KUNIT_CASE(st_nonce_verify_unaffected),
	KUNIT_CASE(st_nonce_far_jumps),
	KUNIT_CASE(st_nonce_record_size),
	{}
};

static struct kunit_suite st_nonce_suite = {
	.name = "smbsign_nonce",
	.test_cases = st_nonce_cases,
};

kunit_test_suite(st_nonce_suite);
