// SPDX-License-Identifier: GPL-2.0-only
/*
 * Key derivation: NIST CAVP SP 800-108 counter mode (HMAC-SHA256), and
 * Microsoft's SMB 3.0 / 3.1.1 signing keys, the 3.1.1 ones from the full
 * preauth integrity hash chains (each intermediate SHA-512 checked).
 */
#include <crypto/hash.h>

#include "util.h"
#include "vectors.h"

static void st_kdf_cavp(struct kunit *test, const char *ki_hex,
			const char *const *fixed_hex, const char *ko_hex)
{
	size_t ki_len, fixed_len, ko_len;
	u8 *ki = st_hex(test, ki_hex, &ki_len);
	u8 *fixed = st_hexv(test, fixed_hex, &fixed_len);
	u8 out[32];
	struct kvec fx = { .iov_base = fixed, .iov_len = fixed_len };

	st_hex(test, ko_hex, &ko_len);
	KUNIT_ASSERT_LE(test, ko_len, sizeof(out));
	KUNIT_ASSERT_EQ(test, smbsign_kdf_fixed(ki, ki_len, &fx, 1, out, ko_len), 0);
	st_expect_hex(test, out, ko_hex, ko_len);
}

/* CAVS 14.4 KDFCTR_gen.rsp, [PRF=HMAC_SHA256][CTRLOCATION=BEFORE_FIXED][RLEN=32_BITS] */
static void st_kdf_cavp_count0(struct kunit *test)
{
	st_kdf_cavp(test, "DD1D91B7D90B2BD3138533CE92B272FBF8A369316AEFE242E659CC0AE238AFE0",
		    ST_HEX("01322B96B30ACD197979444E468E1C5C6859BF1B1CF951B7E725303E237E46B8",
			   "64A145FAB25E517B08F8683D0315BB2911D80A0E8ABA17F3B413FAAC"),
		    "10621342BFB0FD40046C0E29F2CFDBF0");
}

static void st_kdf_cavp_count1(struct kunit *test)
{
	st_kdf_cavp(test, "32C4003872A146194023EAC1BDA74DDF2B66977DAD8A554B974CA2A62F7E4F43",
		    ST_HEX("33D8CF6D0C759FB622D867EA8CF1285DE4020AF81CC287ADDF38CC2DA4643E6D",
			   "B3B215AD3E33BFC47877C3620E336887C3C9AD4A1C6C0476B0F90A33"),
		    "F593AF0E1A492A7B904A2662897FA1C1");
}

/* L = 256: a single PRF block, the whole of it. */
static void st_kdf_cavp_count10_l256(struct kunit *test)
{
	st_kdf_cavp(test, "E204D6D466AAD507FFAF6D6DAB0A5B26152C9E21E764370464E360C8FBC765C6",
		    ST_HEX("7B03B98D9F94B899E591F3EF264B71B193FBA7043C7E953CDE23BC5384BC1A62",
			   "93580115FAE3495FD845DADBD02BD6455CF48D0F62B33E62364A3A80"),
		    "770DFAB6A6A4A4BEE0257FF335213F78D8287B4FD537D5C1FFFA956910E7C779");
}

static void st_expect_signing_key(struct kunit *test, u16 dialect,
				  const char *sk_hex, const u8 *preauth,
				  const char *want)
{
	size_t sk_len;
	u8 *sk = st_hex(test, sk_hex, &sk_len);
	u8 out[SMBSIGN_KEY_SIZE];

	KUNIT_ASSERT_EQ(test, smbsign_derive_signing_key(dialect, sk, sk_len,
							 preauth, out), 0);
	st_expect_hex(test, out, want, sizeof(out));
}

/* VECTORS.txt A1.1, A1.2, A2: Microsoft's SMB 3.0 keys. */
static void st_smb30_master(struct kunit *test)
{
	st_expect_signing_key(test, 0x0300, "7CD451825D0450D235424E44BA6E78CC",
			      NULL, "0B7E9C5CAC36C0F6EA9AB275298CEDCE");
}

static void st_smb30_channel(struct kunit *test)
{
	st_expect_signing_key(test, 0x0302, "4E01A2B313BCF660CC250BEF021AEDE6",
			      NULL, "BA1A17DBBFEC349BCA105563D598952F");
}

