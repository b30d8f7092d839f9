// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the smbsign KUnit suites. Memory comes from KUnit's
 * managed allocations or is released by a deferred action, so a failed
 * assertion leaks nothing.
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hex.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "util.h"

MODULE_IMPORT_NS(SMBSIGN_NS);
MODULE_IMPORT_NS(SMBSIGN_KUNIT_NS);

const enum smbsign_alg st_smb2_algs[SMBSIGN_NR_SMB2_ALGS] = {
	SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC,
};

void st_alg_desc(const enum smbsign_alg *alg, char *desc)
{
	strscpy(desc, smbsign_alg_name(*alg), KUNIT_PARAM_DESC_SIZE);
}

/* Hex with any whitespace; the vectors are pasted as the sources print them. */
u8 *st_hex(struct kunit *test, const char *hex, size_t *len)
{
	size_t n = 0, i;
	u8 *out;

	for (i = 0; hex[i]; i++)
		n += !isspace(hex[i]);
	KUNIT_ASSERT_EQ(test, n % 2, 0);
	/* never zero-sized: a zero-length vector still needs a real buffer */
	out = kunit_kzalloc(test, n / 2 + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0, n = 0; hex[i]; i++) {
		int v;

		if (isspace(hex[i]))
			continue;
		v = hex_to_bin(hex[i]);
		KUNIT_ASSERT_GE(test, v, 0);
		out[n / 2] |= v << (n % 2 ? 0 : 4);
		n++;
	}
	if (len)
		*len = n / 2;
	return out;
}

/* A vector of vectors.c: NULL-terminated hex lines, joined. */
const char *st_join(struct kunit *test, const char *const *lines)
{
	size_t n = 1, i;
	char *s;

	for (i = 0; lines[i]; i++)
		n += strlen(lines[i]);
	s = kunit_kzalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; lines[i]; i++)
		strcat(s, lines[i]);
	return s;
}

u8 *st_hexv(struct kunit *test, const char *const *lines, size_t *len)
{
	return st_hex(test, st_join(test, lines), len);
}

void st_expect_hex(struct kunit *test, const u8 *got, const char *hex,
		   size_t len)
{
	size_t n;
	u8 *want = st_hex(test, hex, &n);

	KUNIT_ASSERT_GE(test, n, len);
	KUNIT_EXPECT_MEMEQ(test, got, want, len);
}

static void st_put_key(void *key)
{
	smbsign_key_put(key);
}

/* A key from either constructor, put when the test ends. */
static struct smbsign_key *st_track_key(struct kunit *test,
					struct smbsign_key *key)
{
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(key), "key: %d",
			       PTR_ERR_OR_ZERO(key));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, st_put_key, key), 0);
	return key;
}

/* Through the public constructor and its SMB key-length rule. */
struct smbsign_key *st_key(struct kunit *test, enum smbsign_alg alg,
			   const char *hex)
{
	size_t n;
	u8 *k = st_hex(test, hex, &n);

	return st_track_key(test, smbsign_key_alloc(alg, k, n, GFP_KERNEL));
}

/* Any key length the primitive takes: the published primitive vectors. */
struct smbsign_key *st_raw_key(struct kunit *test,
			       const struct smbsign_backend *be,
			       const char *hex)
{
	size_t n;
	u8 *k = st_hex(test, hex, &n);

	return st_track_key(test, smbsign_key_new(be, k, n, GFP_KERNEL));
}

/* A plausible SMB2 WRITE-like message with a pseudo-random body. */
u8 *st_message(struct kunit *test, size_t len, u64 mid, u32 seed)
{
	struct rnd_state rnd;
	u8 *m;

	KUNIT_ASSERT_GE(test, len, (size_t)SMBSIGN_SMB2_HDR_SIZE);
	m = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	prandom_seed_state(&rnd, seed);
	prandom_bytes_state(&rnd, m, len);
	memcpy(m, "\xfeSMB", 4);
	put_unaligned_le16(64, m + 4);			/* StructureSize */
	put_unaligned_le16(1, m + SMB2_CREDIT_CHARGE_OFF);
	put_unaligned_le32(0, m + SMB2_STATUS_OFF);
	put_unaligned_le16(0x0009, m + SMB2_COMMAND_OFF);	/* WRITE */
	put_unaligned_le32(0, m + SMB2_FLAGS_OFF);
	put_unaligned_le32(0, m + SMB2_NEXT_OFF);
	put_unaligned_le64(mid, m + SMB2_MID_OFF);
	put_unaligned_le64(0x0000100000000019ULL, m + SMB2_SID_OFF);
	memset(m + SMB2_SIG_OFF, 0, SMBSIGN_SIG_SIZE);
	return m;
}

