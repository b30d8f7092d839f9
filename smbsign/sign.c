// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB2/3 sign and verify of one PDU (MS-SMB2 3.1.4.1): set
 * SMB2_FLAGS_SIGNED, MAC the PDU with its Signature field taken as zero,
 * write the MAC into the field. Verify computes the same MAC, never
 * writes to the message and compares in constant time.
 */
#include <crypto/algapi.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "internal.h"
#include "trace.h"

static const u8 smbsign_smb2_proto[4] = { 0xfe, 'S', 'M', 'B' };

/**
 * smbsign_gmac_nonce - the AES-GMAC nonce a header implies
 * @hdr: 64-byte SMB2 header
 * @nonce: 12 bytes: MessageId (LE), then a LE32 with bit 0 set for a
 *	server-to-client message and bit 1 set for SMB2 CANCEL
 *
 * Return: 0, or -EINVAL for MessageId 0 or 0xFFFFFFFFFFFFFFFF, which
 * must never be GMAC-signed (nonce reuse; Samba refuses them too).
 */
int smbsign_gmac_nonce(const u8 *hdr, u8 nonce[12])
{
	u64 mid = get_unaligned_le64(hdr + SMB2_MID_OFF);
	u32 flags = get_unaligned_le32(hdr + SMB2_FLAGS_OFF);
	u16 cmd = get_unaligned_le16(hdr + SMB2_COMMAND_OFF);
	u32 role = 0;

	if (mid == 0 || mid == U64_MAX)
		return -EINVAL;
	if (flags & SMB2_FLAG_SERVER_TO_REDIR)
		role |= 1;
	if (cmd == SMB2_CMD_CANCEL)
		role |= 2;
	put_unaligned_le64(mid, nonce);
	put_unaligned_le32(role, nonce + 8);
	return 0;
}

/**
 * smbsign_gmac_mac - the AES-GMAC signature of an SMB2 PDU
 * @key: an AES-GMAC key
 * @span: the PDU; its header gives the nonce
 * @out: 16-byte result
 *
 * The backends' mac method: the nonce from the header sign/verify read
 * already (@span->head), else read here, then smbsign_gmac_raw().
 *
 * Return: 0, -EINVAL for a MessageId that must not be GMAC-signed, or the
 * walk's error.
 */
int smbsign_gmac_mac(struct smbsign_key *key, const struct smbsign_span *span,
		     u8 *out)
{
	u8 hdr[SMBSIGN_SMB2_HDR_SIZE] __uninitialized;
	u8 nonce[12] __uninitialized;
	int ret = 0;

	if (!span->head)
		ret = smbsign_msg_read(span->msg, span->off, hdr, sizeof(hdr));
	if (!ret)
		ret = smbsign_gmac_nonce(span->head ?: hdr, nonce);
	if (!ret)
		ret = smbsign_gmac_raw(key, nonce, span, out);
	return ret;
}

static int smbsign_read_hdr(const struct smbsign_msg *m, size_t off,
			    size_t len, u8 *hdr)
{
	int ret;

	if (len < SMBSIGN_SMB2_HDR_SIZE || off > m->len || len > m->len - off)
		return -EINVAL;
	ret = smbsign_msg_read(m, off, hdr, SMBSIGN_SMB2_HDR_SIZE);
	if (ret)
		return ret;
	if (memcmp(hdr, smbsign_smb2_proto, sizeof(smbsign_smb2_proto)))
		return -EINVAL;
	return 0;
}

/*
 * @hdr: the PDU's header as the MAC sees it, Signature field all zero; it
 * stands in for the header's bytes, so the span needs no hole.
 */
static void smbsign_span_init(struct smbsign_span *span,
			      const struct smbsign_msg *m, size_t off,
			      size_t len, const u8 *hdr)
{
	span->msg = m;
	span->off = off;
	span->len = len;
	span->hole_off = 0;
	span->hole_len = 0;
	span->hole = NULL;
	span->head = hdr;
	span->head_len = SMBSIGN_SMB2_HDR_SIZE;
}

