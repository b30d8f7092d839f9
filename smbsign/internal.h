/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smbsign internals shared between the module's files. Nothing here is
 * part of the consumer API (include/linux/smbsign.h).
 */
#ifndef _SMBSIGN_INTERNAL_H
#define _SMBSIGN_INTERNAL_H

#include <linux/crypto.h>
#include <linux/refcount.h>
#include <linux/smbsign.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uio.h>

#include "compat.h"

#ifdef SMBSIGN_LIB_HMAC
#include <crypto/sha2.h>
#endif
#ifdef SMBSIGN_LIB_CMAC
#include <crypto/aes-cbc-macs.h>
#endif
#ifdef SMBSIGN_LIB_GMAC
#include <crypto/aes.h>
#include <crypto/gf128hash.h>
#endif

struct crypto_shash;
struct crypto_ahash;
struct crypto_cipher;
struct page;

/* SMB2 header (MS-SMB2 2.2.1), little-endian. */
#define SMB2_PROTO_OFF		0
#define SMB2_COMMAND_OFF	12
#define SMB2_FLAGS_OFF		16
#define SMB2_NEXT_OFF		20
#define SMB2_MID_OFF		24
#define SMB2_SID_OFF		40
#define SMB2_SIG_OFF		48

#define SMB2_FLAG_SERVER_TO_REDIR	0x00000001
#define SMB2_FLAG_SIGNED		0x00000008
#define SMB2_CMD_CANCEL			0x000C

/* SMB1 header (MS-CIFS 2.2.3.1). */
#define SMB1_COMMAND_OFF	4
#define SMB1_FLAGS2_OFF		10
#define SMB1_SIG_OFF		14
#define SMB1_UID_OFF		28
#define SMB1_MID_OFF		30
#define SMB1_FLAGS2_SIGNATURE	0x0004
#define SMB1_MAX_MAC_KEY	64

/* Room for "ghash-driver+aes-driver". */
#define SMBSIGN_DRIVER_NAME_MAX	(CRYPTO_MAX_ALG_NAME * 2)

/* Bits of GCM's length block that can be set: a 64-bit bit count. */
#define SMBSIGN_LEN_BITS	64

/* Internal algorithm index: stats slots, backend table. */
enum smbsign_idx {
	SMBSIGN_IDX_HMAC,
	SMBSIGN_IDX_CMAC,
	SMBSIGN_IDX_GMAC,
	SMBSIGN_IDX_MD5,
	SMBSIGN_NR_IDX,
};

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

struct smbsign_key;

/**
 * struct smbsign_backend - one signing algorithm
 * @alg: public algorithm id
 * @idx: internal index
 * @name: short name (stats, logs)
 * @keylen_min: smallest key accepted
 * @keylen_max: largest key accepted
 * @setup: allocate transforms and set the key; called once per key
 * @teardown: free what @setup allocated
 * @mac: compute the MAC of a span into @out (16 bytes for all algorithms)
 * @driver: the crypto driver(s) this key got, for stats and logs
 */
struct smbsign_backend {
	enum smbsign_alg alg;
	enum smbsign_idx idx;
	const char *name;
	unsigned int keylen_min;
	unsigned int keylen_max;
	int (*setup)(struct smbsign_key *key, const u8 *k, unsigned int keylen,
		     gfp_t gfp);
	void (*teardown)(struct smbsign_key *key);
	int (*mac)(struct smbsign_key *key, const struct smbsign_span *span,
		   u8 *out);
	void (*driver)(struct smbsign_key *key, char *buf, size_t len);
};

/**
 * struct smbsign_key - per-session (per-channel) signing context
 * @ref: references; the last put wipes and frees
 * @be: the algorithm
 * @shash: keyed transform (MD5; HMAC and CMAC without their library)
 * @hmac: HMAC-SHA256 library key (SMBSIGN_LIB_HMAC)
 * @cmac: AES-CMAC library key (SMBSIGN_LIB_CMAC)
 * @gmac: AES-GMAC: AES keyed with K, and GHASH keyed with H = E(K, 0^128)
 * @gmac.aes: AES-128 library key (SMBSIGN_LIB_GMAC), or block cipher
 * @gmac.ghash: GHASH library key (SMBSIGN_LIB_GMAC), or transform
 * @gmac.h: H, for the length-block table (crypto API build)
 * @gmac.len_tab: H * x^m for the length block (gf128.c; crypto API build)
 * @smb1: SMB1 MACKey, hashed in front of every PDU
 * @smb1.key: the MACKey bytes
 * @smb1.len: bytes in @smb1.key
 *
 * Library keys live in the context itself: the final wipe of the context
 * (smbsign_key_wipe()) is what erases them.
 */
