// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark's messages: an SMB2 WRITE-like header and a random body,
 * contiguous, split over kvecs, and with the body in pages.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "../../smbsign/compat.h"
#include "bench.h"

int bench_msg_init(struct bench_msg *m, size_t len, u64 mid)
{
	size_t body = len - BENCH_HDR, half = body / 2, off;
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->len = len;
	m->buf = kmalloc(len + BENCH_SIG, GFP_KERNEL);
	m->hdr = kmalloc(BENCH_HDR, GFP_KERNEL);
	m->npages = DIV_ROUND_UP(body, PAGE_SIZE);
	m->bv = kcalloc(max(m->npages, 1U), sizeof(*m->bv), GFP_KERNEL);
	if (!m->buf || !m->hdr || !m->bv)
		goto nomem;
	get_random_bytes(m->buf, len);
	memset(m->buf, 0, BENCH_HDR);
	memcpy(m->buf, "\xfeSMB", 4);
	put_unaligned_le16(BENCH_HDR, m->buf + 4);	/* StructureSize */
	put_unaligned_le16(0x0009, m->buf + 12);	/* WRITE */
	put_unaligned_le64(mid, m->buf + 24);		/* MessageId */
	put_unaligned_le64(0x0000100000000019ULL, m->buf + 40); /* SessionId */
	memcpy(m->hdr, m->buf, BENCH_HDR);

	m->one = (struct kvec){ m->buf, len };
	if (body) {
		m->three[0] = (struct kvec){ m->buf, BENCH_HDR };
		m->three[1] = (struct kvec){ m->buf + BENCH_HDR, half };
		m->three[2] = (struct kvec){ m->buf + BENCH_HDR + half, body - half };
	} else {
		/* header only: the header itself over three kvecs */
		m->three[0] = (struct kvec){ m->buf, 24 };
		m->three[1] = (struct kvec){ m->buf + 24, 24 };
		m->three[2] = (struct kvec){ m->buf + 48, 16 };
	}
	m->hdr_iov = (struct kvec){ m->hdr, BENCH_HDR };
	for (i = 0, off = 0; i < m->npages; i++, off += PAGE_SIZE) {
		size_t n = min_t(size_t, PAGE_SIZE, body - off);
		struct page *p = alloc_page(GFP_KERNEL);

		if (!p)
			goto nomem;
		memcpy_to_page(p, 0, m->buf + BENCH_HDR + off, n);
		bvec_set_page(&m->bv[i], p, n, 0);
	}
	return 0;
nomem:
	bench_msg_free(m);
	return -ENOMEM;
}

void bench_msg_iter(struct bench_msg *m, struct iov_iter *it)
{
	iov_iter_bvec(it, ITER_SOURCE, m->bv, m->npages, m->len - BENCH_HDR);
}

void bench_msg_free(struct bench_msg *m)
{
	unsigned int i;

	for (i = 0; m->bv && i < m->npages; i++)
		if (m->bv[i].bv_page)
			__free_page(m->bv[i].bv_page);
	kfree(m->bv);
	kfree(m->hdr);
	kfree(m->buf);
	memset(m, 0, sizeof(*m));
}
