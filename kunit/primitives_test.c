// SPDX-License-Identifier: GPL-2.0-only
/*
 * The primitives under the SMB framing, through smbsign's own backends
 * (the code the sign/verify path runs): RFC 4493 AES-CMAC, RFC 4231
 * HMAC-SHA256, GCM with empty plaintext (McGrew-Viega, NIST CAVP), MD5;
 * and smbsign's GHASH-plus-one-block GMAC against the kernel's gcm(aes).
 */
#include <crypto/aead.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "util.h"

struct st_prim {
	const char *name;
	const char *const *key, *const *msg, *const *iv, *const *mac;
};

static void st_prim_run(struct kunit *test, const struct smbsign_backend *be,
			const struct st_prim *v)
{
	struct smbsign_key *key = st_raw_key(test, be, st_join(test, v->key));
	u8 out[SMBSIGN_SIG_SIZE];
	size_t len;
	u8 *msg = st_hexv(test, v->msg, &len);
	u8 *iv = v->iv ? st_hexv(test, v->iv, NULL) : NULL;

	KUNIT_ASSERT_EQ(test, smbsign_mac_buf(key, iv, msg, len, out), 0);
	st_expect_hex(test, out, st_join(test, v->mac), SMBSIGN_SIG_SIZE);
}

#define RFC4493_K ST_HEX("2B7E151628AED2A6ABF7158809CF4F3C")
#define RFC4493_M "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51", \
		  "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710"

static const struct st_prim st_cmac[] = {
	{ "len0", RFC4493_K, ST_HEX(""), NULL,
	  ST_HEX("BB1D6929E95937287FA37D129B756746") },
	{ "len16", RFC4493_K, ST_HEX("6BC1BEE22E409F96E93D7E117393172A"), NULL,
	  ST_HEX("070A16B46B4D4144F79BDD9DD04A287C") },
	{ "len40", RFC4493_K,
	  ST_HEX("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51",
		 "30C81C46A35CE411"),
	  NULL, ST_HEX("DFA66747DE9AE63030CA32611497C827") },
	{ "len64", RFC4493_K, ST_HEX(RFC4493_M), NULL,
	  ST_HEX("51F0BEBF7E3B9D92FC49741779363CFE") },
};

static void st_cmac_rfc4493(struct kunit *test)
{
	st_prim_run(test, &smbsign_cmac_backend, test->param_value);
}

#define AA64 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define AA131 ST_HEX(AA64, AA64, AA64, AA64, "AAAAAA")
#define DD50 ST_HEX("DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", \
		    "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD")
#define CD50 ST_HEX("CDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCD", \
		    "CDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCD")

