// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where sign and verify may be called: any context but NMI, and they never
 * sleep (the debug kernel's DEBUG_ATOMIC_SLEEP turns any sleep in atomic
 * context into a report that fails the run). With interrupts off, inside a
 * kernel-mode FPU section (where no SIMD code may run, so the crypto
 * drivers take their fallbacks), every algorithm gives the signature it
 * gives in process context; AES-GMAC's constant-time software GHASH is
 * also checked against ghash-generic on its own.
 */
#include <crypto/hash.h>
#include <linux/irqflags.h>
#include <linux/random.h>
#include <linux/vmalloc.h>
#ifdef CONFIG_X86
#include <asm/fpu/api.h>
#endif

#include "util.h"

#define ST_KEY "F00DFACE0123456789ABCDEFFEEDBEEF"

KUNIT_ARRAY_PARAM(st_ctx_alg, st_smb2_algs, st_alg_desc);

enum st_ctx {
	ST_CTX_IRQS_OFF,
	ST_CTX_NO_SIMD,
};

/* Sign and verify a compound of two PDUs, the second with pages. */
struct st_ctx_msg {
	u8 *msg;
	struct kvec iov;
	struct st_pages *pages;
	size_t len;
};

static void st_ctx_msg_init(struct kunit *test, struct st_ctx_msg *c, u64 mid,
			    size_t body)
{
	c->len = 128 + body;
	c->msg = st_message(test, c->len, mid, (u32)mid);
	memcpy(c->msg + 128, c->msg, SMBSIGN_SMB2_HDR_SIZE);
	put_unaligned_le32(128, c->msg + SMB2_NEXT_OFF);
	put_unaligned_le64(mid + 1, c->msg + 128 + SMB2_MID_OFF);
	c->iov.iov_base = c->msg;
	c->iov.iov_len = 200;
	c->pages = st_to_pages(test, c->msg + 200, c->len - 200, 17, 1000);
}

static int st_in_context(enum st_ctx ctx, struct smbsign_key *key,
			 struct st_ctx_msg *c, bool sign)
{
	unsigned long flags;
	int ret;

	switch (ctx) {
	case ST_CTX_IRQS_OFF:
		local_irq_save(flags);
		ret = sign ? smbsign_sign_compound(key, &c->iov, 1, &c->pages->iter) :
			     smbsign_verify_compound(key, &c->iov, 1, &c->pages->iter);
		local_irq_restore(flags);
		return ret;
	case ST_CTX_NO_SIMD:
#ifdef CONFIG_X86
		kernel_fpu_begin();
		ret = sign ? smbsign_sign_compound(key, &c->iov, 1, &c->pages->iter) :
			     smbsign_verify_compound(key, &c->iov, 1, &c->pages->iter);
		kernel_fpu_end();
		return ret;
#else
		return -EOPNOTSUPP;
#endif
	}
	return -EINVAL;
}

static void st_context(struct kunit *test, enum st_ctx ctx)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_key *key = st_key(test, alg, ST_KEY);
	struct smbsign_key *rkey = st_key(test, alg, ST_KEY);
	static const size_t bodies[] = { 0, 15, 4096 + 5, 20000 };
	unsigned int i;

	if (ctx == ST_CTX_NO_SIMD && !IS_ENABLED(CONFIG_X86))
		kunit_skip(test, "kernel_fpu_begin() is x86 only");
	for (i = 0; i < ARRAY_SIZE(bodies); i++) {
		struct st_ctx_msg a, b;

		st_ctx_msg_init(test, &a, 10 + 2 * i, 72 + bodies[i]);
		st_ctx_msg_init(test, &b, 10 + 2 * i, 72 + bodies[i]);
		KUNIT_ASSERT_EQ(test, st_in_context(ctx, key, &a, true), 0);
		KUNIT_ASSERT_EQ(test, smbsign_sign_compound(rkey, &b.iov, 1,
							    &b.pages->iter), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, a.msg, b.msg, 200, "body %zu",
				       bodies[i]);
		KUNIT_EXPECT_EQ(test, st_in_context(ctx, key, &b, false), 0);
		KUNIT_EXPECT_EQ(test, smbsign_verify_compound(key, &a.iov, 1,
							      &a.pages->iter), 0);
		a.msg[195] ^= 1;	/* a body byte of the second PDU */
		KUNIT_EXPECT_EQ(test, st_in_context(ctx, key, &a, false), -EBADMSG);
	}
}

static void st_context_irqs_off(struct kunit *test)
{
	st_context(test, ST_CTX_IRQS_OFF);
}

static void st_context_no_simd(struct kunit *test)
{
	st_context(test, ST_CTX_NO_SIMD);
}

#ifndef SMBSIGN_LIB_GMAC
/*
 * The constant-time GHASH (gf128.c) against the kernel's ghash-generic,
 * an independent table implementation: random keys, random lengths,
 * random splits into update calls.
 */
static void st_ghash_ct_matches_generic(struct kunit *test)
{
	struct crypto_shash *tfm = crypto_alloc_shash("ghash-generic", 0, 0);
	u8 *data = kunit_kmalloc(test, 3000, GFP_KERNEL);
	u8 h[16], want[16], got[16];
	unsigned int round;

	if (IS_ERR(tfm))
		kunit_skip(test, "no ghash-generic (%ld)", PTR_ERR(tfm));
	KUNIT_ASSERT_NOT_NULL(test, data);
	for (round = 0; round < 200; round++) {
		SHASH_DESC_ON_STACK(desc, tfm);
		struct smbsign_ghash_ct g;
		u64 hw[2];
		size_t len = round < 50 ? round * 16 : get_random_u32_below(3000) & ~15;
		size_t cut = len ? get_random_u32_below(len) : 0;

		get_random_bytes(h, sizeof(h));
		if (round == 1)
			memset(h, 0xff, sizeof(h));
		get_random_bytes(data, len);
		KUNIT_ASSERT_EQ(test, crypto_shash_setkey(tfm, h, 16), 0);
		desc->tfm = tfm;
		KUNIT_ASSERT_EQ(test, crypto_shash_digest(desc, data, len, want), 0);
		hw[0] = get_unaligned_be64(h);
		hw[1] = get_unaligned_be64(h + 8);
		smbsign_ghash_ct_init(&g, hw);
		smbsign_ghash_ct_update(&g, data, cut);
		smbsign_ghash_ct_update(&g, data + cut, len - cut);
		smbsign_ghash_ct_final(&g, got);
		KUNIT_EXPECT_MEMEQ_MSG(test, got, want, 16, "round %u len %zu",
				       round, len);
	}
	crypto_free_shash(tfm);
}
#endif

static struct kunit_case st_context_cases[] = {
	KUNIT_CASE_PARAM(st_context_irqs_off, st_ctx_alg_gen_params),
	KUNIT_CASE_PARAM(st_context_no_simd, st_ctx_alg_gen_params),
#ifndef SMBSIGN_LIB_GMAC
	KUNIT_CASE(st_ghash_ct_matches_generic),
#endif
	{}
};

static struct kunit_suite st_context_suite = {
	.name = "smbsign_context",
	.test_cases = st_context_cases,
};

kunit_test_suite(st_context_suite);
