// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB 3.x key derivation (MS-SMB2 3.1.4.2): NIST SP 800-108 counter mode
 * with HMAC-SHA256 as PRF, a 32-bit counter before the fixed input, and
 * fixed input Label || 0x00 || Context || [L]32.
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/string.h>

#include "kdf.h"
#include "key.h"

#define SMBSIGN_KDF_BLOCK	32	/* SHA-256 output */
#define SMBSIGN_KDF_MAX_OUT	(SMBSIGN_KDF_BLOCK * 16)

/**
 * smbsign_kdf_fixed - SP 800-108 counter mode, caller-formatted fixed input
 * @ki: key derivation key
 * @ki_len: its length
 * @fixed: pieces of the fixed input data, hashed in order after the counter
 * @nfixed: number of pieces
 * @out: derived key
 * @out_len: bytes wanted (at most 512)
 *
 * Used by smbsign_kdf() and, directly, by the NIST CAVP vectors whose
 * fixed input is opaque. Allocates a transform: key derivation happens
 * once per session setup, not per message.
 *
 * Context: Process context; may sleep (allocates a transform).
 *
 * Return: 0, -EINVAL for a missing input or an output longer than 512
 * bytes, or the crypto layer's error.
 */
int smbsign_kdf_fixed(const u8 *ki, unsigned int ki_len,
		      const struct kvec *fixed, unsigned int nfixed,
		      u8 *out, unsigned int out_len)
{
	u8 block[SMBSIGN_KDF_BLOCK];
	struct crypto_shash *tfm;
	unsigned int done = 0, i;
	__be32 counter;
	int ret;

	might_sleep();
	if (!ki || !ki_len || !out || !out_len || out_len > SMBSIGN_KDF_MAX_OUT)
		return -EINVAL;
	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_shash_setkey(tfm, ki, ki_len);
	for (counter = cpu_to_be32(1); !ret && done < out_len;
	     be32_add_cpu(&counter, 1)) {
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		ret = crypto_shash_init(desc);
		if (!ret)
			ret = crypto_shash_update(desc, (u8 *)&counter,
						  sizeof(counter));
		for (i = 0; !ret && i < nfixed; i++)
			ret = crypto_shash_update(desc, fixed[i].iov_base,
						  fixed[i].iov_len);
		if (!ret)
			ret = crypto_shash_final(desc, block);
		shash_desc_zero(desc);
		if (!ret) {
			i = min_t(unsigned int, out_len - done, sizeof(block));
			memcpy(out + done, block, i);
			done += i;
		}
	}
	memzero_explicit(block, sizeof(block));
	crypto_free_shash(tfm);
	if (ret)
		memzero_explicit(out, out_len);
	return ret;
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_kdf_fixed);

/**
 * smbsign_kdf - SMB 3.x KDF: SP 800-108 counter mode, HMAC-SHA256
 * @ki: key derivation key (the session key)
 * @ki_len: its length
 * @label: the label, including its trailing NUL (e.g. "SMBSigningKey\0")
 * @label_len: bytes of @label
 * @context: the context (e.g. the preauth integrity hash); may be NULL if
 *	@context_len is 0
 * @context_len: bytes of @context
 * @out: the derived key
 * @out_len: bytes wanted; L = 8 * @out_len (at most 512 bytes)
 *
 * Computes HMAC-SHA256(Ki, BE32(i) || Label || 0x00 || Context || BE32(L))
 * for i = 1, 2, ... and keeps the first @out_len bytes. The 0x00 separator
 * is added here, after the label's own NUL, as MS-SMB2 requires.
 *
 * Context: Process context; may sleep.
 *
 * Return: 0, or -EINVAL for a missing key, label or output, or the crypto
 * layer's error. @out is zeroed on error.
 */
int smbsign_kdf(const u8 *ki, unsigned int ki_len, const u8 *label,
		unsigned int label_len, const u8 *context,
		unsigned int context_len, u8 *out, unsigned int out_len)
{
	static const u8 sep;
	__be32 bits = cpu_to_be32(out_len * 8);
	struct kvec fixed[] = {
		{ .iov_base = (void *)label, .iov_len = label_len },
		{ .iov_base = (void *)&sep, .iov_len = 1 },
		{ .iov_base = (void *)context, .iov_len = context_len },
		{ .iov_base = &bits, .iov_len = sizeof(bits) },
	};

	if ((!label && label_len) || (!context && context_len))
		return -EINVAL;
	return smbsign_kdf_fixed(ki, ki_len, fixed, ARRAY_SIZE(fixed), out,
				 out_len);
}
EXPORT_SYMBOL_NS_GPL(smbsign_kdf, SMBSIGN_NS);

/**
 * smbsign_derive_signing_key - the 16-byte signing key of a session
 * @dialect: 0x0202, 0x0210, 0x0300, 0x0302 or 0x0311
 * @session_key: the key GSS authentication produced
 * @sk_len: its length; Session.SessionKey is its first 16 bytes,
 *	zero-padded if shorter (MS-SMB2 3.2.5.3.1, 3.3.5.5.3)
 * @preauth_hash: Session.PreauthIntegrityHashValue (64 bytes) for 3.1.1;
 *	ignored, and may be NULL, for the other dialects
 * @out: 16 bytes
 *
 * SMB 2.0.2/2.1 sign with Session.SessionKey itself (HMAC-SHA256); 3.0 and
 * 3.0.2 derive with "SMB2AESCMAC\0" / "SmbSign\0"; 3.1.1 with
 * "SMBSigningKey\0" and the preauth hash. The signing key is 128 bits for
 * every cipher, AES-256 included. For a channel bound to an existing
 * session, pass that channel's own session key and preauth hash.
 *
 * Context: Process context; may sleep.
 *
 * Return: 0, or -EINVAL for another dialect, a missing key, output, or
 * (3.1.1) preauth hash.
 */
int smbsign_derive_signing_key(u16 dialect, const u8 *session_key,
			       unsigned int sk_len, const u8 *preauth_hash,
			       u8 *out)
{
	static const u8 cmac_label[] = "SMB2AESCMAC";	/* sizeof: with NUL */
	static const u8 cmac_ctx[] = "SmbSign";
	static const u8 label_311[] = "SMBSigningKey";
	u8 ki[SMBSIGN_KEY_SIZE] = {};
	int ret;

	might_sleep();
	if (!session_key || !sk_len || !out)
		return -EINVAL;
	memcpy(ki, session_key, min_t(unsigned int, sk_len, sizeof(ki)));
	switch (dialect) {
	case 0x0202:
	case 0x0210:
		memcpy(out, ki, SMBSIGN_KEY_SIZE);
		ret = 0;
		break;
	case 0x0300:
	case 0x0302:
		ret = smbsign_kdf(ki, sizeof(ki), cmac_label,
				  sizeof(cmac_label), cmac_ctx,
				  sizeof(cmac_ctx), out, SMBSIGN_KEY_SIZE);
		break;
	case 0x0311:
		if (!preauth_hash) {
			ret = -EINVAL;
			break;
		}
		ret = smbsign_kdf(ki, sizeof(ki), label_311, sizeof(label_311),
				  preauth_hash, SMBSIGN_PREAUTH_HASH_SIZE, out,
				  SMBSIGN_KEY_SIZE);
		break;
	default:
		ret = -EINVAL;
	}
	memzero_explicit(ki, sizeof(ki));
	return ret;
}
EXPORT_SYMBOL_NS_GPL(smbsign_derive_signing_key, SMBSIGN_NS);
