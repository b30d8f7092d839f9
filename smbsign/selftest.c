// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known-answer tests run at module load (and before allow_smb1 is turned
 * on): one published vector per algorithm through the same code the
 * sign/verify path uses, so a broken or mis-selected crypto driver stops
 * smbsign from loading instead of producing bad signatures. The vectors
 * are MACed where they are, in the module's rodata: the kind of memory
 * cifs pads its compounds from.
 */
#include <linux/err.h>
#include <linux/string.h>

#include "gmac.h"
#include "kdf.h"

/* RFC 4231 test case 2 (first 16 bytes of the HMAC). */
static const u8 kat_hmac_key[] = {
	0x4a, 0x65, 0x66, 0x65,
};

static const u8 kat_hmac_msg[] = {
	0x77, 0x68, 0x61, 0x74, 0x20, 0x64, 0x6f, 0x20,
	0x79, 0x61, 0x20, 0x77, 0x61, 0x6e, 0x74, 0x20,
	0x66, 0x6f, 0x72, 0x20, 0x6e, 0x6f, 0x74, 0x68,
	0x69, 0x6e, 0x67, 0x3f,
};

static const u8 kat_hmac_mac[] = {
	0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
	0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
};

/* RFC 4493 section 4, example 3 (40 bytes). */
static const u8 kat_cmac_key[] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

static const u8 kat_cmac_msg[] = {
	0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
	0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
	0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c,
	0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
	0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11,
};

static const u8 kat_cmac_mac[] = {
	0xdf, 0xa6, 0x67, 0x47, 0xde, 0x9a, 0xe6, 0x30,
	0x30, 0xca, 0x32, 0x61, 0x14, 0x97, 0xc8, 0x27,
};

/* NIST CAVP gcmEncryptExtIV128, PTlen 0, AADlen 128, count 0. */
static const u8 kat_gmac_key[] = {
	0x77, 0xbe, 0x63, 0x70, 0x89, 0x71, 0xc4, 0xe2,
	0x40, 0xd1, 0xcb, 0x79, 0xe8, 0xd7, 0x7f, 0xeb,
};

static const u8 kat_gmac_iv[] = {
	0xe0, 0xe0, 0x0f, 0x19, 0xfe, 0xd7, 0xba, 0x01,
	0x36, 0xa7, 0x97, 0xf3,
};

static const u8 kat_gmac_aad[] = {
	0x7a, 0x43, 0xec, 0x1d, 0x9c, 0x0a, 0x5a, 0x78,
	0xa0, 0xb1, 0x65, 0x33, 0xa6, 0x21, 0x3c, 0xab,
};

static const u8 kat_gmac_tag[] = {
	0x20, 0x9f, 0xcc, 0x8d, 0x36, 0x75, 0xed, 0x93,
	0x8e, 0x9c, 0x71, 0x66, 0x70, 0x9d, 0xd9, 0x46,
};

/* GCM, empty plaintext, one byte of associated data (Go crypto/cipher tests). */
static const u8 kat_gmac1_key[] = {
	0xfb, 0xe3, 0x46, 0x7c, 0xc2, 0x54, 0xf8, 0x1b,
	0xe8, 0xe7, 0x8d, 0x76, 0x5a, 0x2e, 0x63, 0x33,
};

static const u8 kat_gmac1_iv[] = {
	0xc6, 0x69, 0x73, 0x51, 0xff, 0x4a, 0xec, 0x29,
	0xcd, 0xba, 0xab, 0xf2,
};

static const u8 kat_gmac1_aad[] = {
	0x67,
};

static const u8 kat_gmac1_tag[] = {
	0x36, 0x59, 0xcd, 0xc2, 0x52, 0x88, 0xbf, 0x49,
	0x9a, 0xc7, 0x36, 0xc0, 0x3b, 0xfc, 0x11, 0x59,
};

/* SMB 3.0 SigningKey, Microsoft Open Specifications blog 2017-05-26. */
static const u8 kat_kdf_sk[] = {
	0x7c, 0xd4, 0x51, 0x82, 0x5d, 0x04, 0x50, 0xd2,
	0x35, 0x42, 0x4e, 0x44, 0xba, 0x6e, 0x78, 0xcc,
};

static const u8 kat_kdf_signing[] = {
	0x0b, 0x7e, 0x9c, 0x5c, 0xac, 0x36, 0xc0, 0xf6,
	0xea, 0x9a, 0xb2, 0x75, 0x29, 0x8c, 0xed, 0xce,
};

/* RFC 1321 "abc...z", split as MACKey || message. */
static const u8 kat_md5_key[] = {
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
};