/**
 * smbsign_sign_pdu - sign the PDU at [@off, @off + @len) of a message
 * @key: SMB2 key
 * @m: the message
 * @off: start of the PDU (its header)
 * @len: PDU length, padding included
 *
 * Nothing is written unless the MAC was computed: on failure the Flags
 * and Signature fields are as they were.
 *
 * Return: 0, -EINVAL for a malformed PDU, or the MAC's error.
 */
int smbsign_sign_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		     size_t off, size_t len)
{
	enum smbsign_idx idx = key->be->idx;
	u8 hdr[SMBSIGN_SMB2_HDR_SIZE] __uninitialized;
	u8 sig[SMBSIGN_SIG_SIZE] __uninitialized;
	struct smbsign_span span __uninitialized;
	__le32 old_flags;
	int ret;

	ret = smbsign_read_hdr(m, off, len, hdr);
	if (ret)
		goto err;
	memcpy(&old_flags, hdr + SMB2_FLAGS_OFF, sizeof(old_flags));
	put_unaligned_le32(le32_to_cpu(old_flags) | SMB2_FLAG_SIGNED,
			   hdr + SMB2_FLAGS_OFF);
	ret = smbsign_msg_write(m, off + SMB2_FLAGS_OFF, hdr + SMB2_FLAGS_OFF,
				sizeof(old_flags));
	if (ret)
		goto err;
	/* the copy becomes the MAC's view of the header */
	memset(hdr + SMB2_SIG_OFF, 0, SMBSIGN_SIG_SIZE);
	smbsign_span_init(&span, m, off, len, hdr);
	ret = key->be->mac(key, &span, sig);
	if (!ret)
		ret = smbsign_msg_write(m, off + SMB2_SIG_OFF, sig, sizeof(sig));
	if (ret) {
		smbsign_msg_write(m, off + SMB2_FLAGS_OFF, &old_flags,
				  sizeof(old_flags));
		goto err;
	}
	smbsign_stat(idx, SMBSIGN_STAT_SIGNED, len);
	return 0;
err:
	smbsign_stat(idx, SMBSIGN_STAT_ERROR, 0);
	return ret;
}

/**
 * smbsign_verify_pdu - check the signature of the PDU at [@off, @off + @len)
 * @key: SMB2 key
 * @m: the message; not written
 * @off: start of the PDU
 * @len: PDU length, padding included
 *
 * Return: 0, -EBADMSG on mismatch, -EINVAL on a malformed PDU.
 */
int smbsign_verify_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		       size_t off, size_t len)
{
	enum smbsign_idx idx = key->be->idx;
	u8 hdr[SMBSIGN_SMB2_HDR_SIZE] __uninitialized;
	u8 sig[SMBSIGN_SIG_SIZE] __uninitialized;
	u8 want[SMBSIGN_SIG_SIZE] __uninitialized;
	struct smbsign_span span __uninitialized;
	int ret;

	ret = smbsign_read_hdr(m, off, len, hdr);
	if (ret)
		goto err;
	/* the copy becomes the MAC's view of the header */
	memcpy(want, hdr + SMB2_SIG_OFF, sizeof(want));
	memset(hdr + SMB2_SIG_OFF, 0, SMBSIGN_SIG_SIZE);
	smbsign_span_init(&span, m, off, len, hdr);
	ret = key->be->mac(key, &span, sig);
	if (ret)
		goto err;
	if (crypto_memneq(sig, want, sizeof(sig))) {
		smbsign_stat(idx, SMBSIGN_STAT_VERIFY_FAILED, 0);
		trace_smbsign_verify_failed(key->be->alg,
					    get_unaligned_le64(hdr + SMB2_SID_OFF),
					    get_unaligned_le64(hdr + SMB2_MID_OFF),
					    get_unaligned_le16(hdr + SMB2_COMMAND_OFF),
					    get_unaligned_le32(hdr + SMB2_FLAGS_OFF),
					    len);
		pr_warn_ratelimited("smbsign: %s signature mismatch: SessionId 0x%llx MessageId %llu Command 0x%x\n",
				    key->be->name,
				    get_unaligned_le64(hdr + SMB2_SID_OFF),
				    get_unaligned_le64(hdr + SMB2_MID_OFF),
				    get_unaligned_le16(hdr + SMB2_COMMAND_OFF));
		return -EBADMSG;
	}
	smbsign_stat(idx, SMBSIGN_STAT_VERIFIED, len);
	return 0;
err:
	smbsign_stat(idx, SMBSIGN_STAT_ERROR, 0);
	return ret;
}

