// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verify-failure trace events: a probe attached to them sees one event
 * per signature that does not verify, naming the session and message, and
 * none for good signatures or malformed input (those are not forgeries).
 */
#include <linux/tracepoint.h>

#include "util.h"
#include "vectors.h"
#include "../smbsign/trace.h"

#define ST_TRACE_KEY "000102030405060708090a0b0c0d0e0f"

struct st_seen {
	unsigned int events;
	u16 alg;
	u64 sid;
	u64 mid;
	u16 cmd;
	u32 flags;
	u32 len;
};

/* Both SMB2 events: @n is the length, or the errno of a refusal. */
static void st_probe(void *data, u16 alg, u64 sid, u64 mid, u16 cmd,
		     u32 flags, int n)
{
	struct st_seen *seen = data;

	seen->events++;
	seen->alg = alg;
	seen->sid = sid;
	seen->mid = mid;
	seen->cmd = cmd;
	seen->flags = flags;
	seen->len = n;
}

static void st_probe_smb1(void *data, u16 uid, u16 mid, u8 cmd, u32 seq,
			  u32 len)
{
	struct st_seen *seen = data;

	seen->events++;
	seen->sid = uid;
	seen->mid = mid;
	seen->cmd = cmd;
	seen->flags = seq;
	seen->len = len;
}

static void st_unregister(void *seen)
{
	unregister_trace_smbsign_verify_failed(st_probe, seen);
	tracepoint_synchronize_unregister();
}

static void st_unregister_smb1(void *seen)
{
	unregister_trace_smbsign_smb1_verify_failed(st_probe_smb1, seen);
	tracepoint_synchronize_unregister();
	st_param_write("allow_smb1", "N");
}

static void st_unregister_nonce(void *seen)
{
	unregister_trace_smbsign_nonce_refused(st_probe, seen);
	tracepoint_synchronize_unregister();
}

enum st_event {
	ST_VERIFY_FAILED,
	ST_SMB1_VERIFY_FAILED,
	ST_NONCE_REFUSED,
};

/* A probe on one event, removed when the test ends. */
static struct st_seen *st_attach(struct kunit *test, enum st_event ev)
{
	static void (*const detach[])(void *) = {
		[ST_VERIFY_FAILED] = st_unregister,
		[ST_SMB1_VERIFY_FAILED] = st_unregister_smb1,
		[ST_NONCE_REFUSED] = st_unregister_nonce,
	};
	struct st_seen *seen = kunit_kzalloc(test, sizeof(*seen), GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "kernel built without CONFIG_TRACEPOINTS");
	if (ev == ST_SMB1_VERIFY_FAILED)
		ret = register_trace_smbsign_smb1_verify_failed(st_probe_smb1, seen);
	else if (ev == ST_NONCE_REFUSED)
		ret = register_trace_smbsign_nonce_refused(st_probe, seen);
	else
		ret = register_trace_smbsign_verify_failed(st_probe, seen);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, detach[ev], seen), 0);
	return seen;
}

KUNIT_ARRAY_PARAM(st_trace_alg, st_smb2_algs, st_alg_desc);

static void st_trace_tampered(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_key *key = st_key(test, alg, ST_TRACE_KEY);
	struct st_seen *seen = st_attach(test, ST_VERIFY_FAILED);
	size_t len = 300;
	u8 *m = st_message(test, len, 77, 3);
	struct kvec iov = { .iov_base = m, .iov_len = len };

	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, seen->events, 0);

	m[len - 1] ^= 0x80;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
	KUNIT_ASSERT_EQ(test, seen->events, 1);
	KUNIT_EXPECT_EQ(test, seen->alg, (u16)alg);
	KUNIT_EXPECT_EQ(test, seen->sid, get_unaligned_le64(m + SMB2_SID_OFF));
	KUNIT_EXPECT_EQ(test, seen->mid, 77);
	KUNIT_EXPECT_EQ(test, seen->cmd, 0x0009);
	KUNIT_EXPECT_EQ(test, seen->flags, SMB2_FLAG_SIGNED);
	KUNIT_EXPECT_EQ(test, seen->len, len);
}

/* Malformed input is an error, not a forgery: no event. */
static void st_trace_not_for_errors(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_CMAC, ST_TRACE_KEY);
	struct st_seen *seen = st_attach(test, ST_VERIFY_FAILED);
	u8 *m = st_message(test, 128, 5, 4);
	struct kvec iov = { .iov_base = m, .iov_len = 128 };

	m[0] = 0xff;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EINVAL);
	iov.iov_len = SMBSIGN_SMB2_HDR_SIZE - 1;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, seen->events, 0);
}