/* RFC 4231 section 4; smbsign keeps the first 16 bytes of the HMAC. */
static const struct st_prim st_hmac[] = {
	{ "tc1", ST_HEX("0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B"), ST_HEX("4869205468657265"),
	  NULL, ST_HEX("B0344C61D8DB38535CA8AFCEAF0BF12B") },
	{ "tc2", ST_HEX("4A656665"),
	  ST_HEX("7768617420646F2079612077616E7420666F72206E6F7468696E673F"), NULL,
	  ST_HEX("5BDCC146BF60754E6A042426089575C7") },
	{ "tc3", ST_HEX("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), DD50, NULL,
	  ST_HEX("773EA91E36800E46854DB8EBD09181A7") },
	{ "tc4", ST_HEX("0102030405060708090A0B0C0D0E0F10111213141516171819"), CD50, NULL,
	  ST_HEX("82558A389A443C0EA4CC819899F2083A") },
	{ "tc6", AA131,
	  ST_HEX("54657374205573696E67204C6172676572205468616E20426C6F636B2D53697A",
		 "65204B6579202D2048617368204B6579204669727374"), NULL,
	  ST_HEX("60E431591EE0B67F0D8A26AACBF5B77F") },
	{ "tc7", AA131,
	  ST_HEX("5468697320697320612074657374207573696E672061206C6172676572207468",
		 "616E20626C6F636B2D73697A65206B657920616E642061206C61726765722074",
		 "68616E20626C6F636B2D73697A6520646174612E20546865206B6579206E6565",
		 "647320746F20626520686173686564206265666F7265206265696E6720757365",
		 "642062792074686520484D414320616C676F726974686D2E"), NULL,
	  ST_HEX("9B09FFA71B942FCB27635FBCD5B0E944") },
};

static void st_hmac_rfc4231(struct kunit *test)
{
	st_prim_run(test, &smbsign_hmac_backend, test->param_value);
}

/* GCM with empty plaintext: the tag is a GMAC of the associated data. */
static const struct st_prim st_gcm[] = {
	{ "mcgrew_tc1", ST_HEX("00000000000000000000000000000000"), ST_HEX(""),
	  ST_HEX("000000000000000000000000"), ST_HEX("58E2FCCEFA7E3061367F1D57A4E7455A") },
	{ "cavp_aad0_a", ST_HEX("11754CD72AEC309BF52F7687212E8957"), ST_HEX(""),
	  ST_HEX("3C819D9A9BED087615030B65"), ST_HEX("250327C674AAF477AEF2675748CF6971") },
	{ "cavp_aad0_b", ST_HEX("CA47248AC0B6F8372A97AC43508308ED"), ST_HEX(""),
	  ST_HEX("FFD2B598FEABC9019262D2BE"), ST_HEX("60D20404AF527D248D893AE495707D1A") },
	{ "cavp_aad128_a", ST_HEX("77BE63708971C4E240D1CB79E8D77FEB"),
	  ST_HEX("7A43EC1D9C0A5A78A0B16533A6213CAB"), ST_HEX("E0E00F19FED7BA0136A797F3"),
	  ST_HEX("209FCC8D3675ED938E9C7166709DD946") },
	{ "cavp_aad128_b", ST_HEX("7680C5D3CA6154758E510F4D25B98820"),
	  ST_HEX("C94C410194C765E3DCC7964379758ED3"), ST_HEX("F8F105F9C3DF4965780321F8"),
	  ST_HEX("94DCA8EDFCF90BB74B153C8D48A17930") },
	{ "aad1", ST_HEX("FBE3467CC254F81BE8E78D765A2E6333"), ST_HEX("67"),
	  ST_HEX("C6697351FF4AEC29CDBAABF2"), ST_HEX("3659CDC25288BF499AC736C03BFC1159") },
	{ "aad13", ST_HEX("8A7F9D80D08AD0BD5A20FB689C88F9FC"), ST_HEX("50EDD0503E0D7B8C91608EB5A1"),
	  ST_HEX("88B7B27D800937FDA4F47301"), ST_HEX("ED6F65322A4740011F91D2AAE22DD44E") },
	{ "aad30", ST_HEX("051758E95ED4ABB2CDC69BB454110E82"),
	  ST_HEX("67C6697351FF4AEC29CDBAABF2FBE3467CC254F81BE8E78D765A2E63339F"),
	  ST_HEX("C99A66320DB73158A35A255D"), ST_HEX("6CE77F1A5616C505B6AEC09420234036") },
};

static void st_gcm_empty_plaintext(struct kunit *test)
{
	st_prim_run(test, &smbsign_gmac_backend, test->param_value);
}

/* RFC 1321 "abc...xyz", as SMB1 uses MD5: MACKey || data. */
static void st_md5_rfc1321(struct kunit *test)
{
	const struct st_prim v = {
		"abc", ST_HEX("6162636465666768696A6B6C6D6E6F70"),
		ST_HEX("7172737475767778797A"), NULL,
		ST_HEX("C3FCD3D76192E4007DFB496CCA67E13B")
	};

	st_prim_run(test, &smbsign_md5_backend, &v);
}

static void st_prim_desc(const struct st_prim *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(st_cmac, st_cmac, st_prim_desc);
KUNIT_ARRAY_PARAM(st_hmac, st_hmac, st_prim_desc);
KUNIT_ARRAY_PARAM(st_gcm, st_gcm, st_prim_desc);

/* The kernel's own gcm(aes): encrypt nothing, all associated data. */
static int st_gcm_aead_tag(struct kunit *test, const u8 *key, const u8 *iv,
			   u8 *aad, size_t len, u8 *tag)
{
	struct crypto_aead *tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	struct scatterlist sg[2];
	struct aead_request *req;
	DECLARE_CRYPTO_WAIT(wait);
	u8 *buf;
	int ret;

	KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
	buf = kmalloc(len + 16, GFP_KERNEL);
	req = aead_request_alloc(tfm, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, req);
	memcpy(buf, aad, len);
	ret = crypto_aead_setkey(tfm, key, 16);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, 16);
	sg_init_one(sg, buf, len + 16);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP, crypto_req_done,
				  &wait);
	aead_request_set_ad(req, len);
	aead_request_set_crypt(req, sg, sg, 0, (u8 *)iv);
	if (!ret)
		ret = crypto_wait_req(crypto_aead_encrypt(req), &wait);
	memcpy(tag, buf + len, 16);
	aead_request_free(req);
	kfree(buf);
	crypto_free_aead(tfm);
	return ret;
}

