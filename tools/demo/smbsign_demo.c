// SPDX-License-Identifier: GPL-2.0-only
/*
 * smbsign_demo: what a consumer does, shown on sample messages. For each
 * SMB2 algorithm: derive the signing key as the dialect prescribes, sign
 * an SMB2 WRITE whose payload is in pages, verify it, then verify it
 * again after one payload byte was changed in transit. Printed to the
 * kernel log; `make demo` loads it in the guest.
 */
#include <linux/bvec.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smbsign.h>
#include <linux/uio.h>

#include "../../smbsign/compat.h"

MODULE_IMPORT_NS(SMBSIGN_NS);

/* Keys kept alive until unload: the harness checks they pin smbsign. */
static unsigned int hold_keys;
module_param(hold_keys, uint, 0444);
MODULE_PARM_DESC(hold_keys, "AES-CMAC keys to keep until this module is unloaded (default 0)");
static struct smbsign_key *held[8];

#define DEMO_HDR	112	/* SMB2 header + WRITE request fixed part */
#define DEMO_DATA	8192	/* payload, in two pages */

static const struct {
	enum smbsign_alg alg;
	u16 dialect;
} demo_cases[] = {
	{ SMBSIGN_ALG_HMAC_SHA256, 0x0210 },
	{ SMBSIGN_ALG_AES_CMAC, 0x0300 },
	{ SMBSIGN_ALG_AES_GMAC, 0x0311 },
};

static int demo_one(enum smbsign_alg alg, u16 dialect, u8 *hdr,
		    struct page **pages)
{
	static const u8 session_key[16] = "smbsign-demo-key";
	u8 preauth[SMBSIGN_PREAUTH_HASH_SIZE], signing_key[SMBSIGN_KEY_SIZE];
	struct kvec iov = { .iov_base = hdr, .iov_len = DEMO_HDR };
	struct bio_vec bv[2];
	struct smbsign_key *key;
	struct iov_iter data;
	int ret, tampered;
	u8 *p;

	memset(preauth, 0xa5, sizeof(preauth));
	ret = smbsign_derive_signing_key(dialect, session_key,
					 sizeof(session_key), preauth,
					 signing_key);
	if (ret)
		return ret;
	key = smbsign_key_alloc(alg, signing_key, sizeof(signing_key),
				GFP_KERNEL);
	memzero_explicit(signing_key, sizeof(signing_key));
	if (IS_ERR(key))
		return PTR_ERR(key);

	memset(hdr + 48, 0, 16);
	bvec_set_page(&bv[0], pages[0], PAGE_SIZE, 0);
	bvec_set_page(&bv[1], pages[1], DEMO_DATA - PAGE_SIZE, 0);
	iov_iter_bvec(&data, ITER_SOURCE, bv, 2, DEMO_DATA);

	ret = smbsign_sign(key, &iov, 1, &data);
	if (!ret)
		ret = smbsign_verify(key, &iov, 1, &data);
	pr_info("smbsign_demo: dialect %x.%02x %-11s signed %u-byte WRITE (header in a kvec, %u bytes in 2 pages): signature %16phN, verify %s\n",
		dialect >> 8, dialect & 0xff, smbsign_alg_name(alg),
		DEMO_HDR + DEMO_DATA, DEMO_DATA, hdr + 48,
		ret ? "FAILED" : "ok");

	p = kmap_local_page(pages[1]);
	p[100] ^= 0x01;			/* one bit flipped on the wire */
	tampered = smbsign_verify(key, &iov, 1, &data);
	p[100] ^= 0x01;
	kunmap_local(p);
	pr_info("smbsign_demo: dialect %x.%02x %-11s one payload bit flipped: verify %s (%d)\n",
		dialect >> 8, dialect & 0xff, smbsign_alg_name(alg),
		tampered == -EBADMSG ? "rejected, -EBADMSG" : "NOT REJECTED",
		tampered);
	smbsign_key_put(key);
	if (!ret && tampered != -EBADMSG)
		ret = -EIO;
	return ret;
}

static void demo_drop_held(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(held); i++) {
		smbsign_key_put(held[i]);
		held[i] = NULL;
	}
}

static int demo_hold(void)
{
	static const u8 k[SMBSIGN_KEY_SIZE] = "held-demo-key-00";
	unsigned int i;

	if (hold_keys > ARRAY_SIZE(held))
		return -EINVAL;
	for (i = 0; i < hold_keys; i++) {
		held[i] = smbsign_key_alloc(SMBSIGN_ALG_AES_CMAC, k, sizeof(k),
					    GFP_KERNEL);
		if (IS_ERR(held[i])) {
			int ret = PTR_ERR(held[i]);

			held[i] = NULL;
			demo_drop_held();
			return ret;
		}
	}
	return 0;
}

static int __init smbsign_demo_init(void)
{
	struct page *pages[2] = {};
	unsigned int i;
	int ret = -ENOMEM;
	u8 *hdr;

	if (hold_keys)
		return demo_hold();

	hdr = kzalloc(DEMO_HDR, GFP_KERNEL);
	pages[0] = alloc_page(GFP_KERNEL);
	pages[1] = alloc_page(GFP_KERNEL);
	if (!hdr || !pages[0] || !pages[1])
		goto out;
	memcpy(hdr, "\xfeSMB\x40\x00\x01\x00", 8);
	hdr[12] = 0x09;				/* WRITE */
	hdr[24] = 0x2a;				/* MessageId 42 */
	memcpy(hdr + 40, "\x19\x00\x00\x00\x00\x10\x00\x00", 8);
	hdr[64] = 0x31;				/* StructureSize 49 */
	for (i = 0; i < 2; i++)
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);

	for (i = 0; i < ARRAY_SIZE(demo_cases); i++) {
		ret = demo_one(demo_cases[i].alg, demo_cases[i].dialect, hdr,
			       pages);
		if (ret)
			break;
	}
out:
	kfree(hdr);
	for (i = 0; i < 2; i++)
		if (pages[i])
			__free_page(pages[i]);
	return ret;
}

static void __exit smbsign_demo_exit(void)
{
	demo_drop_held();
}

module_init(smbsign_demo_init);
module_exit(smbsign_demo_exit);
MODULE_DESCRIPTION("smbsign demonstration consumer");
MODULE_LICENSE("GPL");