static const u8 kat_md5_msg[] = {
	0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
	0x79, 0x7a,
};

static const u8 kat_md5_mac[] = {
	0xc3, 0xfc, 0xd3, 0xd7, 0x61, 0x92, 0xe4, 0x00,
	0x7d, 0xfb, 0x49, 0x6c, 0xca, 0x67, 0xe1, 0x3b,
};

struct smbsign_kat {
	const struct smbsign_backend *be;
	const u8 *key, *msg, *iv, *mac;
	unsigned int keylen, msglen, maclen;
};

#define KAT(b, k, m, i, t) {						\
	.be = &(b), .key = k, .keylen = sizeof(k), .msg = m,		\
	.msglen = sizeof(m), .iv = i, .mac = t, .maclen = sizeof(t) }

static const struct smbsign_kat smbsign_kats[] = {
	KAT(smbsign_hmac_backend, kat_hmac_key, kat_hmac_msg, NULL, kat_hmac_mac),
	KAT(smbsign_cmac_backend, kat_cmac_key, kat_cmac_msg, NULL, kat_cmac_mac),
	KAT(smbsign_gmac_backend, kat_gmac_key, kat_gmac_aad, kat_gmac_iv,
	    kat_gmac_tag),
	KAT(smbsign_gmac_backend, kat_gmac1_key, kat_gmac1_aad, kat_gmac1_iv,
	    kat_gmac1_tag),
	KAT(smbsign_md5_backend, kat_md5_key, kat_md5_msg, NULL, kat_md5_mac),
};

/**
 * smbsign_mac_buf - MAC of a plain buffer (no SMB header, no hole)
 * @key: key context
 * @iv: 12-byte GCM nonce for AES-GMAC, NULL for the others
 * @buf: the data, in any kernel memory
 * @len: its length
 * @out: 16 bytes
 *
 * The primitive under the SMB framing, for the self-tests and the KUnit
 * primitive vectors.
 *
 * Return: 0, or the backend's error.
 */
int smbsign_mac_buf(struct smbsign_key *key, const u8 *iv, const void *buf,
		    size_t len, u8 *out)
{
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct smbsign_msg m;
	struct smbsign_span span;
	int ret;

	ret = smbsign_msg_init(&m, &iov, 1, NULL);
	if (ret)
		return ret;
	span = (struct smbsign_span) {
		.msg = &m, .len = len, .hole_off = len, .hole_len = 0,
	};
	if (key->be == &smbsign_gmac_backend)
		return iv ? smbsign_gmac_raw(key, iv, &span, out) : -EINVAL;
	return key->be->mac(key, &span, out);
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_mac_buf);

static int smbsign_run_kat(const struct smbsign_kat *kat)
{
	struct smbsign_key *key;
	u8 out[SMBSIGN_SIG_SIZE];
	int ret;

	key = smbsign_key_new(kat->be, kat->key, kat->keylen, GFP_KERNEL);
	if (IS_ERR(key))
		return PTR_ERR(key);
	ret = smbsign_mac_buf(key, kat->iv, kat->msg, kat->msglen, out);
	if (!ret && memcmp(out, kat->mac, min_t(size_t, kat->maclen, sizeof(out))))
		ret = -EBADMSG;
	smbsign_key_put(key);
	return ret;
}

static int smbsign_kdf_kat(void)
{
	u8 out[SMBSIGN_KEY_SIZE];
	int ret;

	ret = smbsign_derive_signing_key(0x0300, kat_kdf_sk, sizeof(kat_kdf_sk),
					 NULL, out);
	if (!ret && memcmp(out, kat_kdf_signing, sizeof(out)))
		ret = -EBADMSG;
	return ret;
}

/**
 * smbsign_selftest - run the known-answer tests of one algorithm
 * @be: the backend; the HMAC-SHA256 tests include the KDF
 *
 * Return: 0, or the failing test's error (-EBADMSG for a wrong answer);
 * the failure is logged.
 */
int smbsign_selftest(const struct smbsign_backend *be)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < ARRAY_SIZE(smbsign_kats); i++)
		if (smbsign_kats[i].be == be)
			ret = smbsign_run_kat(&smbsign_kats[i]);
	if (!ret && be == &smbsign_hmac_backend)
		ret = smbsign_kdf_kat();
	if (ret == -ENOMEM)
		pr_err("smbsign: %s self-test could not run: out of memory\n",
		       be->name);
	else if (ret)
		pr_err("smbsign: %s self-test failed (%d)\n", be->name, ret);
	return ret;
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_selftest);
