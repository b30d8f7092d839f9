// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RequireSecuritySignature matrix, the SMB1 enable/require rules, the
 * module parameters as an administrator sets them (through sysfs), and
 * the SIGNING_CAPABILITIES choice.
 */
#include "util.h"

/* Each case leaves the parameters as it found them. */
static void st_restore_params(void *unused)
{
	st_param_write("client_require_signing", "N");
	st_param_write("server_require_signing", "N");
	st_param_write("algorithms", "gmac,cmac,hmac");
}

static int st_policy_init(struct kunit *test)
{
	return kunit_add_action_or_reset(test, st_restore_params, NULL);
}

/* MS-SMB2 / the Windows model: signed iff either side requires it. */
static void st_smb2_matrix(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, smbsign_policy_smb2(true, true));
	KUNIT_EXPECT_TRUE(test, smbsign_policy_smb2(true, false));
	KUNIT_EXPECT_TRUE(test, smbsign_policy_smb2(false, true));
	KUNIT_EXPECT_FALSE(test, smbsign_policy_smb2(false, false));
}

/* The four cells from each side, driven by the module parameters. */
static void st_session_signed_by_params(struct kunit *test)
{
	static const struct {
		const char *client, *server;
		bool want;
	} cells[] = {
		{ "Y", "Y", true }, { "Y", "N", true },
		{ "N", "Y", true }, { "N", "N", false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cells); i++) {
		bool c = cells[i].client[0] == 'Y', s = cells[i].server[0] == 'Y';

		KUNIT_ASSERT_EQ(test, st_param_write("client_require_signing",
						     cells[i].client), 0);
		KUNIT_ASSERT_EQ(test, st_param_write("server_require_signing",
						     cells[i].server), 0);
		/* this host as client against a server requiring per the cell */
		KUNIT_EXPECT_EQ_MSG(test,
				    smbsign_session_signed(SMBSIGN_CLIENT, false, s),
				    cells[i].want, "cell %u", i);
		/* this host as server against a client requiring per the cell */
		KUNIT_EXPECT_EQ_MSG(test,
				    smbsign_session_signed(SMBSIGN_SERVER, false, c),
				    cells[i].want, "cell %u", i);
		KUNIT_EXPECT_EQ(test, smbsign_local_requires(SMBSIGN_CLIENT, false), c);
		KUNIT_EXPECT_EQ(test, smbsign_local_requires(SMBSIGN_SERVER, false), s);
	}
}

/* A consumer's own setting adds to the parameter; neither can undo the other. */
static void st_local_setting_precedence(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, st_param_write("client_require_signing", "N"), 0);
	KUNIT_EXPECT_TRUE(test, smbsign_local_requires(SMBSIGN_CLIENT, true));
	KUNIT_EXPECT_TRUE(test, smbsign_session_signed(SMBSIGN_CLIENT, true, false));
	KUNIT_ASSERT_EQ(test, st_param_write("client_require_signing", "Y"), 0);
	KUNIT_EXPECT_TRUE(test, smbsign_local_requires(SMBSIGN_CLIENT, false));
	KUNIT_EXPECT_FALSE(test, smbsign_local_requires(SMBSIGN_SERVER, false));
}

static void st_smb1_rules(struct kunit *test)
{
	static const struct {
		bool client_enabled, client_requires;
		bool server_enabled, server_requires;
		enum smbsign_smb1_decision want;
	} rules[] = {
		{ false, false, false, false, SMBSIGN_SMB1_UNSIGNED },
		{ true, false, false, false, SMBSIGN_SMB1_UNSIGNED },
		{ true, false, true, false, SMBSIGN_SMB1_SIGNED },
		{ true, true, true, false, SMBSIGN_SMB1_SIGNED },
		{ false, true, true, false, SMBSIGN_SMB1_SIGNED },
		{ true, false, false, true, SMBSIGN_SMB1_SIGNED },
		{ false, true, false, false, SMBSIGN_SMB1_REFUSE },
		{ false, false, false, true, SMBSIGN_SMB1_REFUSE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rules); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    smbsign_policy_smb1(rules[i].client_enabled,
							rules[i].client_requires,
							rules[i].server_enabled,
							rules[i].server_requires),
				    rules[i].want, "rule %u", i);
}

