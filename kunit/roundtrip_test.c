// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sign and verify across the layouts cifs and ksmbd really use: the
 * message split over 1..N kvecs at every boundary (the header and its
 * Signature field included), bodies in pages behind ITER_BVEC and
 * ITER_FOLIOQ, vmalloc, stack and module memory. The signature must not depend on
 * the layout, every single-byte change must fail verification, and verify
 * must never write.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#ifdef SMBSIGN_HAVE_ITER_FOLIOQ
#include <linux/folio_queue.h>
#endif

#include "util.h"

#define ST_KEY "0123456789ABCDEF0123456789ABCDEF"

KUNIT_ARRAY_PARAM(st_alg, st_smb2_algs, st_alg_desc);

static struct smbsign_key *st_param_key(struct kunit *test)
{
	return st_key(test, *(const enum smbsign_alg *)test->param_value, ST_KEY);
}

/*
 * The signature of a contiguous copy: what every layout must produce.
 * @ref_key has the same bytes as the key under test but is another
 * context: an AES-GMAC key signs each MessageId once.
 */
static void st_reference_sig(struct kunit *test, struct smbsign_key *ref_key,
			     const u8 *msg, size_t len, u8 *sig)
{
	u8 *copy = kunit_kmalloc(test, len, GFP_KERNEL);
	struct kvec iov = { .iov_base = copy, .iov_len = len };

	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, msg, len);
	KUNIT_ASSERT_EQ(test, smbsign_sign(ref_key, &iov, 1, NULL), 0);
	memcpy(sig, copy + SMB2_SIG_OFF, SMBSIGN_SIG_SIZE);
	kunit_kfree(test, copy);
}

static void st_two_kvecs_every_boundary(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	const size_t len = 150;
	u8 *msg = st_message(test, len, 3, 11);
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);
	u8 ref[SMBSIGN_SIG_SIZE];
	size_t cut;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (cut = 0; cut <= len; cut++) {
		unsigned int nvec;
		struct kvec *iov;

		put_unaligned_le64(100 + cut, msg + SMB2_MID_OFF);
		st_reference_sig(test, rkey, msg, len, ref);
		memcpy(buf, msg, len);
		iov = st_split(test, buf, len, &cut, 1, &nvec);
		KUNIT_ASSERT_EQ_MSG(test, smbsign_sign(key, iov, nvec, NULL), 0,
				    "cut %zu", cut);
		KUNIT_EXPECT_MEMEQ_MSG(test, buf + SMB2_SIG_OFF, ref, 16, "cut %zu", cut);
		KUNIT_EXPECT_EQ_MSG(test, smbsign_verify(key, iov, nvec, NULL), 0,
				    "cut %zu", cut);
		kunit_kfree(test, iov);
	}
}

/* 1..N kvecs of equal size, and every byte of the header in its own kvec. */
static void st_n_kvecs(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	const size_t len = 96;
	u8 *msg = st_message(test, len, 4, 12);
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);
	size_t cuts[95];
	u8 ref[SMBSIGN_SIG_SIZE];
	unsigned int n, i, nvec;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (n = 1; n <= len; n++) {
		struct kvec *iov;

		for (i = 0; i + 1 < n; i++)
			cuts[i] = (i + 1) * len / n;
		put_unaligned_le64(100 + n, msg + SMB2_MID_OFF);
		st_reference_sig(test, rkey, msg, len, ref);
		memcpy(buf, msg, len);
		iov = st_split(test, buf, len, cuts, n - 1, &nvec);
		KUNIT_ASSERT_EQ(test, nvec, n);
		KUNIT_ASSERT_EQ_MSG(test, smbsign_sign(key, iov, nvec, NULL), 0,
				    "%u kvecs", n);
		KUNIT_EXPECT_MEMEQ_MSG(test, buf + SMB2_SIG_OFF, ref, 16, "%u kvecs", n);
		KUNIT_EXPECT_EQ(test, smbsign_verify(key, iov, nvec, NULL), 0);
		kunit_kfree(test, iov);
	}
}