/* Every PDU of a compound that fails reports itself. */
static void st_trace_compound(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_TRACE_KEY);
	struct st_seen *seen = st_attach(test, ST_VERIFY_FAILED);
	u8 *m = st_message(test, 256, 40, 5);
	struct kvec iov = { .iov_base = m, .iov_len = 256 };

	memcpy(m + 128, m, SMBSIGN_SMB2_HDR_SIZE);
	put_unaligned_le32(128, m + SMB2_NEXT_OFF);
	put_unaligned_le64(41, m + 128 + SMB2_MID_OFF);
	KUNIT_ASSERT_EQ(test, smbsign_sign_compound(key, &iov, 1, NULL), 0);
	m[200] ^= 1;
	KUNIT_EXPECT_EQ(test, smbsign_verify_compound(key, &iov, 1, NULL), -EBADMSG);
	KUNIT_ASSERT_EQ(test, seen->events, 1);
	KUNIT_EXPECT_EQ(test, seen->mid, 41);
	KUNIT_EXPECT_EQ(test, seen->len, 128);
}

static void st_trace_smb1(struct kunit *test)
{
	struct st_seen *seen = st_attach(test, ST_SMB1_VERIFY_FAILED);
	size_t len;
	u8 *msg = st_hexv(test, vec_smb1_seq5, &len);
	struct kvec iov = { .iov_base = msg, .iov_len = len };
	struct smbsign_key *key;
	u8 *k = st_hex(test, "101112131415161718191A1B1C1D1E1F", NULL);

	KUNIT_ASSERT_EQ(test, st_param_write("allow_smb1", "Y"), 0);
	key = smbsign_smb1_key_alloc(k, 16, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, &iov, 1, NULL, 5), 0);
	KUNIT_EXPECT_EQ(test, seen->events, 0);
	KUNIT_EXPECT_EQ(test, smbsign_smb1_verify(key, &iov, 1, NULL, 6), -EBADMSG);
	smbsign_key_put(key);
	KUNIT_ASSERT_EQ(test, seen->events, 1);
	KUNIT_EXPECT_EQ(test, seen->sid, get_unaligned_le16(msg + SMB1_UID_OFF));
	KUNIT_EXPECT_EQ(test, seen->mid, get_unaligned_le16(msg + SMB1_MID_OFF));
	KUNIT_EXPECT_EQ(test, seen->cmd, msg[SMB1_COMMAND_OFF]);
	KUNIT_EXPECT_EQ(test, seen->flags, 6);
	KUNIT_EXPECT_EQ(test, seen->len, len);
}

/* An AES-GMAC signature refused by the nonce rule names its message. */
static void st_trace_nonce_refused(struct kunit *test)
{
	struct smbsign_key *key = st_key(test, SMBSIGN_ALG_AES_GMAC, ST_TRACE_KEY);
	struct st_seen *seen = st_attach(test, ST_NONCE_REFUSED);
	u8 *a = st_message(test, 100, 42, 6);
	u8 *b = st_message(test, 100, 42, 7);
	struct kvec ia = { .iov_base = a, .iov_len = 100 };
	struct kvec ib = { .iov_base = b, .iov_len = 100 };

	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &ia, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, seen->events, 0);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &ib, 1, NULL), -EALREADY);
	KUNIT_ASSERT_EQ(test, seen->events, 1);
	KUNIT_EXPECT_EQ(test, seen->alg, (u16)SMBSIGN_ALG_AES_GMAC);
	KUNIT_EXPECT_EQ(test, seen->sid, get_unaligned_le64(b + SMB2_SID_OFF));
	KUNIT_EXPECT_EQ(test, seen->mid, 42);
	KUNIT_EXPECT_EQ(test, seen->cmd, 0x0009);
	KUNIT_EXPECT_EQ(test, (int)seen->len, -EALREADY);
}

static struct kunit_case st_trace_cases[] = {
	KUNIT_CASE_PARAM(st_trace_tampered, st_trace_alg_gen_params),
	KUNIT_CASE(st_trace_not_for_errors),
	KUNIT_CASE(st_trace_compound),
	KUNIT_CASE(st_trace_smb1),
	KUNIT_CASE(st_trace_nonce_refused),
	{}
};

static struct kunit_suite st_trace_suite = {
	.name = "smbsign_trace",
	.test_cases = st_trace_cases,
};

kunit_test_suite(st_trace_suite);
