/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smbsign - one SMB message-signing service for the in-kernel SMB client
 * and server.
 *
 * This is the only header consumers include. Every function is exported in
 * the SMBSIGN symbol namespace: add MODULE_IMPORT_NS(SMBSIGN) (a string
 * literal, "SMBSIGN", from Linux 6.13 on) to the consuming module.
 */
#ifndef _LINUX_SMBSIGN_H
#define _LINUX_SMBSIGN_H

#include <linux/types.h>
#include <linux/uio.h>

/**
 * enum smbsign_alg - signing algorithms
 * @SMBSIGN_ALG_HMAC_SHA256: HMAC-SHA256 truncated to 16 bytes (SMB 2.0.2, 2.1)
 * @SMBSIGN_ALG_AES_CMAC: AES-128-CMAC (SMB 3.0, 3.0.2, 3.1.1)
 * @SMBSIGN_ALG_AES_GMAC: AES-128-GMAC (SMB 3.1.1 with SIGNING_CAPABILITIES)
 * @SMBSIGN_ALG_SMB1_MD5: SMB1 MD5 signing; not a wire id, refused unless the
 *	allow_smb1 module parameter is set. Use the smbsign_smb1_* calls.
 *
 * The first three values are the MS-SMB2 2.2.3.1.7 wire ids.
 */
enum smbsign_alg {
	SMBSIGN_ALG_HMAC_SHA256 = 0,
	SMBSIGN_ALG_AES_CMAC = 1,
	SMBSIGN_ALG_AES_GMAC = 2,
	SMBSIGN_ALG_SMB1_MD5 = 0x100,
};

/* Number of SMB2 wire algorithm ids smbsign knows (0..2). */
#define SMBSIGN_NR_SMB2_ALGS	3

#define SMBSIGN_KEY_SIZE	16	/* every SMB2/3 signing key */
#define SMBSIGN_SIG_SIZE	16	/* SMB2 header Signature field */
#define SMBSIGN_SMB2_HDR_SIZE	64
#define SMBSIGN_PREAUTH_HASH_SIZE 64	/* SHA-512 preauth integrity hash */

struct smbsign_key;

struct smbsign_key *smbsign_key_alloc(enum smbsign_alg alg, const u8 *key,
				      unsigned int keylen, gfp_t gfp);
struct smbsign_key *smbsign_key_get(struct smbsign_key *key);
void smbsign_key_put(struct smbsign_key *key);
enum smbsign_alg smbsign_key_alg(const struct smbsign_key *key);

int smbsign_sign(struct smbsign_key *key, struct kvec *iov, unsigned int nvec,
		 struct iov_iter *data);
int smbsign_verify(struct smbsign_key *key, const struct kvec *iov,
		   unsigned int nvec, struct iov_iter *data);

/* Compound chains: every PDU of the chain is signed or verified. */
int smbsign_compound_pdu_len(const struct kvec *iov, unsigned int nvec,
			     const struct iov_iter *data, size_t offset,
			     size_t *pdu_len);
int smbsign_sign_compound(struct smbsign_key *key, struct kvec *iov,
			  unsigned int nvec, struct iov_iter *data);
int smbsign_verify_compound(struct smbsign_key *key, const struct kvec *iov,
			    unsigned int nvec, struct iov_iter *data);

/* Key derivation (MS-SMB2 3.1.4.2). */
int smbsign_kdf(const u8 *ki, unsigned int ki_len, const u8 *label,
		unsigned int label_len, const u8 *context,
		unsigned int context_len, u8 *out, unsigned int out_len);
int smbsign_derive_signing_key(u16 dialect, const u8 *session_key,
			       unsigned int sk_len, const u8 *preauth_hash,
			       u8 *out);

/* SMB1 (legacy, opt-in): MD5 over MACKey || PDU with a sequence number. */
#define SMBSIGN_SMB1_HDR_SIZE	32
#define SMBSIGN_SMB1_SIG_SIZE	8
struct smbsign_key *smbsign_smb1_key_alloc(const u8 *mac_key,
					   unsigned int keylen, gfp_t gfp);
int smbsign_smb1_sign(struct smbsign_key *key, struct kvec *iov,
		      unsigned int nvec, struct iov_iter *data, u32 seq);
int smbsign_smb1_verify(struct smbsign_key *key, const struct kvec *iov,
			unsigned int nvec, struct iov_iter *data, u32 seq);

/* Policy (the Windows RequireSecuritySignature / EnableSecuritySignature model). */

/**
 * enum smbsign_role - which side of the connection the caller is
 * @SMBSIGN_CLIENT: the SMB client (redirector), e.g. cifs
 * @SMBSIGN_SERVER: the SMB server, e.g. ksmbd
 */
enum smbsign_role {
	SMBSIGN_CLIENT,
	SMBSIGN_SERVER,
};

/**
 * enum smbsign_smb1_decision - outcome of SMB1 signing negotiation
 * @SMBSIGN_SMB1_UNSIGNED: the session is not signed
 * @SMBSIGN_SMB1_SIGNED: the session is signed
 * @SMBSIGN_SMB1_REFUSE: one side requires signing the other has disabled;
 *	the connection must fail
 */
enum smbsign_smb1_decision {
	SMBSIGN_SMB1_UNSIGNED,
	SMBSIGN_SMB1_SIGNED,
	SMBSIGN_SMB1_REFUSE,
};

bool smbsign_policy_smb2(bool client_requires, bool server_requires);
enum smbsign_smb1_decision smbsign_policy_smb1(bool client_enabled,
					       bool client_requires,
					       bool server_enabled,
					       bool server_requires);
bool smbsign_local_requires(enum smbsign_role role, bool local_setting);
bool smbsign_session_signed(enum smbsign_role role, bool local_setting,
			    bool peer_requires);

/* SIGNING_CAPABILITIES (MS-SMB2 2.2.3.1.7) helpers. */
int smbsign_choose_alg(const __le16 *peer_ids, unsigned int count);
unsigned int smbsign_preferred_algs(__le16 *ids, unsigned int max);

/**
 * struct smbsign_stats - counters of one algorithm since module load
 * @signed_msgs: messages signed
 * @signed_bytes: bytes covered by those signatures
 * @verified_msgs: messages whose signature verified
 * @verified_bytes: bytes covered by those signatures
 * @verify_failed: messages whose signature did not match
 * @errors: calls refused as malformed or failed in the crypto layer
 * @nonce_refused: AES-GMAC signatures refused by the nonce rule: a
 *	MessageId already signed under (or below the key's window and not
 *	known unused), MessageId 0 or all ones, an interim response
 */
struct smbsign_stats {
	u64 signed_msgs;
	u64 signed_bytes;
	u64 verified_msgs;
	u64 verified_bytes;
	u64 verify_failed;
	u64 errors;
	u64 nonce_refused;
};

int smbsign_get_stats(enum smbsign_alg alg, struct smbsign_stats *out);
const char *smbsign_alg_name(enum smbsign_alg alg);

#endif /* _LINUX_SMBSIGN_H */
