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

#include "gmac.h"
#include "nonce.h"
#include "sign.h"
#include "smb2.h"
#include "stats.h"
#include "trace.h"

static const u8 smbsign_smb2_proto[4] = { 0xfe, 'S', 'M', 'B' };

/*
 * The second half of the nonce, and the nonce class of nonce.c: bit 0 for
 * a server-to-client message, bit 1 for SMB2 CANCEL.
 */
static unsigned int smbsign_gmac_role(const u8 *hdr)
{
	unsigned int role = 0;

	if (get_unaligned_le32(hdr + SMB2_FLAGS_OFF) & SMB2_FLAG_SERVER_TO_REDIR)
		role |= SMBSIGN_NONCE_SERVER;
	if (get_unaligned_le16(hdr + SMB2_COMMAND_OFF) == SMB2_CMD_CANCEL)
		role |= SMBSIGN_NONCE_CANCEL;
	return role;
}

/**
 * smbsign_gmac_nonce - the AES-GMAC nonce a header implies
 * @hdr: 64-byte SMB2 header
 * @nonce: 12 bytes: MessageId (LE), then a LE32 with bit 0 set for a
 *	server-to-client message and bit 1 set for SMB2 CANCEL
 *
 * Return: 0, or -EINVAL for MessageId 0 or 0xFFFFFFFFFFFFFFFF, which
 * must never be GMAC-signed (nonce reuse; Samba refuses them too).
 */
int smbsign_gmac_nonce(const u8 *hdr, u8 nonce[SMBSIGN_GMAC_NONCE_SIZE])
{
	u64 mid = get_unaligned_le64(hdr + SMB2_MID_OFF);

	if (mid == 0 || mid == U64_MAX)
		return -EINVAL;
	put_unaligned_le64(mid, nonce);
	put_unaligned_le32(smbsign_gmac_role(hdr), nonce + 8);
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
	u8 nonce[SMBSIGN_GMAC_NONCE_SIZE] __uninitialized;
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

/*
 * MS-SMB2 3.3.4.1.1: a server does not sign an interim response (ASYNC,
 * STATUS_PENDING). Under AES-GMAC it would share its nonce with the final
 * response to the same request.
 */
static bool smbsign_is_interim(const u8 *hdr)
{
	u32 flags = get_unaligned_le32(hdr + SMB2_FLAGS_OFF);

	return (flags & SMB2_FLAG_SERVER_TO_REDIR) &&
	       (flags & SMB2_FLAG_ASYNC_COMMAND) &&
	       get_unaligned_le32(hdr + SMB2_STATUS_OFF) == SMB2_STATUS_PENDING;
}

/*
 * The nonce rule for a key that has one (AES-GMAC): grant the header's
 * nonce once, or refuse it, before anything of the message is written.
 */
static int smbsign_claim_hdr(struct smbsign_key *key, const u8 *hdr)
{
	u64 mid = get_unaligned_le64(hdr + SMB2_MID_OFF);
	int ret;

	if (!key->nonces)
		return 0;
	if (mid == 0 || mid == U64_MAX || smbsign_is_interim(hdr))
		ret = -EINVAL;
	else
		ret = smbsign_nonce_claim(key->nonces, smbsign_gmac_role(hdr),
					  mid, get_unaligned_le16(hdr + SMB2_CREDIT_CHARGE_OFF));
	if (!ret)
		return 0;
	smbsign_stat(key->be->idx, SMBSIGN_STAT_NONCE_REFUSED, 0);
	trace_smbsign_nonce_refused(key->be->alg,
				    get_unaligned_le64(hdr + SMB2_SID_OFF), mid,
				    get_unaligned_le16(hdr + SMB2_COMMAND_OFF),
				    get_unaligned_le32(hdr + SMB2_FLAGS_OFF),
				    ret);
	pr_warn_ratelimited("smbsign: %s refused to sign: SessionId 0x%llx MessageId %llu Command 0x%x (%s)\n",
			    key->be->name, get_unaligned_le64(hdr + SMB2_SID_OFF),
			    mid, get_unaligned_le16(hdr + SMB2_COMMAND_OFF),
			    ret == -EALREADY ? "nonce already used" :
			    "no GMAC signature for this message");
	return ret;
}

/**
 * smbsign_claim_pdu - apply the nonce rule to the PDU at [@off, @off + @len)
 * @key: SMB2 key
 * @m: the message
 * @off: start of the PDU
 * @len: PDU length
 *
 * For a compound: every PDU's nonce is claimed before the first is signed,
 * so a refusal leaves the whole message as it was.
 *
 * Return: 0 (also for keys without the rule); -EALREADY for a nonce the
 * key has signed under, or may have; -EINVAL for a malformed PDU, or one
 * that must not be GMAC-signed (MessageId 0 or all ones, an interim
 * response).
 */
int smbsign_claim_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		      size_t off, size_t len)
{
	u8 hdr[SMBSIGN_SMB2_HDR_SIZE] __uninitialized;
	int ret;

	if (!key->nonces)
		return 0;
	ret = smbsign_read_hdr(m, off, len, hdr);
	if (ret) {
		smbsign_stat(key->be->idx, SMBSIGN_STAT_ERROR, 0);
		return ret;
	}
	return smbsign_claim_hdr(key, hdr);
}

