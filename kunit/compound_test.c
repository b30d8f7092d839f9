// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compound chains: each PDU signed over [header, NextCommand) with its
 * padding, the last to the end; a NextCommand that is misaligned, too
 * small or outside the message is refused before anything is written.
 */
#include "util.h"

#define ST_KEY "00112233445566778899AABBCCDDEEFF"

/* Three PDUs: 100 bytes padded to 104, 64 bytes, then 90 bytes to the end. */
static u8 *st_chain(struct kunit *test, size_t *len)
{
	static const size_t sizes[] = { 104, 64, 90 };
	size_t off = 0, total = 104 + 64 + 90;
	u8 *buf = kunit_kzalloc(test, total, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *pdu = st_message(test, sizes[i], 40 + i, 50 + i);

		memcpy(buf + off, pdu, sizes[i]);
		put_unaligned_le32(i + 1 < ARRAY_SIZE(sizes) ? sizes[i] : 0,
				   buf + off + SMB2_NEXT_OFF);
		if (i == 0)	/* padding bytes after a 100-byte PDU */
			memset(buf + off + 100, 0, 4);
		off += sizes[i];
	}
	*len = total;
	return buf;
}

static void st_compound_sign_verify(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_CMAC, ST_KEY);
	size_t len, off = 0, pdu;
	u8 *buf = st_chain(test, &len);
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	unsigned int n = 0;

	KUNIT_ASSERT_EQ(test, smbsign_sign_compound(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify_compound(key, &iov, 1, NULL), 0);
	/* each PDU verifies on its own, over its own bytes only */
	while (off < len) {
		struct kvec one;

		KUNIT_ASSERT_EQ(test, smbsign_compound_pdu_len(&iov, 1, NULL, off, &pdu), 0);
		KUNIT_EXPECT_TRUE(test, get_unaligned_le32(buf + off + SMB2_FLAGS_OFF) &
				  SMB2_FLAG_SIGNED);
		one.iov_base = buf + off;
		one.iov_len = pdu;
		KUNIT_EXPECT_EQ(test, smbsign_verify(key, &one, 1, NULL), 0);
		off += pdu;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 3);
}

/* The padding is signed: changing it breaks that PDU and only that one. */
static void st_compound_padding_signed(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_HMAC_SHA256, ST_KEY);
	size_t len;
	u8 *buf = st_chain(test, &len);
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct kvec second = { .iov_base = buf + 104, .iov_len = 64 };

	KUNIT_ASSERT_EQ(test, smbsign_sign_compound(key, &iov, 1, NULL), 0);
	buf[102] ^= 0xff;
	KUNIT_EXPECT_EQ(test, smbsign_verify_compound(key, &iov, 1, NULL), -EBADMSG);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &second, 1, NULL), 0);
}

/* The chain split across kvecs and pages signs as the contiguous one. */
static void st_compound_layouts(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	/* the reference from another context: GMAC signs each nonce once */
	struct smbsign_key *rkey = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_KEY);
	size_t len;
	u8 *buf = st_chain(test, &len);
	u8 *ref = kunit_kmalloc(test, len, GFP_KERNEL);
	struct kvec one = { .iov_base = ref, .iov_len = len };
	static const size_t cuts[] = { 30, 104, 130 };
	struct st_pages *p;
	unsigned int nvec;
	struct kvec *iov;

	KUNIT_ASSERT_NOT_NULL(test, ref);
	memcpy(ref, buf, len);
	KUNIT_ASSERT_EQ(test, smbsign_sign_compound(rkey, &one, 1, NULL), 0);
	/* kvecs up to 200, the tail of the last PDU in pages */
	iov = st_split(test, buf, 200, cuts, ARRAY_SIZE(cuts), &nvec);
	p = st_to_pages(test, buf + 200, len - 200, 4000, 20);
	KUNIT_ASSERT_EQ(test, smbsign_sign_compound(key, iov, nvec, &p->iter), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, ref, 200);
	KUNIT_EXPECT_EQ(test, smbsign_verify_compound(key, iov, nvec, &p->iter), 0);
}