static void st_smb30_encryption_blog(struct kunit *test)
{
	st_expect_signing_key(test, 0x0300, "B4546771B515F766A86735532DD6C4F0",
			      NULL, "F773CD23C18FD1E08EE510CADA7CF852");
}

/* The label/context form: the A1.1 application key, via smbsign_kdf(). */
static void st_smb30_app_key(struct kunit *test)
{
	u8 *sk = st_hex(test, "7CD451825D0450D235424E44BA6E78CC", NULL);
	u8 out[16];

	KUNIT_ASSERT_EQ(test, smbsign_kdf(sk, 16, "SMB2APP", 8, "SmbRpc", 7,
					  out, 16), 0);
	st_expect_hex(test, out, "BB23A4575AA26C721AF525AF15A87B4F", 16);
}

struct st_chain {
	const char *const *msgs[5];
	const char *const *hashes[5];
};

/* H(0) = 0^512, H(n) = SHA-512(H(n-1) || message n), each checked. */
static void st_preauth_chain(struct kunit *test, const struct st_chain *c,
			     u8 *hash)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha512", 0, 0);
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
	memset(hash, 0, SMBSIGN_PREAUTH_HASH_SIZE);
	for (i = 0; i < ARRAY_SIZE(c->msgs); i++) {
		SHASH_DESC_ON_STACK(desc, tfm);
		size_t len;
		u8 *msg = st_hexv(test, c->msgs[i], &len);

		desc->tfm = tfm;
		KUNIT_ASSERT_EQ(test, crypto_shash_init(desc), 0);
		KUNIT_ASSERT_EQ(test, crypto_shash_update(desc, hash, 64), 0);
		KUNIT_ASSERT_EQ(test, crypto_shash_update(desc, msg, len), 0);
		KUNIT_ASSERT_EQ(test, crypto_shash_final(desc, hash), 0);
		st_expect_hex(test, hash, st_join(test, c->hashes[i]), 64);
	}
	crypto_free_shash(tfm);
}

