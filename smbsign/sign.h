/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Signing and verifying one SMB2 PDU of a message (sign.c), shared by the
 * single-message and the compound entry points (compound.c).
 */
#ifndef _SMBSIGN_SIGN_H
#define _SMBSIGN_SIGN_H

#include <linux/types.h>
#include <linux/uio.h>

#include "key.h"
#include "msg.h"

int smbsign_smb2_msg(struct smbsign_key *key, struct smbsign_msg *m,
		     const struct kvec *iov, unsigned int nvec,
		     const struct iov_iter *data);
int smbsign_claim_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		      size_t off, size_t len);
int smbsign_sign_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		     size_t off, size_t len, bool claimed);
int smbsign_verify_pdu(struct smbsign_key *key, const struct smbsign_msg *m,
		       size_t off, size_t len);

/* compound.c: the pure rule, also built in user space for fuzzing */
int smbsign_compound_step(u32 next_command, size_t off, size_t total,
			  size_t *pdu_len);

#endif /* _SMBSIGN_SIGN_H */
