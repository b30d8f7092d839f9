/* SPDX-License-Identifier: GPL-2.0-only */
/* What the module parameters decide inside smbsign itself (policy.c). */
#ifndef _SMBSIGN_POLICY_H
#define _SMBSIGN_POLICY_H

#include <linux/types.h>

bool smbsign_smb1_allowed(void);

#endif /* _SMBSIGN_POLICY_H */