/* Common checks of the public entry points: an SMB2 key, a whole header. */
int smbsign_smb2_msg(struct smbsign_key *key, struct smbsign_msg *m,
		     const struct kvec *iov, unsigned int nvec,
		     const struct iov_iter *data)
{
	int ret;

	if (!key || key->be->alg == SMBSIGN_ALG_SMB1_MD5)
		return -EINVAL;
	ret = smbsign_msg_init(m, iov, nvec, data);
	if (!ret && m->kvec_len < SMBSIGN_SMB2_HDR_SIZE)
		ret = -EINVAL;
	if (ret)
		smbsign_stat(key->be->idx, SMBSIGN_STAT_ERROR, 0);
	return ret;
}

/**
 * smbsign_sign - sign one SMB2/3 message
 * @key: signing key of the session (channel)
 * @iov: the message; iov[0] starts with the 64-byte SMB2 header, which
 *	may continue into the following kvecs but must end inside them
 * @nvec: number of kvecs, at least 1
 * @data: bytes following the kvecs (e.g. READ/WRITE pages), or NULL; an
 *	ITER_KVEC, ITER_BVEC or ITER_FOLIOQ iterator. It is not advanced.
 *
 * Sets SMB2_FLAGS_SIGNED and writes the 16-byte signature into the header.
 * Takes no lock and allocates nothing; may sleep if the crypto driver is
 * asynchronous, so call it from process context.
 *
 * Return: 0; -EINVAL for a NULL or SMB1 key, no kvecs, kvecs shorter than
 * the header, or not an SMB2 header; -EOPNOTSUPP for an iterator over
 * user memory; -EFAULT for kvec memory that cannot be mapped (AES-GMAC
 * only); another negative errno from the crypto layer. Nothing is written
 * on error.
 */
int smbsign_sign(struct smbsign_key *key, struct kvec *iov, unsigned int nvec,
		 struct iov_iter *data)
{
	struct smbsign_msg m __uninitialized;
	int ret;

	ret = smbsign_smb2_msg(key, &m, iov, nvec, data);
	if (ret)
		return ret;
	return smbsign_sign_pdu(key, &m, 0, m.len);
}
EXPORT_SYMBOL_NS_GPL(smbsign_sign, SMBSIGN_NS);

/**
 * smbsign_verify - verify the signature of one SMB2/3 message
 * @key: signing key of the session (channel)
 * @iov: the message, laid out as for smbsign_sign(); never written
 * @nvec: number of kvecs, at least 1
 * @data: bytes following the kvecs, or NULL; not advanced
 *
 * The MAC is computed with the Signature field taken as zero and compared
 * with the field in constant time. A message without SMB2_FLAGS_SIGNED is
 * verified all the same (and fails), so a caller that requires signing
 * can pass every message here.
 *
 * Return: 0 if the signature is right, -EBADMSG if not, -EINVAL for a
 * malformed message (as for smbsign_sign()), -EOPNOTSUPP, -EFAULT, or
 * another negative errno from the crypto layer.
 */
int smbsign_verify(struct smbsign_key *key, const struct kvec *iov,
		   unsigned int nvec, struct iov_iter *data)
{
	struct smbsign_msg m __uninitialized;
	int ret;

	ret = smbsign_smb2_msg(key, &m, iov, nvec, data);
	if (ret)
		return ret;
	return smbsign_verify_pdu(key, &m, 0, m.len);
}
EXPORT_SYMBOL_NS_GPL(smbsign_verify, SMBSIGN_NS);
