// SPDX-License-Identifier: GPL-2.0-only
/*
 * Walking a message laid out the way cifs and ksmbd hold it: an array of
 * kvecs followed by an optional iov_iter (pages of a READ or WRITE). The
 * walk hands out contiguous pieces in order and never copies, advances or
 * allocates.
 */
#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/uio.h>
#ifdef SMBSIGN_HAVE_ITER_FOLIOQ
#include <linux/folio_queue.h>
#endif

#include "compat.h"
#include "msg.h"

static bool smbsign_iter_supported(const struct iov_iter *it)
{
	switch (iov_iter_type(it)) {
	case ITER_KVEC:
	case ITER_BVEC:
#ifdef SMBSIGN_HAVE_ITER_FOLIOQ
	case ITER_FOLIOQ:
#endif
		return true;
	default:
		return false;
	}
}

/* The segments of a kvec iterator need a base, as the kvecs do. */
static int smbsign_check_kvec_iter(const struct iov_iter *it)
{
	size_t skip = it->iov_offset, left = iov_iter_count(it);
	unsigned long i;

	for (i = 0; i < it->nr_segs && left; i++) {
		size_t n = it->kvec[i].iov_len;

		if (skip >= n) {
			skip -= n;
			continue;
		}
		if (!it->kvec[i].iov_base)
			return -EINVAL;
		left -= min(n - skip, left);
		skip = 0;
	}
	return 0;
}

/**
 * smbsign_msg_init - describe and check a message
 * @m: filled in
 * @iov: kvecs; none may have a NULL base with a non-zero length
 * @nvec: number of kvecs, at least one
 * @data: bytes following the kvecs, or NULL; the segments of a kvec
 *	iterator follow the kvecs' rule
 *
 * Return: 0, -EINVAL for a malformed layout, -EOPNOTSUPP for an iterator
 * type smbsign cannot walk without copying (user memory).
 */
int smbsign_msg_init(struct smbsign_msg *m, const struct kvec *iov,
		     unsigned int nvec, const struct iov_iter *data)
{
	size_t len = 0;
	unsigned int i;

	if (!iov || !nvec)
		return -EINVAL;
	for (i = 0; i < nvec; i++) {
		if (!iov[i].iov_base && iov[i].iov_len)
			return -EINVAL;
		if (check_add_overflow(len, iov[i].iov_len, &len))
			return -EINVAL;
	}
	m->iov = iov;
	m->nvec = nvec;
	m->kvec_len = len;
	m->data = NULL;
	if (data && iov_iter_count(data)) {
		if (!smbsign_iter_supported(data))
			return -EOPNOTSUPP;
		if (iov_iter_is_kvec(data) && smbsign_check_kvec_iter(data))
			return -EINVAL;
		if (check_add_overflow(len, iov_iter_count(data), &len))
			return -EINVAL;
		m->data = data;
	}
	m->len = len;
	return 0;
}

static int smbsign_walk_kvecs(const struct kvec *kv, unsigned long nr,
			      size_t skip, size_t len, smbsign_seg_fn fn,
			      void *priv)
{
	struct smbsign_seg seg = {};
	int ret;

	for (; nr && len; nr--, kv++) {
		if (skip >= kv->iov_len) {
			skip -= kv->iov_len;
			continue;
		}
		seg.virt = kv->iov_base + skip;
		seg.len = min(kv->iov_len - skip, len);
		skip = 0;
		ret = fn(priv, &seg);
		if (ret)
			return ret;
		len -= seg.len;
	}
	return len ? -EINVAL : 0;
}

/* Hand out physically contiguous page runs, page and offset normalised. */
static int smbsign_page_seg(struct page *page, size_t offset, size_t len,
			    smbsign_seg_fn fn, void *priv)
{
	struct smbsign_seg seg = {
		.page = nth_page(page, offset >> PAGE_SHIFT),
		.offset = offset & ~PAGE_MASK,
		.len = len,
	};

	return fn(priv, &seg);
}

static int smbsign_walk_bvecs(const struct iov_iter *it, size_t skip,
			      size_t len, smbsign_seg_fn fn, void *priv)
{
	const struct bio_vec *bv = it->bvec;
	unsigned long nr = it->nr_segs;
	int ret;

	for (; nr && len; nr--, bv++) {
		size_t n;

		if (skip >= bv->bv_len) {
			skip -= bv->bv_len;
			continue;
		}
		n = min_t(size_t, bv->bv_len - skip, len);
		ret = smbsign_page_seg(bv->bv_page, bv->bv_offset + skip, n,
				       fn, priv);
		if (ret)
			return ret;
		skip = 0;
		len -= n;
	}
	return len ? -EINVAL : 0;
}

