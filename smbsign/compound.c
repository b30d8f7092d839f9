// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compound chains (MS-SMB2 3.2.4.1.4, 3.3.5.2.7): PDUs back to back, each
 * header's NextCommand giving the offset of the next one, 0 in the last.
 * Every PDU is signed on its own over [its header, NextCommand), padding
 * included; the last runs to the end of the message. NextCommand comes
 * from the wire, so each step is bounds-checked before it is followed.
 */
#include "sign.h"
#include "smb2.h"
#include "stats.h"
#include "wire.h"

/**
 * smbsign_compound_step - length of a PDU from its NextCommand
 * @next_command: the header's NextCommand
 * @off: offset of the PDU in the message
 * @total: message length; the caller guarantees @total - @off >= 64
 * @pdu_len: set to the PDU's length
 *
 * Return: 0, or -EINVAL if NextCommand is not 8-byte aligned, is shorter
 * than a header (overlap, or pointing backwards), or leaves no room for
 * the next header inside the message.
 */
int smbsign_compound_step(u32 next_command, size_t off, size_t total,
			  size_t *pdu_len)
{
	return smbsign_wire_pdu_len(next_command, off, total, pdu_len);
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_compound_step);

static int smbsign_pdu_len_at(const struct smbsign_msg *m, size_t off,
			      size_t *pdu_len)
{
	__le32 next;
	int ret;

	if (off > m->len || m->len - off < SMBSIGN_SMB2_HDR_SIZE)
		return -EINVAL;
	ret = smbsign_msg_read(m, off + SMB2_NEXT_OFF, &next, sizeof(next));
	if (ret)
		return ret;
	return smbsign_compound_step(le32_to_cpu(next), off, m->len, pdu_len);
}

/**
 * smbsign_compound_pdu_len - length of the PDU at @offset of a compound
 * @iov: the message's kvecs
 * @nvec: number of kvecs
 * @data: bytes after the kvecs, or NULL
 * @offset: where the PDU's header starts (0 for the first)
 * @pdu_len: set to the PDU's length, padding included
 *
 * Walk a chain with: off = 0; repeat { get len; handle [off, off + len);
 * off += len } until off reaches the message length.
 *
 * Context: Any context.
 *
 * Return: 0; -EINVAL if fewer than 64 bytes remain at @offset or its
 * NextCommand is misaligned, overlapping or outside the message.
 */
int smbsign_compound_pdu_len(const struct kvec *iov, unsigned int nvec,
			     const struct iov_iter *data, size_t offset,
			     size_t *pdu_len)
{
	struct smbsign_msg m;
	int ret;

	if (!pdu_len)
		return -EINVAL;
	ret = smbsign_msg_init(&m, iov, nvec, data);
	if (ret)
		return ret;
	return smbsign_pdu_len_at(&m, offset, pdu_len);
}
EXPORT_SYMBOL_NS_GPL(smbsign_compound_pdu_len, SMBSIGN_NS);

/* Check the whole chain before anything is signed: no partial writes. */
static int smbsign_compound_check(const struct smbsign_msg *m)
{
	size_t off = 0, len;
	int ret;

	do {
		ret = smbsign_pdu_len_at(m, off, &len);
		if (ret)
			return ret;
		off += len;
	} while (off < m->len);
	return 0;
}

/* Every PDU's nonce (AES-GMAC) before the first is signed. */
static int smbsign_compound_claim(struct smbsign_key *key,
				  const struct smbsign_msg *m)
{
	size_t off = 0, len;
	int ret;

	if (!key->nonces)
		return 0;
	do {
		ret = smbsign_pdu_len_at(m, off, &len);
		if (!ret)
			ret = smbsign_claim_pdu(key, m, off, len);
		if (ret)
			return ret;
		off += len;
	} while (off < m->len);
	return 0;
}

/**
 * smbsign_sign_compound - sign every PDU of a compound chain
 * @key: signing key
 * @iov: the chain, laid out as for smbsign_sign()
 * @nvec: number of kvecs
 * @data: bytes after the kvecs, or NULL
 *
 * The chain is validated first; a malformed one is refused with nothing
 * written. With AES-GMAC every PDU's nonce is then claimed (each PDU has a
 * MessageId of its own), so a refused one also leaves the chain untouched;
 * the nonces granted before it stay used. A single PDU (NextCommand 0) is
 * signed as by smbsign_sign().
 *
 * Context: Any context except NMI; does not sleep.
 *
 * Return: 0, or a negative errno as for smbsign_sign().
 */
int smbsign_sign_compound(struct smbsign_key *key, struct kvec *iov,
			  unsigned int nvec, struct iov_iter *data)
{
	struct smbsign_msg m;
	size_t off = 0, len;
	int ret;

	ret = smbsign_smb2_msg(key, &m, iov, nvec, data);
	if (ret)
		return ret;
	ret = smbsign_compound_check(&m);
	if (ret) {
		smbsign_stat(key->be->idx, SMBSIGN_STAT_ERROR, 0);
		return ret;
	}
	ret = smbsign_compound_claim(key, &m);
	if (ret)
		return ret;
	do {
		ret = smbsign_pdu_len_at(&m, off, &len);
		if (!ret)
			ret = smbsign_sign_pdu(key, &m, off, len, true);
		off += len;
	} while (!ret && off < m.len);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(smbsign_sign_compound, SMBSIGN_NS);

/**
 * smbsign_verify_compound - verify every PDU of a compound chain
 * @key: signing key
 * @iov: the chain; never written
 * @nvec: number of kvecs
 * @data: bytes after the kvecs, or NULL
 *
 * The chain is validated first, so a malformed one is -EINVAL whatever
 * its signatures.
 *
 * Context: Any context except NMI; does not sleep.
 *
 * Return: 0 if every PDU verifies; -EBADMSG at the first that does not;
 * -EINVAL for a malformed chain.
 */
int smbsign_verify_compound(struct smbsign_key *key, const struct kvec *iov,
			    unsigned int nvec, struct iov_iter *data)
{
	struct smbsign_msg m;
	size_t off = 0, len;
	int ret;

	ret = smbsign_smb2_msg(key, &m, iov, nvec, data);
	if (ret)
		return ret;
	ret = smbsign_compound_check(&m);
	if (ret) {
		smbsign_stat(key->be->idx, SMBSIGN_STAT_ERROR, 0);
		return ret;
	}
	do {
		ret = smbsign_pdu_len_at(&m, off, &len);
		if (!ret)
			ret = smbsign_verify_pdu(key, &m, off, len);
		off += len;
	} while (!ret && off < m.len);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(smbsign_verify_compound, SMBSIGN_NS);