struct st_bad_chain {
	const char *name;
	u32 first_next;
};

static const struct st_bad_chain st_bad_chains[] = {
	{ "misaligned", 100 },
	{ "shorter_than_header", 56 },
	{ "zero_sized_step", 8 },
	{ "past_the_end", 4096 },
	{ "no_room_for_next_header", 152 },
	{ "wraps_u32", 0xfffffff8 },
};

static void st_bad_chain_desc(const struct st_bad_chain *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(st_bad_chain, st_bad_chains, st_bad_chain_desc);

/* A bad NextCommand anywhere: -EINVAL, and not one byte written. */
static void st_compound_bad_next_command(struct kunit *test)
{
	const struct st_bad_chain *c = test->param_value;
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_CMAC, ST_KEY);
	size_t len, pdu;
	u8 *buf = st_chain(test, &len);
	u8 *before = kunit_kmalloc(test, len, GFP_KERNEL);
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	KUNIT_ASSERT_NOT_NULL(test, before);
	/* the first PDU is fine; the second one's NextCommand is bad */
	put_unaligned_le32(c->first_next, buf + 104 + SMB2_NEXT_OFF);
	memcpy(before, buf, len);
	KUNIT_EXPECT_EQ(test, smbsign_sign_compound(key, &iov, 1, NULL), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, buf, before, len);
	KUNIT_EXPECT_EQ(test, smbsign_verify_compound(key, &iov, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_compound_pdu_len(&iov, 1, NULL, 104, &pdu), -EINVAL);
}

/* The walker itself: offsets past the end, or too close to it. */
static void st_compound_walker_bounds(struct kunit *test)
{
	size_t len, pdu;
	u8 *buf = st_chain(test, &len);
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	KUNIT_EXPECT_EQ(test, smbsign_compound_pdu_len(&iov, 1, NULL, 0, &pdu), 0);
	KUNIT_EXPECT_EQ(test, pdu, 104);
	KUNIT_EXPECT_EQ(test, smbsign_compound_pdu_len(&iov, 1, NULL, 168, &pdu), 0);
	KUNIT_EXPECT_EQ(test, pdu, 90);
	KUNIT_EXPECT_EQ(test, smbsign_compound_pdu_len(&iov, 1, NULL, len - 63, &pdu), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_compound_pdu_len(&iov, 1, NULL, len + 8, &pdu), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_compound_pdu_len(&iov, 1, NULL, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_compound_pdu_len(NULL, 1, NULL, 0, &pdu), -EINVAL);
}

/* The pure step rule, as the user-space fuzzer also builds it. */
static void st_compound_step_rule(struct kunit *test)
{
	size_t pdu = 0;

	KUNIT_EXPECT_EQ(test, smbsign_compound_step(0, 0, 64, &pdu), 0);
	KUNIT_EXPECT_EQ(test, pdu, 64);
	KUNIT_EXPECT_EQ(test, smbsign_compound_step(64, 0, 128, &pdu), 0);
	KUNIT_EXPECT_EQ(test, pdu, 64);
	KUNIT_EXPECT_EQ(test, smbsign_compound_step(64, 0, 127, &pdu), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_compound_step(72, 8, 144, &pdu), 0);
	KUNIT_EXPECT_EQ(test, smbsign_compound_step(68, 0, 1000, &pdu), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_compound_step(U32_MAX & ~7u, 0, 1000, &pdu), -EINVAL);
}

static struct kunit_case st_compound_cases[] = {
	KUNIT_CASE(st_compound_sign_verify),
	KUNIT_CASE(st_compound_padding_signed),
	KUNIT_CASE(st_compound_layouts),
	KUNIT_CASE_PARAM(st_compound_bad_next_command, st_bad_chain_gen_params),
	KUNIT_CASE(st_compound_walker_bounds),
	KUNIT_CASE(st_compound_step_rule),
	{}
};

static struct kunit_suite st_compound_suite = {
	.name = "smbsign_compound",
	.test_cases = st_compound_cases,
};

kunit_test_suite(st_compound_suite);