struct kvec *st_split(struct kunit *test, u8 *buf, size_t len,
		      const size_t *cuts, unsigned int ncuts,
		      unsigned int *nvec)
{
	struct kvec *iov = kunit_kcalloc(test, ncuts + 1, sizeof(*iov),
					 GFP_KERNEL);
	size_t start = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, iov);
	for (i = 0; i < ncuts; i++) {
		KUNIT_ASSERT_GE(test, cuts[i], start);
		KUNIT_ASSERT_LE(test, cuts[i], len);
		iov[i].iov_base = buf + start;
		iov[i].iov_len = cuts[i] - start;
		start = cuts[i];
	}
	iov[ncuts].iov_base = buf + start;
	iov[ncuts].iov_len = len - start;
	*nvec = ncuts + 1;
	return iov;
}

static void st_free_pages(void *arg)
{
	struct st_pages *p = arg;
	unsigned int i;

	for (i = 0; i < p->npages; i++)
		if (p->pages[i])
			__free_page(p->pages[i]);
}

/*
 * Copy @len bytes into separate pages, @chunk bytes per page at most, the
 * first piece starting at @first_offset inside its page, so a test sees
 * bio_vecs that do not start or end on page boundaries.
 */
struct st_pages *st_to_pages(struct kunit *test, const u8 *src, size_t len,
			     size_t first_offset, size_t chunk)
{
	struct st_pages *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	size_t done = 0, off = first_offset;
	unsigned int max;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_GT(test, chunk, 0);
	KUNIT_ASSERT_LT(test, first_offset, PAGE_SIZE);
	max = len / min_t(size_t, chunk, PAGE_SIZE - first_offset) + 2;
	max += len / chunk + 2;
	p->bv = kunit_kcalloc(test, max, sizeof(*p->bv), GFP_KERNEL);
	p->pages = kunit_kcalloc(test, max, sizeof(*p->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->bv);
	KUNIT_ASSERT_NOT_NULL(test, p->pages);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, st_free_pages, p), 0);
	while (done < len) {
		size_t n = min3(chunk, PAGE_SIZE - off, len - done);
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_ASSERT_LT(test, p->npages, max);
		p->pages[p->npages] = page;
		memcpy_to_page(page, off, src + done, n);
		bvec_set_page(&p->bv[p->npages], page, n, off);
		p->npages++;
		done += n;
		off = 0;
	}
	iov_iter_bvec(&p->iter, ITER_SOURCE, p->bv, p->npages, len);
	return p;
}

void st_from_pages(struct st_pages *p, u8 *dst, size_t len)
{
	unsigned int i;

	for (i = 0; i < p->npages && len; i++) {
		size_t n = min_t(size_t, p->bv[i].bv_len, len);

		memcpy_from_page(dst, p->bv[i].bv_page, p->bv[i].bv_offset, n);
		dst += n;
		len -= n;
	}
}

/* Module parameters through sysfs, exactly as an administrator sets them. */
static struct file *st_param_open(const char *name, int flags)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/module/smbsign/parameters/%s", name);
	return filp_open(path, flags, 0);
}

int st_param_write(const char *name, const char *val)
{
	struct file *f = st_param_open(name, O_WRONLY);
	loff_t pos = 0;
	ssize_t ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return ret < 0 ? ret : 0;
}

int st_param_read(const char *name, char *buf, size_t len)
{
	struct file *f = st_param_open(name, O_RDONLY);
	loff_t pos = 0;
	ssize_t ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_read(f, buf, len - 1, &pos);
	filp_close(f, NULL);
	if (ret < 0)
		return ret;
	buf[ret] = 0;
	return 0;
}

MODULE_DESCRIPTION("KUnit suites for smbsign");
MODULE_LICENSE("GPL");