struct smbsign_key {
	refcount_t ref;
	const struct smbsign_backend *be;
	struct crypto_shash *shash;
#ifdef SMBSIGN_LIB_HMAC
	struct hmac_sha256_key hmac;
#endif
#ifdef SMBSIGN_LIB_CMAC
	struct aes_cmac_key cmac;
#endif
#ifdef SMBSIGN_LIB_GMAC
	struct {
		struct aes_enckey aes;
		struct ghash_key ghash;
	} gmac;
#else
	struct {
		struct crypto_ahash *ghash;
		struct crypto_cipher *aes;
		u8 h[16];
		u64 len_tab[SMBSIGN_LEN_BITS][2];
	} gmac;
#endif
	struct {
		u8 key[SMB1_MAX_MAC_KEY];
		unsigned int len;
	} smb1;
};

/* backends */
extern const struct smbsign_backend smbsign_hmac_backend;
extern const struct smbsign_backend smbsign_cmac_backend;
extern const struct smbsign_backend smbsign_md5_backend;
extern const struct smbsign_backend smbsign_gmac_backend;
extern const struct smbsign_backend *const smbsign_backends[SMBSIGN_NR_IDX];
const struct smbsign_backend *smbsign_backend_of(enum smbsign_alg alg);
struct smbsign_key *smbsign_key_new(const struct smbsign_backend *be,
				    const u8 *k, unsigned int keylen,
				    gfp_t gfp);
int smbsign_live_keys(void);
void smbsign_key_wipe(struct smbsign_key *key);
void smbsign_key_release(struct smbsign_key *key);

/* msg.c */
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

/* sign.c */
int smbsign_smb2_msg(struct smbsign_key *key, struct smbsign_msg *m,
		     const struct kvec *iov, unsigned int nvec,
		     const struct iov_iter *data);
int smbsign_sign_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		     size_t off, size_t len);
int smbsign_verify_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		       size_t off, size_t len);
int smbsign_gmac_nonce(const u8 *hdr, u8 nonce[12]);
int smbsign_gmac_mac(struct smbsign_key *key, const struct smbsign_span *span,
		     u8 *out);

/* lib_impl.c: what the library backends share */
void smbsign_lib_teardown(struct smbsign_key *key);
void smbsign_lib_driver(struct smbsign_key *key, char *buf, size_t len);

/* gf128.c: GCM's length block from a per-key table */
void smbsign_gf128_len_table(u64 tab[SMBSIGN_LEN_BITS][2], const u8 h[16]);
void smbsign_gf128_len_mul(u8 out[16], const u64 tab[SMBSIGN_LEN_BITS][2],
			   u64 bits);

/* gmac: raw GCM tag over associated data only, for self-tests */
int smbsign_gmac_raw(struct smbsign_key *key, const u8 iv[12],
		     const struct smbsign_span *span, u8 *tag);

/* compound.c: the pure rule, also built in user space for fuzzing */
int smbsign_compound_step(u32 next_command, size_t off, size_t total,
			  size_t *pdu_len);

/* kdf.c */
int smbsign_kdf_fixed(const u8 *ki, unsigned int ki_len,
		      const struct kvec *fixed, unsigned int nfixed,
		      u8 *out, unsigned int out_len);

/* policy.c */
bool smbsign_smb1_allowed(void);

/* stats.c */
enum smbsign_stat_op {
	SMBSIGN_STAT_SIGNED,
	SMBSIGN_STAT_VERIFIED,
	SMBSIGN_STAT_VERIFY_FAILED,
	SMBSIGN_STAT_ERROR,
};

void smbsign_stat(enum smbsign_idx idx, enum smbsign_stat_op op, size_t bytes);
void smbsign_stats_set_driver(enum smbsign_idx idx, const char *driver);
void smbsign_stats_driver(enum smbsign_idx idx, char *buf, size_t len);
struct seq_file;
int smbsign_stats_show(struct seq_file *m, void *v);
int smbsign_stats_init(void);
void smbsign_stats_exit(void);

/* selftest.c */
int smbsign_selftest(const struct smbsign_backend *be);
int smbsign_mac_buf(struct smbsign_key *key, const u8 *iv, const void *buf,
		    size_t len, u8 *out);

#endif /* _SMBSIGN_INTERNAL_H */
