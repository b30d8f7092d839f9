/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Messages as cifs and ksmbd hold them: kvecs followed by an optional
 * iov_iter (the pages of a READ or WRITE), and the span of bytes one MAC
 * covers. The walk hands out contiguous pieces in order and never copies,
 * advances or allocates (msg.c).
 */
#ifndef _SMBSIGN_MSG_H
#define _SMBSIGN_MSG_H

#include <linux/smbsign.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uio.h>

struct page;

/**
 * struct smbsign_seg - one contiguous piece of a message
 * @virt: kernel virtual address, or NULL when @page is set
 * @page: first page of a physically contiguous run (bvec, folio)
 * @offset: offset into @page (< PAGE_SIZE)
 * @len: bytes in this piece
 */
struct smbsign_seg {
	const void *virt;
	struct page *page;
	size_t offset;
	size_t len;
};

/**
 * struct smbsign_msg - a message laid out as kvecs followed by an iterator
 * @iov: the kvecs, in order
 * @nvec: number of kvecs
 * @data: bytes after the kvecs, or NULL; never advanced
 * @kvec_len: bytes in the kvecs
 * @len: total bytes
 */
struct smbsign_msg {
	const struct kvec *iov;
	unsigned int nvec;
	const struct iov_iter *data;
	size_t kvec_len;
	size_t len;
};

/**
 * struct smbsign_span - the bytes one MAC covers
 * @msg: the message
 * @off: offset of the PDU in @msg
 * @len: length of the PDU
 * @hole_off: offset of the signature field, relative to @off
 * @hole_len: length of the signature field
 * @hole: what the MAC sees in place of the signature field (virtual), or
 *	NULL for zeros
 * @head: a copy of the PDU's first @head_len bytes with the signature
 *	field already as the MAC must see it, or NULL
 * @head_len: bytes in @head; with @head set the hole fields are unused
 *
 * The MAC covers [@off, @off + @len) with the signature field replaced by
 * @hole, so neither sign nor verify has to modify the field first. SMB2
 * passes the header it has read anyway as @head: one piece instead of
 * three (before, in and after the field) on every message.
 */
struct smbsign_span {
	const struct smbsign_msg *msg;
	size_t off;
	size_t len;
	size_t hole_off;
	size_t hole_len;
	const u8 *hole;
	const u8 *head;
	size_t head_len;
};

typedef int (*smbsign_seg_fn)(void *priv, const struct smbsign_seg *seg);
int smbsign_msg_init(struct smbsign_msg *m, const struct kvec *iov,
		     unsigned int nvec, const struct iov_iter *data);
int smbsign_msg_walk(const struct smbsign_msg *m, size_t off, size_t len,
		     smbsign_seg_fn fn, void *priv);
int smbsign_span_walk(const struct smbsign_span *span, smbsign_seg_fn fn,
		      void *priv);
typedef int (*smbsign_map_fn)(void *priv, void *p, size_t len);
int smbsign_seg_map(const struct smbsign_seg *seg, smbsign_map_fn fn,
		    void *priv);
int smbsign_span_map(const struct smbsign_span *span, smbsign_map_fn fn,
		     void *priv);
int smbsign_span_map_paired(const struct smbsign_span *span,
			    smbsign_map_fn fn, void *priv);
int smbsign_msg_read_walk(const struct smbsign_msg *m, size_t off, void *buf,
			  size_t len);
int smbsign_msg_write_walk(const struct smbsign_msg *m, size_t off,
			   const void *buf, size_t len);

/**
 * smbsign_msg_first_kvec - where [@off, @off + @len) is, if in the first kvec
 * @m: the message
 * @off: first byte
 * @len: number of bytes
 *
 * Return: the address of byte @off, or NULL when the range does not lie
 * inside the first kvec.
 */
static __always_inline void *smbsign_msg_first_kvec(const struct smbsign_msg *m,
						    size_t off, size_t len)
{
	if (m->iov[0].iov_len >= off && m->iov[0].iov_len - off >= len)
		return m->iov[0].iov_base + off;
	return NULL;
}

/**
 * smbsign_msg_read - copy bytes out of a message (header fields)
 * @m: the message
 * @off: first byte
 * @buf: destination
 * @len: number of bytes
 *
 * Inline for the usual case, bytes in the first kvec: with a @len the
 * compiler knows, the copy is a few moves, not a memcpy() call (a
 * "rep movsb" on CPUs with FSRM); elsewhere, the message walk.
 *
 * Return: 0, or -EINVAL for a range outside the message.
 */
static __always_inline int smbsign_msg_read(const struct smbsign_msg *m,
					    size_t off, void *buf, size_t len)
{
	const void *p = smbsign_msg_first_kvec(m, off, len);

	if (!p)
		return smbsign_msg_read_walk(m, off, buf, len);
	memcpy(buf, p, len);
	return 0;
}

/**
 * smbsign_msg_write - copy bytes into a message (flags, signature)
 * @m: the message
 * @off: first byte
 * @buf: source
 * @len: number of bytes
 *
 * Inline for the first kvec, as smbsign_msg_read().
 *
 * Return: 0, or -EINVAL for a range outside the message.
 */
static __always_inline int smbsign_msg_write(const struct smbsign_msg *m,
					     size_t off, const void *buf,
					     size_t len)
{
	void *p = smbsign_msg_first_kvec(m, off, len);

	if (!p)
		return smbsign_msg_write_walk(m, off, buf, len);
	memcpy(p, buf, len);
	return 0;
}

#endif /* _SMBSIGN_MSG_H */
