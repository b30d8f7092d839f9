// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB1 signing (MS-CIFS 3.1.5.1), kept for the few who still need it and
 * refused unless the allow_smb1 parameter is set. The signature is the
 * first 8 bytes of MD5(MACKey || PDU), computed with the SecuritySignature
 * field holding the sequence number (LE32) and four zero bytes.
 */
#include <crypto/algapi.h>
#include <linux/err.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "key.h"
#include "msg.h"
#include "policy.h"
#include "smb2.h"
#include "stats.h"
#include "trace.h"

static const u8 smbsign_smb1_proto[4] = { 0xff, 'S', 'M', 'B' };

/**
 * smbsign_smb1_key_alloc - create an SMB1 signing context
 * @mac_key: the MACKey: the session key, followed by the NTLM response for
 *	NTLMv1 authentication
 * @keylen: 16 to 64 bytes
 * @gfp: allocation flags for the context (may sleep regardless)
 *
 * Context: Process context; may sleep.
 *
 * Return: a context holding one reference; ERR_PTR(-EPERM) while the
 * allow_smb1 parameter is off, ERR_PTR(-EINVAL) for a bad length.
 */
struct smbsign_key *smbsign_smb1_key_alloc(const u8 *mac_key,
					   unsigned int keylen, gfp_t gfp)
{
	const struct smbsign_backend *be = &smbsign_md5_backend;

	if (!smbsign_smb1_allowed())
		return ERR_PTR(-EPERM);
	if (keylen < be->keylen_min || keylen > be->keylen_max)
		return ERR_PTR(-EINVAL);
	return smbsign_key_new(be, mac_key, keylen, gfp);
}
EXPORT_SYMBOL_NS_GPL(smbsign_smb1_key_alloc, SMBSIGN_NS);

/* Checks shared by sign and verify; fills the span with the seq hole. */
static int smbsign_smb1_prepare(struct smbsign_key *key, struct smbsign_msg *m,
				const struct kvec *iov, unsigned int nvec,
				const struct iov_iter *data, u8 *hole,
				u32 seq, struct smbsign_span *span)
{
	u8 proto[4];
	int ret;

	if (!key || key->be != &smbsign_md5_backend)
		return -EINVAL;
	if (!smbsign_smb1_allowed())
		return -EPERM;
	ret = smbsign_msg_init(m, iov, nvec, data);
	if (ret)
		return ret;
	if (m->kvec_len < SMBSIGN_SMB1_HDR_SIZE)
		return -EINVAL;
	ret = smbsign_msg_read(m, 0, proto, sizeof(proto));
	if (ret)
		return ret;
	if (memcmp(proto, smbsign_smb1_proto, sizeof(proto)))
		return -EINVAL;
	put_unaligned_le32(seq, hole);
	memset(hole + 4, 0, 4);
	span->msg = m;
	span->off = 0;
	span->len = m->len;
	span->hole_off = SMB1_SIG_OFF;
	span->hole_len = SMBSIGN_SMB1_SIG_SIZE;
	span->hole = hole;
	span->head = NULL;
	span->head_len = 0;
	return 0;
}

/**
 * smbsign_smb1_sign - sign an SMB1 message
 * @key: from smbsign_smb1_key_alloc()
 * @iov: the message from its 32-byte SMB1 header on (no RFC1002 prefix)
 * @nvec: number of kvecs
 * @data: bytes following the kvecs, or NULL
 * @seq: the sequence number of this message
 *
 * Sets SMB_FLAGS2_SECURITY_SIGNATURE and writes the 8-byte signature;
 * on failure both fields are left as they were.
 *
 * Context: Any context except NMI; does not sleep.
 *
 * Return: 0, -EPERM while allow_smb1 is off, -EINVAL for a malformed
 * message or a key of another algorithm.
 */