static int st_choose(const u16 *ids, unsigned int n)
{
	__le16 le[8];
	unsigned int i;

	for (i = 0; i < n; i++)
		le[i] = cpu_to_le16(ids[i]);
	return smbsign_choose_alg(le, n);
}

static void st_choose_default_order(struct kunit *test)
{
	static const u16 all[] = { 0, 1, 2 }, cmac_hmac[] = { 1, 0 };
	static const u16 hmac[] = { 0 }, unknown[] = { 7, 3, 0xffff };
	static const u16 with_unknown[] = { 9, 1 };

	KUNIT_EXPECT_EQ(test, st_choose(all, 3), SMBSIGN_ALG_AES_GMAC);
	KUNIT_EXPECT_EQ(test, st_choose(cmac_hmac, 2), SMBSIGN_ALG_AES_CMAC);
	KUNIT_EXPECT_EQ(test, st_choose(hmac, 1), SMBSIGN_ALG_HMAC_SHA256);
	KUNIT_EXPECT_EQ(test, st_choose(unknown, 3), -ENOENT);
	KUNIT_EXPECT_EQ(test, st_choose(with_unknown, 2), SMBSIGN_ALG_AES_CMAC);
	KUNIT_EXPECT_EQ(test, st_choose(all, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_choose_alg(NULL, 3), -EINVAL);
}

static void st_algorithms_param(struct kunit *test)
{
	static const u16 all[] = { 2, 1, 0 }, gmac[] = { 2 };
	__le16 ids[3];
	char buf[64];

	KUNIT_ASSERT_EQ(test, st_param_read("algorithms", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "gmac,cmac,hmac\n");
	KUNIT_ASSERT_EQ(test, smbsign_preferred_algs(ids, 3), 3);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(ids[0]), SMBSIGN_ALG_AES_GMAC);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(ids[2]), SMBSIGN_ALG_HMAC_SHA256);

	KUNIT_ASSERT_EQ(test, st_param_write("algorithms", " cmac , hmac-sha256\n"), 0);
	KUNIT_ASSERT_EQ(test, st_param_read("algorithms", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "cmac,hmac\n");
	KUNIT_EXPECT_EQ(test, st_choose(all, 3), SMBSIGN_ALG_AES_CMAC);
	KUNIT_EXPECT_EQ(test, st_choose(gmac, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, smbsign_preferred_algs(ids, 3), 2);
	KUNIT_EXPECT_EQ(test, smbsign_preferred_algs(ids, 1), 1);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(ids[0]), SMBSIGN_ALG_AES_CMAC);
}

/* A bad list is refused whole; the previous one stays in force. */
static void st_algorithms_param_rejects(struct kunit *test)
{
	static const char *const bad[] = {
		" ", "md5", "gmac,gmac", "gmac,,cmac", "gmac,cmac,hmac,gmac", "ccm",
	};
	unsigned int i;
	char buf[64];

	KUNIT_ASSERT_EQ(test, st_param_write("algorithms", "hmac,gmac"), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, st_param_write("algorithms", bad[i]),
				    -EINVAL, "'%s'", bad[i]);
	KUNIT_ASSERT_EQ(test, st_param_read("algorithms", buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "hmac,gmac\n");
}

static struct kunit_case st_policy_cases[] = {
	KUNIT_CASE(st_smb2_matrix),
	KUNIT_CASE(st_session_signed_by_params),
	KUNIT_CASE(st_local_setting_precedence),
	KUNIT_CASE(st_smb1_rules),
	KUNIT_CASE(st_choose_default_order),
	KUNIT_CASE(st_algorithms_param),
	KUNIT_CASE(st_algorithms_param_rejects),
	{}
};

static struct kunit_suite st_policy_suite = {
	.name = "smbsign_policy",
	.init = st_policy_init,
	.test_cases = st_policy_cases,
};

kunit_test_suite(st_policy_suite);