#define CHAIN(p) { \
	.msgs = { vec_##p##_neg_req, vec_##p##_neg_resp, vec_##p##_ss_req1, \
		  vec_##p##_ss_resp1, vec_##p##_ss_req2 }, \
	.hashes = { vec_##p##_neg_req_hash, vec_##p##_neg_resp_hash, \
		    vec_##p##_ss_req1_hash, vec_##p##_ss_resp1_hash, \
		    vec_##p##_ss_req2_hash } }

static void st_smb311_chain(struct kunit *test, const struct st_chain *c,
			    const char *sk, const char *want)
{
	u8 hash[SMBSIGN_PREAUTH_HASH_SIZE];

	st_preauth_chain(test, c, hash);
	st_expect_signing_key(test, 0x0311, sk, hash, want);
}

static void st_smb311_master(struct kunit *test)
{
	static const struct st_chain c = CHAIN(a13);

	st_smb311_chain(test, &c, "270E1BA896585EEB7AF3472D3B4C75A7",
			"73FE7A9A77BEF0BDE49C650D8CCB5F76");
}

static void st_smb311_binding_channel(struct kunit *test)
{
	static const struct st_chain c = CHAIN(a14);

	st_smb311_chain(test, &c, "84B9DBB730116A8FA6E9889555C265F9",
			"C962BCA1A9DD1697B030644199705431");
}

static void st_smb311_gcm_session(struct kunit *test)
{
	static const struct st_chain c = CHAIN(a31);

	st_smb311_chain(test, &c, "419FDDF34C1E001909D362AE7FB6AF79",
			"8765949DFEAEE105CE9118B45BE988F0");
}

static void st_smb311_ccm_session(struct kunit *test)
{
	static const struct st_chain c = CHAIN(a32);

	st_smb311_chain(test, &c, "07B7F69C1E2581662DF6987E88F9E891",
			"3DCC82C5795AE27F383242761078C59B");
}

/* Label and context are strings; MS-SMB2 hashes them with their NUL. */
struct st_kdf_key {
	const char *label;
	const char *context;	/* NULL: the session's preauth hash */
	const char *want;
};

/* The other keys of a session, through smbsign_kdf(): same construction. */
static void st_session_keys(struct kunit *test, const char *sk_hex,
			    const u8 *preauth, const struct st_kdf_key *keys,
			    unsigned int n)
{
	u8 *sk = st_hex(test, sk_hex, NULL);
	unsigned int i;
	u8 out[16];

	for (i = 0; i < n; i++) {
		const u8 *ctx = keys[i].context ? (const u8 *)keys[i].context : preauth;
		unsigned int ctx_len = keys[i].context ? strlen(keys[i].context) + 1 :
				       SMBSIGN_PREAUTH_HASH_SIZE;

		KUNIT_ASSERT_EQ(test, smbsign_kdf(sk, 16, keys[i].label,
						  strlen(keys[i].label) + 1, ctx,
						  ctx_len, out, 16), 0);
		st_expect_hex(test, out, keys[i].want, 16);
	}
}

/* MS-SMB2's 3.0 client-to-server context, trailing space included */
#define SERVER_IN	"ServerIn\x20"

/* A1.1, A2: SMB 3.0 encryption, decryption and application keys. */
static void st_smb30_other_keys(struct kunit *test)
{
	static const struct st_kdf_key a11[] = {
		{ "SMB2AESCCM", SERVER_IN,
		  "FAD27796665B313EBB578F388632B4F7" },
		{ "SMB2AESCCM", "ServerOut",
		  "B0F0427F7CEB416D1D9DCC0CD4F99447" },
	};
	static const struct st_kdf_key a2[] = {
		{ "SMB2AESCCM", SERVER_IN,
		  "261B72350558F2E9DCF613070383EDBF" },
		{ "SMB2AESCCM", "ServerOut",
		  "8FE2B57EC34D2DB5B1A9727F526BBDB5" },
		{ "SMB2APP", "SmbRpc",
		  "77432F808CE99156B5BC6A3676D730D1" },
	};

	st_session_keys(test, "7CD451825D0450D235424E44BA6E78CC", NULL, a11,
			ARRAY_SIZE(a11));
	st_session_keys(test, "B4546771B515F766A86735532DD6C4F0", NULL, a2,
			ARRAY_SIZE(a2));
}

/* A1.3, A3.1, A3.2: SMB 3.1.1 cipher and application keys from the chains. */
static void st_smb311_other_keys(struct kunit *test)
{
	static const struct st_chain a13 = CHAIN(a13), a31 = CHAIN(a31), a32 = CHAIN(a32);
	static const struct {
		const struct st_chain *chain;
		const char *sk, *enc, *dec, *app;
	} s[] = {
		{ &a13, "270E1BA896585EEB7AF3472D3B4C75A7", "629BCBC54422A0F572B97F45989B6073",
		  "E2AF0DCEFAC68DA71A0DFBD0D1350D74", "6D7AD7954E9EC61E907B4D473DC178FF" },
		{ &a31, "419FDDF34C1E001909D362AE7FB6AF79", "A2F5E80E5D59103034F32E52F698E5EC",
		  "748C50868C90F302962A5C35F5F9A8BF", "099D610789FBE82055B313601C3E8CC4" },
		{ &a32, "07B7F69C1E2581662DF6987E88F9E891", "DFAAA31AAE40A2485D47AC4DF09FDA1D",
		  "95C544AEF6072680DA1CE49A68A97FA6", "7A2F0F73EC2D530879B2913BBFCE242F" },
	};
	u8 hash[SMBSIGN_PREAUTH_HASH_SIZE];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s); i++) {
		const struct st_kdf_key keys[] = {
			{ "SMBC2SCipherKey", NULL, s[i].enc },
			{ "SMBS2CCipherKey", NULL, s[i].dec },
			{ "SMBAppKey", NULL, s[i].app },
		};

		st_preauth_chain(test, s[i].chain, hash);
		st_session_keys(test, s[i].sk, hash, keys, ARRAY_SIZE(keys));
	}
}

