/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AES-GMAC nonce rule (nonce.c): one key never signs two messages
 * under one nonce. A GMAC nonce is (MessageId, server bit, CANCEL bit);
 * two tags under one nonce give away the GHASH key, and with it every
 * signature of the session. Each GMAC key therefore keeps a record of the
 * MessageIds it has signed, one per nonce class, and refuses to sign under
 * a nonce it has used, or may have used.
 */
#ifndef _SMBSIGN_NONCE_H
#define _SMBSIGN_NONCE_H

#include <linux/types.h>

/*
 * MessageIds remembered exactly, per class: below the highest one marked,
 * this many are known used or not. A peer has at most as many requests in
 * flight as it holds credits (8192 for Windows, Samba and ksmbd by default),
 * so responses may be signed out of order within that range; four times
 * it leaves room for larger credit settings. A CANCEL reuses the MessageId
 * of the request it cancels, and cancels are rare: a smaller window.
 */
#define SMBSIGN_NONCE_WINDOW		32768
#define SMBSIGN_NONCE_CANCEL_WINDOW	4096
/*
 * MessageIds that left the window without being signed, remembered so
 * the final response of a long-pending request (a blocking lock) can
 * still be signed after the window moved past it: the newest this many.
 */
#define SMBSIGN_NONCE_HOLES		32

/* Nonce classes: bit 0 the server bit, bit 1 the CANCEL bit of the nonce. */
#define SMBSIGN_NONCE_SERVER		1
#define SMBSIGN_NONCE_CANCEL		2
#define SMBSIGN_NONCE_CLASSES		4

struct smbsign_nonce_record;

struct smbsign_nonce_record *smbsign_nonce_alloc(gfp_t gfp);
void smbsign_nonce_free(struct smbsign_nonce_record *r);
size_t smbsign_nonce_size(void);
int smbsign_nonce_claim(struct smbsign_nonce_record *r, unsigned int cls,
			u64 mid, unsigned int charge);

#endif /* _SMBSIGN_NONCE_H */