/* Header + fixed body in kvecs, the payload in pages (READ/WRITE). */
static void st_body_in_bvec_pages(struct kunit *test)
{
	static const size_t bodies[] = { 1, 100, 4096, 20000, 65536 + 7 };
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bodies); i++) {
		size_t len = 112 + bodies[i];
		u8 *msg = st_message(test, len, 5 + i, 13 + i);
		struct kvec iov = { .iov_base = msg, .iov_len = 112 };
		struct st_pages *p;
		u8 ref[SMBSIGN_SIG_SIZE];

		st_reference_sig(test, rkey, msg, len, ref);
		p = st_to_pages(test, msg + 112, bodies[i], 100 + i, 3000);
		KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, &p->iter), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, msg + SMB2_SIG_OFF, ref, 16,
				       "body %zu", bodies[i]);
		KUNIT_EXPECT_EQ(test, iov_iter_count(&p->iter), bodies[i]);
		KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, &p->iter), 0);

		/* a change in the last page of the payload must be caught */
		msg[len - 1] ^= 1;
		p = st_to_pages(test, msg + 112, bodies[i], 100 + i, 3000);
		KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, &p->iter), -EBADMSG);
	}
}

/* An iterator already part-consumed: only what remains is signed. */
static void st_iter_offset_respected(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	const size_t len = 64 + 5000;
	u8 *msg = st_message(test, len, 9, 21);
	u8 *pre = kunit_kmalloc(test, 300 + 5000, GFP_KERNEL);
	struct kvec iov = { .iov_base = msg, .iov_len = 64 };
	u8 ref[SMBSIGN_SIG_SIZE];
	struct st_pages *p;

	KUNIT_ASSERT_NOT_NULL(test, pre);
	st_reference_sig(test, rkey, msg, len, ref);
	memset(pre, 0xaa, 300);
	memcpy(pre + 300, msg + 64, 5000);
	p = st_to_pages(test, pre, 5300, 0, 1024);
	iov_iter_advance(&p->iter, 300);
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, &p->iter), 0);
	KUNIT_EXPECT_MEMEQ(test, msg + SMB2_SIG_OFF, ref, 16);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&p->iter), 5000);
}

/* Data as an ITER_KVEC, as ksmbd passes read buffers. */
static void st_body_in_kvec_iter(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	const size_t len = 64 + 3 * 700;
	u8 *msg = st_message(test, len, 10, 22);
	struct kvec hdr = { .iov_base = msg, .iov_len = 64 };
	struct kvec body[3];
	struct iov_iter it;
	u8 ref[SMBSIGN_SIG_SIZE];
	unsigned int i;

	st_reference_sig(test, rkey, msg, len, ref);
	for (i = 0; i < 3; i++) {
		body[i].iov_base = msg + 64 + 700 * i;
		body[i].iov_len = 700;
	}
	iov_iter_kvec(&it, ITER_SOURCE, body, 3, 2100);
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &hdr, 1, &it), 0);
	KUNIT_EXPECT_MEMEQ(test, msg + SMB2_SIG_OFF, ref, 16);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &hdr, 1, &it), 0);
}

#ifdef SMBSIGN_HAVE_ITER_FOLIOQ
static void st_free_folioq(void *arg)
{
	struct folio_queue *fq = arg;
	unsigned int i;

	for (i = 0; i < folioq_count(fq); i++)
		folio_put(folioq_folio(fq, i));
	kfree(fq);
}

/* Pages in a folio_queue (ITER_FOLIOQ), as netfs hands them to cifs. */
static void st_body_in_folioq(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	const size_t body = 3 * PAGE_SIZE + 123;
	u8 *msg = st_message(test, 64 + body, 11, 23);
	struct kvec hdr = { .iov_base = msg, .iov_len = 64 };
	struct folio_queue *fq = kzalloc(sizeof(*fq), GFP_KERNEL);
	u8 ref[SMBSIGN_SIG_SIZE];
	struct iov_iter it;
	size_t done = 0;

	KUNIT_ASSERT_NOT_NULL(test, fq);
	folioq_init(fq, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, st_free_folioq, fq), 0);
	st_reference_sig(test, rkey, msg, 64 + body, ref);
	while (done < body) {
		struct folio *folio = folio_alloc(GFP_KERNEL, 0);
		size_t n = min_t(size_t, PAGE_SIZE, body - done);

		KUNIT_ASSERT_NOT_NULL(test, folio);
		folioq_append(fq, folio);
		memcpy_to_page(folio_page(folio, 0), 0, msg + 64 + done, n);
		done += n;
	}
	iov_iter_folio_queue(&it, ITER_SOURCE, fq, 0, 0, body);
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &hdr, 1, &it), 0);
	KUNIT_EXPECT_MEMEQ(test, msg + SMB2_SIG_OFF, ref, 16);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &hdr, 1, &it), 0);
}
#endif