int smbsign_smb1_sign(struct smbsign_key *key, struct kvec *iov,
		      unsigned int nvec, struct iov_iter *data, u32 seq)
{
	u8 hole[SMBSIGN_SMB1_SIG_SIZE], mac[SMBSIGN_SIG_SIZE];
	u8 flags2[2], old_flags2[2];
	struct smbsign_span span;
	struct smbsign_msg m;
	int ret;

	ret = smbsign_smb1_prepare(key, &m, iov, nvec, data, hole, seq, &span);
	if (ret)
		goto out;
	ret = smbsign_msg_read(&m, SMB1_FLAGS2_OFF, old_flags2, 2);
	if (ret)
		goto out;
	/* FLAGS2 is covered by the MAC: it goes into the message first */
	put_unaligned_le16(get_unaligned_le16(old_flags2) |
			   SMB1_FLAGS2_SIGNATURE, flags2);
	ret = smbsign_msg_write(&m, SMB1_FLAGS2_OFF, flags2, 2);
	if (ret)
		goto out;
	ret = key->be->mac(key, &span, mac);
	if (!ret)
		ret = smbsign_msg_write(&m, SMB1_SIG_OFF, mac,
					SMBSIGN_SMB1_SIG_SIZE);
	if (ret)
		smbsign_msg_write(&m, SMB1_FLAGS2_OFF, old_flags2, 2);
out:
	memzero_explicit(mac, sizeof(mac));
	if (key && key->be == &smbsign_md5_backend)
		smbsign_stat(SMBSIGN_IDX_MD5, ret ? SMBSIGN_STAT_ERROR :
			     SMBSIGN_STAT_SIGNED, ret ? 0 : m.len);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(smbsign_smb1_sign, SMBSIGN_NS);

/* The header was read once already, so this read cannot fail. */
static void smbsign_smb1_trace_failure(const struct smbsign_msg *m, u32 seq)
{
	u8 hdr[SMBSIGN_SMB1_HDR_SIZE];

	if (!trace_smbsign_smb1_verify_failed_enabled() ||
	    smbsign_msg_read(m, 0, hdr, sizeof(hdr)))
		return;
	trace_smbsign_smb1_verify_failed(get_unaligned_le16(hdr + SMB1_UID_OFF),
					 get_unaligned_le16(hdr + SMB1_MID_OFF),
					 hdr[SMB1_COMMAND_OFF], seq, m->len);
}

/**
 * smbsign_smb1_verify - verify an SMB1 message
 * @key: from smbsign_smb1_key_alloc()
 * @iov: the message from its SMB1 header on; never written
 * @nvec: number of kvecs
 * @data: bytes following the kvecs, or NULL
 * @seq: the sequence number the message must carry
 *
 * Context: Any context except NMI; does not sleep.
 *
 * Return: 0, -EBADMSG on mismatch, -EPERM or -EINVAL as for signing.
 */
int smbsign_smb1_verify(struct smbsign_key *key, const struct kvec *iov,
			unsigned int nvec, struct iov_iter *data, u32 seq)
{
	u8 hole[SMBSIGN_SMB1_SIG_SIZE], mac[SMBSIGN_SIG_SIZE];
	u8 sig[SMBSIGN_SMB1_SIG_SIZE];
	struct smbsign_span span;
	struct smbsign_msg m;
	int ret;

	ret = smbsign_smb1_prepare(key, &m, iov, nvec, data, hole, seq, &span);
	if (!ret)
		ret = smbsign_msg_read(&m, SMB1_SIG_OFF, sig, sizeof(sig));
	if (!ret)
		ret = key->be->mac(key, &span, mac);
	if (!ret && crypto_memneq(mac, sig, sizeof(sig))) {
		ret = -EBADMSG;
		smbsign_smb1_trace_failure(&m, seq);
	}
	memzero_explicit(mac, sizeof(mac));
	if (key && key->be == &smbsign_md5_backend)
		smbsign_stat(SMBSIGN_IDX_MD5,
			     !ret ? SMBSIGN_STAT_VERIFIED :
			     ret == -EBADMSG ? SMBSIGN_STAT_VERIFY_FAILED :
			     SMBSIGN_STAT_ERROR, ret ? 0 : m.len);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(smbsign_smb1_verify, SMBSIGN_NS);
