/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smbsign_bench: what the three parts of the benchmark share. The module
 * measures, in the guest, the bare primitives (the floor), smbsign over
 * three message layouts and models of the Linux 6.12 cifs and ksmbd
 * signing paths, then the scaling over CPUs of one shared key.
 */
#ifndef _SMBSIGN_BENCH_H
#define _SMBSIGN_BENCH_H

#include <crypto/aead.h>
#include <crypto/hash.h>
#ifdef SMBSIGN_LIB_HMAC
#include <crypto/sha2.h>
#endif
#ifdef SMBSIGN_LIB_CMAC
#include <crypto/aes-cbc-macs.h>
#endif
#include <linux/bvec.h>
#include <linux/scatterlist.h>
#include <linux/smbsign.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/wait.h>

#define BENCH_HDR	64	/* SMB2 header */
#define BENCH_SIG_OFF	48	/* its Signature field */
#define BENCH_SIG	16

/**
 * struct bench_msg - one SMB2 message in the layouts smbsign is timed on
 * @len: message length
 * @buf: the message, contiguous, with 16 spare bytes for a GCM tag
 * @one: @buf as one kvec
 * @three: @buf as header + body in two kvecs (the header itself in three
 *	pieces when there is no body)
 * @hdr: a copy of the header for the paged layout
 * @hdr_iov: @hdr as a kvec
 * @bv: the body in pages
 * @npages: pages behind @bv
 */
struct bench_msg {
	size_t len;
	u8 *buf;
	struct kvec one;
	struct kvec three[3];
	u8 *hdr;
	struct kvec hdr_iov;
	struct bio_vec *bv;
	unsigned int npages;
};

int bench_msg_init(struct bench_msg *m, size_t len, u64 mid);
void bench_msg_free(struct bench_msg *m);
/* An ITER_BVEC over the body; a fresh one per call since signing reads it. */
void bench_msg_iter(struct bench_msg *m, struct iov_iter *it);

/**
 * struct bench_floor - the bare primitive on a contiguous buffer
 * @alg: the algorithm
 * @lib: a library call (SMBSIGN_LIB_HMAC/CMAC builds), not a transform
 * @hmac: HMAC-SHA256 library key
 * @cmac: AES-CMAC library key
 * @tfm: keyed hmac(sha256) or cmac(aes)
 * @aead: keyed gcm(aes), for AES-GMAC (associated data only)
 * @req: its request, allocated once
 * @sg: the one scatterlist entry over the message and the tag
 * @wait: completion of @req
 * @iv: the GCM nonce
 * @buf: the message
 * @len: its length
 */
struct bench_floor {
	enum smbsign_alg alg;
	bool lib;
#ifdef SMBSIGN_LIB_HMAC
	struct hmac_sha256_key hmac;
#endif
#ifdef SMBSIGN_LIB_CMAC
	struct aes_cmac_key cmac;
#endif
	struct crypto_shash *tfm;
	struct crypto_aead *aead;
	struct aead_request *req;
	struct scatterlist sg;
	struct crypto_wait wait;
	u8 iv[12];
	u8 *buf;
	size_t len;
};

int bench_floor_init(struct bench_floor *f, enum smbsign_alg alg,
		     const u8 *key, u8 *buf, size_t len);
int bench_floor_mac(struct bench_floor *f, u8 *out);
void bench_floor_free(struct bench_floor *f);
const char *bench_floor_driver(struct bench_floor *f);

/**
 * struct bench_cifs - model of the Linux 6.12 cifs client's signing
 * @name: hmac(sha256) or cmac(aes)
 * @desc: server->secmech's descriptor, allocated at session setup
 * @lock: cifs_tcp_ses_lock, taken to look the session key up
 * @key: the session's signing key
 */
struct bench_cifs {
	const char *name;
	struct shash_desc *desc;
	spinlock_t lock;	/* cifs_tcp_ses_lock */
	u8 key[16];
};

int bench_cifs_init(struct bench_cifs *c, const char *name, const u8 *key);
void bench_cifs_free(struct bench_cifs *c);
int bench_cifs_sign(struct bench_cifs *c, struct kvec *iov, unsigned int n);
int bench_cifs_verify(struct bench_cifs *c, struct kvec *iov, unsigned int n);

/**
 * struct bench_ksmbd - model of ksmbd's (6.12) shared crypto context pool
 * @name: hmac(sha256) or cmac(aes)
 * @lock: protects @idle and @avail
 * @idle: contexts not in use
 * @avail: contexts that exist
 * @wait: where a caller waits for an idle context
 * @key: the session's signing key
 */
struct bench_ksmbd {
	const char *name;
	spinlock_t lock;	/* ctx_list.ctx_lock */
	struct list_head idle;
	int avail;
	wait_queue_head_t wait;
	u8 key[16];
};

void bench_ksmbd_init(struct bench_ksmbd *k, const char *name, const u8 *key);
void bench_ksmbd_free(struct bench_ksmbd *k);
int bench_ksmbd_sign(struct bench_ksmbd *k, struct kvec *iov, unsigned int n);
int bench_ksmbd_verify(struct bench_ksmbd *k, struct kvec *iov,
		       unsigned int n);

#endif /* _SMBSIGN_BENCH_H */