/* A 1 MiB WRITE in 256 pages, and the same message in vmalloc memory. */
static void st_one_mib(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	const size_t body = 1 << 20, len = 112 + body;
	u8 *vmsg = vmalloc(len);
	u8 *msg = st_message(test, 112, 12, 24);
	struct kvec iov = { .iov_base = msg, .iov_len = 112 };
	struct kvec viov = { .iov_base = vmsg, .iov_len = len };
	struct st_pages *p;

	KUNIT_ASSERT_NOT_NULL(test, vmsg);
	memcpy(vmsg, msg, 112);
	get_random_bytes(vmsg + 112, body);
	p = st_to_pages(test, vmsg + 112, body, 0, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, p->npages, 256);
	KUNIT_EXPECT_EQ(test, smbsign_sign(key, &iov, 1, &p->iter), 0);
	KUNIT_EXPECT_EQ(test, smbsign_sign(rkey, &viov, 1, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, vmsg + SMB2_SIG_OFF, msg + SMB2_SIG_OFF, 16);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &viov, 1, NULL), 0);
	vmsg[len / 2] ^= 0x40;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &viov, 1, NULL), -EBADMSG);
	vfree(vmsg);
}

/* A message on the stack (VMAP_STACK: vmalloc pages) signs like any other. */
static void st_message_on_stack(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	u8 *ref_msg = st_message(test, 80, 13, 25);
	u8 msg[80];
	struct kvec iov = { .iov_base = msg, .iov_len = sizeof(msg) };
	u8 ref[SMBSIGN_SIG_SIZE];

	st_reference_sig(test, rkey, ref_msg, 80, ref);
	memcpy(msg, ref_msg, sizeof(msg));
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, msg + SMB2_SIG_OFF, ref, 16);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
}

/*
 * Kvecs into a module's own data and rodata: cifs pads its compound
 * requests from a static array inside cifs.ko. Only the header is
 * written, so the padding may be read-only.
 */
static u8 st_static_msg[200];
static const u8 st_static_pad[8];

static void st_module_memory(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *rkey = st_param_key(test);
	u8 *msg = st_message(test, sizeof(st_static_msg), 14, 32);
	u8 *flat = kunit_kzalloc(test, sizeof(st_static_msg) +
				 sizeof(st_static_pad), GFP_KERNEL);
	struct kvec iov[2] = {
		{ .iov_base = st_static_msg, .iov_len = sizeof(st_static_msg) },
		{ .iov_base = (void *)st_static_pad,
		  .iov_len = sizeof(st_static_pad) },
	};
	u8 ref[SMBSIGN_SIG_SIZE];

	KUNIT_ASSERT_NOT_NULL(test, flat);
	memcpy(flat, msg, sizeof(st_static_msg));
	st_reference_sig(test, rkey, flat, sizeof(st_static_msg) +
			 sizeof(st_static_pad), ref);
	memcpy(st_static_msg, msg, sizeof(st_static_msg));
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, iov, 2, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, st_static_msg + SMB2_SIG_OFF, ref, 16);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, iov, 2, NULL), 0);
	st_static_msg[100] ^= 1;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, iov, 2, NULL), -EBADMSG);
}

/*
 * Every single-byte change anywhere, signature included, is detected:
 * -EBADMSG, or -EINVAL where the change makes it no SMB2 message.
 */
static void st_every_byte_flip_fails(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	const size_t len = 64 + 136 + 300;
	u8 *msg = st_message(test, len, 0x1234, 26);
	struct kvec iov[1] = {
		{ .iov_base = msg, .iov_len = len },
	};
	struct st_pages *p;
	size_t i;

	KUNIT_ASSERT_EQ(test, smbsign_sign(key, iov, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, smbsign_verify(key, iov, 1, NULL), 0);
	for (i = 0; i < len; i++) {
		/* a changed ProtocolId is no SMB2 message at all: malformed */
		int want = i < 4 ? -EINVAL : -EBADMSG;

		msg[i] ^= 0x5a;
		KUNIT_EXPECT_EQ_MSG(test, smbsign_verify(key, iov, 1, NULL),
				    want, "byte %zu", i);
		msg[i] ^= 0x5a;
	}
	/* the same through kvec + pages */
	iov[0].iov_len = 200;
	p = st_to_pages(test, msg + 200, len - 200, 10, 128);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, iov, 1, &p->iter), 0);
	for (i = 0; i < p->npages; i++) {
		u8 *va = kmap_local_page(p->bv[i].bv_page) + p->bv[i].bv_offset;

		va[p->bv[i].bv_len - 1] ^= 1;
		KUNIT_EXPECT_EQ(test, smbsign_verify(key, iov, 1, &p->iter), -EBADMSG);
		va[p->bv[i].bv_len - 1] ^= 1;
		kunmap_local(va);
	}
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, iov, 1, &p->iter), 0);
}