#ifdef SMBSIGN_HAVE_ITER_FOLIOQ
static int smbsign_walk_folioq(const struct iov_iter *it, size_t skip,
			       size_t len, smbsign_seg_fn fn, void *priv)
{
	/* The folioq_*() accessors of 6.12 take no const pointer. */
	struct folio_queue *fq = (struct folio_queue *)it->folioq;
	unsigned int slot = it->folioq_slot;
	int ret;

	while (len) {
		size_t fsize, n;

		if (!fq)
			return -EINVAL;
		if (slot >= folioq_count(fq)) {
			fq = fq->next;
			slot = 0;
			continue;
		}
		fsize = folioq_folio_size(fq, slot);
		if (skip >= fsize) {
			skip -= fsize;
			slot++;
			continue;
		}
		n = min(fsize - skip, len);
		ret = smbsign_page_seg(folio_page(folioq_folio(fq, slot), 0),
				       skip, n, fn, priv);
		if (ret)
			return ret;
		skip = 0;
		len -= n;
		slot++;
	}
	return 0;
}
#endif

static int smbsign_walk_iter(const struct iov_iter *it, size_t off,
			     size_t len, smbsign_seg_fn fn, void *priv)
{
	size_t skip = it->iov_offset + off;

	switch (iov_iter_type(it)) {
	case ITER_KVEC:
		return smbsign_walk_kvecs(it->kvec, it->nr_segs, skip, len,
					  fn, priv);
	case ITER_BVEC:
		return smbsign_walk_bvecs(it, skip, len, fn, priv);
#ifdef SMBSIGN_HAVE_ITER_FOLIOQ
	case ITER_FOLIOQ:
		return smbsign_walk_folioq(it, skip, len, fn, priv);
#endif
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * smbsign_msg_walk - call @fn for each contiguous piece of a byte range
 * @m: the message
 * @off: first byte
 * @len: number of bytes
 * @fn: called in order; a non-zero return stops the walk and is returned
 * @priv: passed to @fn
 *
 * Return: 0, -EINVAL for a range outside the message, or @fn's error.
 */
int smbsign_msg_walk(const struct smbsign_msg *m, size_t off, size_t len,
		     smbsign_seg_fn fn, void *priv)
{
	size_t n;
	int ret;

	if (off > m->len || len > m->len - off)
		return -EINVAL;
	if (off < m->kvec_len) {
		n = min(len, m->kvec_len - off);
		ret = smbsign_walk_kvecs(m->iov, m->nvec, off, n, fn, priv);
		if (ret)
			return ret;
		len -= n;
		off = m->kvec_len;
	}
	if (!len)
		return 0;
	return smbsign_walk_iter(m->data, off - m->kvec_len, len, fn, priv);
}

/**
 * smbsign_span_walk - walk the bytes a MAC covers
 * @span: PDU range and signature hole
 * @fn: called per piece
 * @priv: passed to @fn
 *
 * The signature field is handed out as @span->hole instead of its bytes,
 * or as zeros when @span->hole is NULL; or the first bytes come from
 * @span->head, which has the field in place.
 *
 * Return: 0, or the walk's or @fn's error.
 */
int smbsign_span_walk(const struct smbsign_span *span, smbsign_seg_fn fn,
		      void *priv)
{
	struct smbsign_seg hole = {
		.virt = span->hole,
		.len = span->hole_len,
	};
	size_t tail = span->hole_off + span->hole_len;
	int ret;

	if (span->head) {
		struct smbsign_seg head = {
			.virt = span->head,
			.len = span->head_len,
		};

		ret = fn(priv, &head);
		if (ret)
			return ret;
		return smbsign_msg_walk(span->msg, span->off + span->head_len,
					span->len - span->head_len, fn, priv);
	}

	/* No hole bytes given: zeros, from a page every consumer can map. */
	if (!span->hole)
		hole.page = ZERO_PAGE(0);
	ret = smbsign_msg_walk(span->msg, span->off, span->hole_off, fn, priv);
	if (ret)
		return ret;
	if (hole.len) {
		ret = fn(priv, &hole);
		if (ret)
			return ret;
	}
	return smbsign_msg_walk(span->msg, span->off + tail, span->len - tail,
				fn, priv);
}

/**
 * smbsign_seg_map - call @fn on the virtual address(es) of a piece
 * @seg: the piece
 * @fn: called once for a virtual piece, once per page for a page run
 * @priv: passed to @fn
 *
 * Pages are mapped with kmap_local_page() for the duration of one call.
 *
 * Return: 0, or @fn's error.
 */
int smbsign_seg_map(const struct smbsign_seg *seg, smbsign_map_fn fn,
		    void *priv)
{
	size_t done = 0;
	int ret = 0;

	if (seg->virt)
		return fn(priv, (void *)seg->virt, seg->len);
	while (!ret && done < seg->len) {
		size_t pos = seg->offset + done;
		size_t poff = pos & ~PAGE_MASK;
		size_t n = min_t(size_t, seg->len - done, PAGE_SIZE - poff);
		u8 *p = kmap_local_page(nth_page(seg->page, pos >> PAGE_SHIFT));

		ret = fn(priv, p + poff, n);
		kunmap_local(p);
		done += n;
	}
	return ret;
}

struct smbsign_map_args {
	smbsign_map_fn fn;
	void *priv;
};

static int smbsign_map_seg(void *priv, const struct smbsign_seg *seg)
{
	const struct smbsign_map_args *a = priv;

	return smbsign_seg_map(seg, a->fn, a->priv);
}

/**
 * smbsign_span_map - call @fn on every mapped piece of the bytes a MAC covers
 * @span: PDU range and signature hole
 * @fn: called once per virtual piece, once per page of a page run
 * @priv: passed to @fn
 *
 * For the primitives that take plain buffers (shash, the libraries).
 *
 * Return: 0, or the walk's or @fn's error.
 */
int smbsign_span_map(const struct smbsign_span *span, smbsign_map_fn fn,
		     void *priv)
{
	struct smbsign_map_args a = { .fn = fn, .priv = priv };
	size_t rest_off = span->off + span->head_len;
	size_t rest = span->len - span->head_len;
	void *p;
	int ret;

	/*
	 * Most messages: the header copy, then the rest of the PDU (if any)
	 * inside the first kvec. Direct calls instead of the walk, which is
	 * most of the fixed cost of a small message.
	 */
	if (span->head) {
		p = smbsign_msg_first_kvec(span->msg, rest_off, rest);
		if (!p)
			return smbsign_span_walk(span, smbsign_map_seg, &a);
		ret = fn(priv, (void *)span->head, span->head_len);
		if (!ret && rest)
			ret = fn(priv, p, rest);
		return ret;
	}
	/* a plain range (no header copy, no hole) inside the first kvec */
	p = smbsign_msg_first_kvec(span->msg, span->off, span->len);
	if (p && !span->hole_len)
		return span->len ? fn(priv, p, span->len) : 0;
	return smbsign_span_walk(span, smbsign_map_seg, &a);
}

/**
 * smbsign_span_map_paired - smbsign_span_map(), the header copy joined to
 *	the 64 bytes after it
 * @span: PDU range and header copy
 * @fn: called once per virtual piece, once per page of a page run
 * @priv: passed to @fn
 *
 * For SHA-256: its x86 AVX2 code hashes blocks in pairs, so a lone block
 * costs nearly a pair. The header, one block from its own copy, would
 * split a pair off the message and cost one more pair-time whenever the
 * PDU has an even number of whole blocks (+30 % at 128 B); handed over
 * with the block after it (one 64-byte copy), it does not.
 *
 * Return: 0, or the walk's or @fn's error.
 */
int smbsign_span_map_paired(const struct smbsign_span *span,
			    smbsign_map_fn fn, void *priv)
{
	u8 two[2 * SMBSIGN_SMB2_HDR_SIZE] __uninitialized;
	struct smbsign_span rest = {
		.msg = span->msg,
		.off = span->off + sizeof(two),
		.len = span->len - sizeof(two),
	};
	int ret;

	if (!span->head || span->head_len != SMBSIGN_SMB2_HDR_SIZE ||
	    span->len < sizeof(two))
		return smbsign_span_map(span, fn, priv);
	memcpy(two, span->head, SMBSIGN_SMB2_HDR_SIZE);
	ret = smbsign_msg_read(span->msg, span->off + SMBSIGN_SMB2_HDR_SIZE,
			       two + SMBSIGN_SMB2_HDR_SIZE,
			       SMBSIGN_SMB2_HDR_SIZE);
	if (!ret)
		ret = fn(priv, two, sizeof(two));
	if (!ret)
		ret = smbsign_span_map(&rest, fn, priv);
	return ret;
}

struct smbsign_copy {
	u8 *buf;
	bool to_msg;
};

static int smbsign_copy_chunk(void *priv, void *p, size_t n)
{
	struct smbsign_copy *c = priv;

	if (c->to_msg)
		memcpy(p, c->buf, n);
	else
		memcpy(c->buf, p, n);
	c->buf += n;
	return 0;
}

static int smbsign_copy_seg(void *priv, const struct smbsign_seg *seg)
{
	return smbsign_seg_map(seg, smbsign_copy_chunk, priv);
}

/**
 * smbsign_msg_read_walk - smbsign_msg_read() for bytes outside the first kvec
 * @m: the message
 * @off: first byte
 * @buf: destination
 * @len: number of bytes
 *
 * Return: 0, or -EINVAL for a range outside the message.
 */
int smbsign_msg_read_walk(const struct smbsign_msg *m, size_t off, void *buf,
			  size_t len)
{
	struct smbsign_copy c = { .buf = buf };

	return smbsign_msg_walk(m, off, len, smbsign_copy_seg, &c);
}

/**
 * smbsign_msg_write_walk - smbsign_msg_write() for bytes outside the first
 *	kvec
 * @m: the message
 * @off: first byte
 * @buf: source
 * @len: number of bytes
 *
 * Return: 0, or -EINVAL for a range outside the message.
 */
int smbsign_msg_write_walk(const struct smbsign_msg *m, size_t off,
			   const void *buf, size_t len)
{
	struct smbsign_copy c = { .buf = (u8 *)buf, .to_msg = true };

	return smbsign_msg_walk(m, off, len, smbsign_copy_seg, &c);
}
