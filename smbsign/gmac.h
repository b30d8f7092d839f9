/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AES-GMAC pieces shared by its two backends (backend_gmac.c on the crypto
 * API, backend_lib_gmac.c on lib/crypto): the nonce an SMB2 header
 * implies, the tag over a span, and the constant-time GHASH the crypto API
 * backend falls back to where SIMD cannot be used (gf128.c).
 */
#ifndef _SMBSIGN_GMAC_H
#define _SMBSIGN_GMAC_H

#include <linux/types.h>

#include "key.h"
#include "msg.h"

#define SMBSIGN_GMAC_NONCE_SIZE	12

int smbsign_gmac_nonce(const u8 *hdr, u8 nonce[SMBSIGN_GMAC_NONCE_SIZE]);
int smbsign_gmac_mac(struct smbsign_key *key, const struct smbsign_span *span,
		     u8 *out);
int smbsign_gmac_raw(struct smbsign_key *key,
		     const u8 iv[SMBSIGN_GMAC_NONCE_SIZE],
		     const struct smbsign_span *span, u8 *tag);

/**
 * struct smbsign_ghash_ct - state of the constant-time GHASH (gf128.c)
 * @y: the running hash Y, as two big-endian halves
 * @h: the key H, as two big-endian halves
 * @buf: bytes of a block not yet complete
 * @nbuf: bytes in @buf
 */
struct smbsign_ghash_ct {
	u64 y[2];
	u64 h[2];
	u8 buf[16];
	unsigned int nbuf;
};

void smbsign_ghash_ct_init(struct smbsign_ghash_ct *g, const u64 h[2]);
void smbsign_ghash_ct_update(struct smbsign_ghash_ct *g, const u8 *p,
			     size_t len);
void smbsign_ghash_ct_final(struct smbsign_ghash_ct *g, u8 out[16]);

#endif /* _SMBSIGN_GMAC_H */