/**
 * smbsign_sign_pdu - sign the PDU at [@off, @off + @len) of a message
 * @key: SMB2 key
 * @m: the message
 * @off: start of the PDU (its header)
 * @len: PDU length, padding included
 * @claimed: smbsign_claim_pdu() granted its nonce already
 *
 * Nothing is written unless the MAC was computed: on failure the Flags
 * and Signature fields are as they were. A nonce granted here stays used
 * even if the MAC then fails.
 *
 * Return: 0, -EINVAL for a malformed PDU, -EALREADY or -EINVAL from the
 * nonce rule, or the MAC's error.
 */
int smbsign_sign_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		     size_t off, size_t len, bool claimed)
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
	if (!claimed) {
		ret = smbsign_claim_hdr(key, hdr);
		if (ret)
			return ret;	/* counted as refused */
	}
	memcpy(&old_flags, hdr + SMB2_FLAGS_OFF, sizeof(old_flags));
	put_unaligned_le32(le32_to_cpu(old_flags) | SMB2_FLAG_SIGNED,
			   hdr + SMB2_FLAGS_OFF);
	/* the copy becomes the MAC's view of the header */
	memset(hdr + SMB2_SIG_OFF, 0, SMBSIGN_SIG_SIZE);
	smbsign_span_init(&span, m, off, len, hdr);
	ret = key->be->mac(key, &span, sig);
	if (ret)
		goto err;
	ret = smbsign_msg_write(m, off + SMB2_FLAGS_OFF, hdr + SMB2_FLAGS_OFF,
				sizeof(old_flags));
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

static void smbsign_report_mismatch(struct smbsign_key *key, const u8 *hdr,
				    size_t len)
{
	u64 sid = get_unaligned_le64(hdr + SMB2_SID_OFF);
	u64 mid = get_unaligned_le64(hdr + SMB2_MID_OFF);
	u16 cmd = get_unaligned_le16(hdr + SMB2_COMMAND_OFF);

	smbsign_stat(key->be->idx, SMBSIGN_STAT_VERIFY_FAILED, 0);
	trace_smbsign_verify_failed(key->be->alg, sid, mid, cmd,
				    get_unaligned_le32(hdr + SMB2_FLAGS_OFF),
				    len);
	pr_warn_ratelimited("smbsign: %s signature mismatch: SessionId 0x%llx MessageId %llu Command 0x%x\n",
			    key->be->name, sid, mid, cmd);
}

/**
 * smbsign_verify_pdu - check the signature of the PDU at [@off, @off + @len)
 * @key: SMB2 key
 * @m: the message; not written
 * @off: start of the PDU
 * @len: PDU length, padding included
 *
 * The MAC computed here is wiped whatever the outcome: after a mismatch it
 * is the valid signature of a message somebody forged.
 *
 * Return: 0, -EBADMSG on mismatch, -EINVAL on a malformed PDU, or the
 * MAC's error.
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
	ret = crypto_memneq(sig, want, sizeof(sig)) ? -EBADMSG : 0;
	memzero_explicit(sig, sizeof(sig));
	if (ret) {
		smbsign_report_mismatch(key, hdr, len);
		return ret;
	}
	smbsign_stat(idx, SMBSIGN_STAT_VERIFIED, len);
	return 0;
err:
	memzero_explicit(sig, sizeof(sig));
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
 *	may continue into the following kvecs but must end inside them.
 *	Any kernel memory: heap, stack, vmalloc, a module's data or rodata
 *	(only the header is written)
 * @nvec: number of kvecs, at least 1
 * @data: bytes following the kvecs (e.g. READ/WRITE pages), or NULL; an
 *	ITER_KVEC, ITER_BVEC or ITER_FOLIOQ iterator. It is not advanced.
 *
 * Sets SMB2_FLAGS_SIGNED and writes the 16-byte signature into the header.
 * Takes no sleeping lock and allocates nothing.
 *
 * AES-GMAC keys sign each nonce (MessageId, server bit, CANCEL bit) once:
 * a MessageId the key has signed under in that direction, or one too far
 * below the highest it has signed to be known unused, is refused, and so
 * are MessageId 0 and 0xFFFFFFFFFFFFFFFF and interim responses (ASYNC,
 * STATUS_PENDING). A refused nonce is counted in nonce_refused and fires
 * the smbsign_nonce_refused trace event.
 *
 * Context: Any context except NMI; does not sleep.
 *
 * Return: 0; -EINVAL for a NULL or SMB1 key, no kvecs, a kvec or kvec
 * iterator segment with a NULL base, kvecs shorter than the header, not
 * an SMB2 header, or a message AES-GMAC must not sign; -EALREADY for an
 * AES-GMAC nonce already used (or possibly used); -EOPNOTSUPP for an
 * iterator over user memory; another negative errno from the crypto layer.
 * Nothing is written on error.
 */
int smbsign_sign(struct smbsign_key *key, struct kvec *iov, unsigned int nvec,
		 struct iov_iter *data)
{
	struct smbsign_msg m __uninitialized;
	int ret;

	ret = smbsign_smb2_msg(key, &m, iov, nvec, data);
	if (ret)
		return ret;
	return smbsign_sign_pdu(key, &m, 0, m.len, false);
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
 * can pass every message here. Verifying keeps no state: the nonce rule
 * is the signer's.
 *
 * Context: Any context except NMI; does not sleep.
 *
 * Return: 0 if the signature is right, -EBADMSG if not, -EINVAL for a
 * malformed message (as for smbsign_sign()), -EOPNOTSUPP, or another
 * negative errno from the crypto layer.
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
