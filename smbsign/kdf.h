/* SPDX-License-Identifier: GPL-2.0-only */
/* SP 800-108 counter mode over any fixed input (kdf.c). */
#ifndef _SMBSIGN_KDF_H
#define _SMBSIGN_KDF_H

#include <linux/types.h>
#include <linux/uio.h>

int smbsign_kdf_fixed(const u8 *ki, unsigned int ki_len,
		      const struct kvec *fixed, unsigned int nfixed,
		      u8 *out, unsigned int out_len);

#endif /* _SMBSIGN_KDF_H */