/*
 * smbsign's GMAC is GHASH plus one AES block, not gcm(aes): check the two
 * agree on random keys, nonces and lengths, across GHASH's 16-byte blocks
 * and the scatterlist chunking (more than 16 pages).
 */
static void st_gmac_matches_gcm_aes(struct kunit *test)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 63, 64, 65, 100, 4095,
				       4096, 4097, 70000, 200003 };
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 42);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		u8 k[16], iv[12], want[16], got[16];
		struct smbsign_key *key;
		u8 *aad = kvmalloc(lens[i] + 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, aad);
		prandom_bytes_state(&rnd, k, sizeof(k));
		prandom_bytes_state(&rnd, iv, sizeof(iv));
		prandom_bytes_state(&rnd, aad, lens[i]);
		key = smbsign_key_new(&smbsign_gmac_backend, k, 16, GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(key));
		KUNIT_EXPECT_EQ(test, smbsign_mac_buf(key, iv, aad, lens[i], got), 0);
		smbsign_key_put(key);
		if (is_vmalloc_addr(aad)) {
			/* gcm(aes) cannot take vmalloc memory through sg_init_one */
			u8 *lin = kmalloc(lens[i], GFP_KERNEL);

			if (!lin) {
				kvfree(aad);
				continue;
			}
			memcpy(lin, aad, lens[i]);
			KUNIT_EXPECT_EQ(test, st_gcm_aead_tag(test, k, iv, lin, lens[i], want), 0);
			kfree(lin);
		} else {
			KUNIT_EXPECT_EQ(test, st_gcm_aead_tag(test, k, iv, aad, lens[i], want), 0);
		}
		KUNIT_EXPECT_MEMEQ_MSG(test, got, want, 16, "length %zu", lens[i]);
		kvfree(aad);
	}
}

/* The load-time self-tests themselves pass and catch a wrong answer. */
static void st_selftests_pass(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, smbsign_selftest(&smbsign_hmac_backend), 0);
	KUNIT_EXPECT_EQ(test, smbsign_selftest(&smbsign_cmac_backend), 0);
	KUNIT_EXPECT_EQ(test, smbsign_selftest(&smbsign_gmac_backend), 0);
	KUNIT_EXPECT_EQ(test, smbsign_selftest(&smbsign_md5_backend), 0);
}

/* What the driver names start with: the library's, or the crypto API's. */
#ifdef SMBSIGN_LIB_HMAC
#define ST_HMAC_DRIVER	"hmac-sha256-lib/"
#else
#define ST_HMAC_DRIVER	"hmac("
#endif
#ifdef SMBSIGN_LIB_CMAC
#define ST_CMAC_DRIVER	"cmac-aes-lib/"
#else
#define ST_CMAC_DRIVER	"cmac("
#endif
#ifdef SMBSIGN_LIB_GMAC
#define ST_GMAC_DRIVER	"ghash-lib/"
#else
#define ST_GMAC_DRIVER	"ghash"
#endif

/* The drivers the keys got are recorded, for the stats and the demo. */
static void st_drivers_recorded(struct kunit *test)
{
	char drv[SMBSIGN_DRIVER_NAME_MAX];

	smbsign_stats_driver(SMBSIGN_IDX_CMAC, drv, sizeof(drv));
	KUNIT_EXPECT_NOT_NULL(test, strstr(drv, ST_CMAC_DRIVER));
	smbsign_stats_driver(SMBSIGN_IDX_HMAC, drv, sizeof(drv));
	KUNIT_EXPECT_NOT_NULL(test, strstr(drv, ST_HMAC_DRIVER));
	smbsign_stats_driver(SMBSIGN_IDX_GMAC, drv, sizeof(drv));
	KUNIT_EXPECT_NOT_NULL(test, strstr(drv, ST_GMAC_DRIVER));
}

static struct kunit_case st_primitive_cases[] = {
	KUNIT_CASE_PARAM(st_cmac_rfc4493, st_cmac_gen_params),
	KUNIT_CASE_PARAM(st_hmac_rfc4231, st_hmac_gen_params),
	KUNIT_CASE_PARAM(st_gcm_empty_plaintext, st_gcm_gen_params),
	KUNIT_CASE(st_md5_rfc1321),
	KUNIT_CASE(st_gmac_matches_gcm_aes),
	KUNIT_CASE(st_selftests_pass),
	KUNIT_CASE(st_drivers_recorded),
	{}
};

static struct kunit_suite st_primitive_suite = {
	.name = "smbsign_primitives",
	.test_cases = st_primitive_cases,
};

kunit_test_suite(st_primitive_suite);