/* A7: smbj and smb-rs 3.1.1 derivations (label "SMBSigningKey\0"). */
static void st_smb311_client_libraries(struct kunit *test)
{
	const struct {
		const char *sk;
		const char *const *preauth;
		const char *want;
	} v[] = {
		{ "05748462F987037190DEF58A165E3678",
		  ST_HEX("43F965A710069C1CEC7D79469C0FDE7143FB350599997C65D2B5D65B40DED490",
			 "C0E13BA9F5822D2619BFEB08873909926F4BBE455321DC4C151A46B47718421F"),
		  "E4F496372BB7FBA2BFCAE08AA07C9C16" },
		{ "C3ACFDC1B070770A8DDAB9740DA29B79",
		  ST_HEX("FE8742AB31DC7A88DF45BCA328875D079E597CF711D3AFB397AF32422E9BD854",
			 "1C1F0E1D665646B56A141BE700351C35FB7426F9946F22271DE0B4EDFAFBC11E"),
		  "14595AE1720357BBA5B22084041E27E9" },
		{ "DA90B1DF805C349F8886BA029EA45CB6",
		  ST_HEX("479578B18723056A4C3E6F732F36F19CCCDD516F49566BA043CE596A134227D9",
			 "64EF0AA6A6271AFE4FE64B4D8CB2E6A19511EDBBF6D77DCEF033DAED8C7181B2"),
		  "6DACCEDE5B4E3608AD6EA54733CA3163" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		st_expect_signing_key(test, 0x0311, v[i].sk,
				      st_hexv(test, v[i].preauth, NULL), v[i].want);
}

/*
 * SMB 2.x signs with Session.SessionKey: the first 16 bytes, zero-padded;
 * a 32-byte (AES-256 Kerberos) key gives the same 128-bit signing key as
 * its first half, for every dialect.
 */
static void st_session_key_rules(struct kunit *test)
{
	u8 *long_key = st_hexv(test, ST_HEX("7CD451825D0450D235424E44BA6E78CC",
					    "00112233445566778899AABBCCDDEEFF"), NULL);
	u8 out[16];

	KUNIT_ASSERT_EQ(test, smbsign_derive_signing_key(0x0210, long_key, 8, NULL, out), 0);
	st_expect_hex(test, out, "7CD451825D0450D20000000000000000", 16);
	KUNIT_ASSERT_EQ(test, smbsign_derive_signing_key(0x0202, long_key, 32, NULL, out), 0);
	st_expect_hex(test, out, "7CD451825D0450D235424E44BA6E78CC", 16);
	KUNIT_ASSERT_EQ(test, smbsign_derive_signing_key(0x0300, long_key, 32, NULL, out), 0);
	st_expect_hex(test, out, "0B7E9C5CAC36C0F6EA9AB275298CEDCE", 16);
}

static void st_kdf_bad_input(struct kunit *test)
{
	u8 sk[16] = { 1 }, hash[64] = {}, out[16];

	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(0x0311, sk, 16, NULL, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(0x02FF, sk, 16, hash, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(0x0400, sk, 16, hash, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(0x0300, NULL, 16, NULL, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(0x0300, sk, 0, NULL, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(0x0300, sk, 16, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(NULL, 16, "L", 2, "C", 2, out, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(sk, 16, NULL, 2, "C", 2, out, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(sk, 16, "L", 2, NULL, 2, out, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(sk, 16, "L", 2, "C", 2, out, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(sk, 16, "L", 2, "C", 2, out, 4096), -EINVAL);
}

static struct kunit_case st_kdf_cases[] = {
	KUNIT_CASE(st_kdf_cavp_count0),
	KUNIT_CASE(st_kdf_cavp_count1),
	KUNIT_CASE(st_kdf_cavp_count10_l256),
	KUNIT_CASE(st_smb30_master),
	KUNIT_CASE(st_smb30_channel),
	KUNIT_CASE(st_smb30_encryption_blog),
	KUNIT_CASE(st_smb30_app_key),
	KUNIT_CASE(st_smb311_master),
	KUNIT_CASE(st_smb311_binding_channel),
	KUNIT_CASE(st_smb311_gcm_session),
	KUNIT_CASE(st_smb311_ccm_session),
	KUNIT_CASE(st_smb30_other_keys),
	KUNIT_CASE(st_smb311_other_keys),
	KUNIT_CASE(st_smb311_client_libraries),
	KUNIT_CASE(st_session_key_rules),
	KUNIT_CASE(st_kdf_bad_input),
	{}
};

static struct kunit_suite st_kdf_suite = {
	.name = "smbsign_kdf",
	.test_cases = st_kdf_cases,
};

kunit_test_suite(st_kdf_suite);