/* A truncated or extended message fails too. */
static void st_length_change_fails(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	u8 *msg = st_message(test, 160, 77, 27);
	struct kvec iov = { .iov_base = msg, .iov_len = 150 };

	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	iov.iov_len = 149;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
	iov.iov_len = 151;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
}

static void st_wrong_key_fails(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_key *other = st_key(test, alg, "0123456789ABCDEF0123456789ABCDEE");
	u8 *msg = st_message(test, 128, 78, 28);
	struct kvec iov = { .iov_base = msg, .iov_len = 128 };

	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(other, &iov, 1, NULL), -EBADMSG);
}

/* Verify leaves the message alone, whether it passes or fails. */
static void st_verify_never_writes(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	u8 *msg = st_message(test, 128, 79, 29);
	u8 *before = kunit_kmalloc(test, 128, GFP_KERNEL);
	struct kvec iov = { .iov_base = msg, .iov_len = 128 };

	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	memcpy(before, msg, 128);
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, msg, before, 128);
	msg[100] ^= 1;
	before[100] ^= 1;
	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
	KUNIT_EXPECT_MEMEQ(test, msg, before, 128);
}

/* An unsigned message (flag clear, zero signature) never verifies. */
static void st_unsigned_message_fails(struct kunit *test)
{
	struct smbsign_key *key = st_param_key(test);
	u8 *msg = st_message(test, 128, 80, 30);
	struct kvec iov = { .iov_base = msg, .iov_len = 128 };

	KUNIT_EXPECT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
}

/* The counters move by exactly what was done. */
static void st_stats_count(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_key *key = st_param_key(test);
	struct smbsign_stats a, b;
	u8 *msg = st_message(test, 300, 81, 31);
	struct kvec iov = { .iov_base = msg, .iov_len = 300 };

	KUNIT_ASSERT_EQ(test, smbsign_get_stats(alg, &a), 0);
	KUNIT_ASSERT_EQ(test, smbsign_sign(key, &iov, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, smbsign_verify(key, &iov, 1, NULL), 0);
	msg[299] ^= 1;
	KUNIT_ASSERT_EQ(test, smbsign_verify(key, &iov, 1, NULL), -EBADMSG);
	KUNIT_ASSERT_EQ(test, smbsign_verify(key, &iov, 0, NULL), -EINVAL);
	KUNIT_ASSERT_EQ(test, smbsign_get_stats(alg, &b), 0);
	KUNIT_EXPECT_EQ(test, b.signed_msgs - a.signed_msgs, 1);
	KUNIT_EXPECT_EQ(test, b.signed_bytes - a.signed_bytes, 300);
	KUNIT_EXPECT_EQ(test, b.verified_msgs - a.verified_msgs, 1);
	KUNIT_EXPECT_EQ(test, b.verified_bytes - a.verified_bytes, 300);
	KUNIT_EXPECT_EQ(test, b.verify_failed - a.verify_failed, 1);
	KUNIT_EXPECT_EQ(test, b.errors - a.errors, 1);
}

static struct kunit_case st_roundtrip_cases[] = {
	KUNIT_CASE_PARAM(st_two_kvecs_every_boundary, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_n_kvecs, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_body_in_bvec_pages, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_iter_offset_respected, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_body_in_kvec_iter, st_alg_gen_params),
#ifdef SMBSIGN_HAVE_ITER_FOLIOQ
	KUNIT_CASE_PARAM(st_body_in_folioq, st_alg_gen_params),
#endif
	KUNIT_CASE_PARAM(st_one_mib, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_message_on_stack, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_module_memory, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_every_byte_flip_fails, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_length_change_fails, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_wrong_key_fails, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_verify_never_writes, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_unsigned_message_fails, st_alg_gen_params),
	KUNIT_CASE_PARAM(st_stats_count, st_alg_gen_params),
	{}
};

static struct kunit_suite st_roundtrip_suite = {
	.name = "smbsign_roundtrip",
	.test_cases = st_roundtrip_cases,
};

kunit_test_suite(st_roundtrip_suite);
