// SPDX-License-Identifier: GPL-2.0-only
/*
 * smbsign: one SMB message-signing service for the in-kernel SMB client
 * (cifs) and server (ksmbd). Module load runs the known-answer self-tests
 * and refuses to load if any fails.
 */
#include <linux/crypto.h>
#include <linux/module.h>

#include "key.h"
#include "policy.h"
#include "stats.h"

#ifndef SMBSIGN_VERSION
#define SMBSIGN_VERSION "unknown"
#endif

static int __init smbsign_init(void)
{
	char drv[SMBSIGN_NR_IDX][SMBSIGN_DRIVER_NAME_MAX];
	unsigned int i;
	int ret;

	smbsign_stats_init();
	/* the SMB2/3 algorithms always; SMB1's MD5 only when allowed */
	for (i = 0; i < SMBSIGN_NR_IDX; i++) {
		if (i == SMBSIGN_IDX_MD5)
			continue;
		ret = smbsign_selftest(smbsign_backends[i]);
		if (ret)
			goto fail;
	}
	if (smbsign_smb1_allowed()) {
		ret = smbsign_selftest(&smbsign_md5_backend);
		if (ret)
			goto fail;
	}
	for (i = 0; i < SMBSIGN_NR_IDX; i++)
		smbsign_stats_driver(i, drv[i], sizeof(drv[i]));
	pr_info("smbsign %s: self-tests passed; hmac-sha256: %s, aes-cmac: %s, aes-gmac: %s, smb1-md5: %s\n",
		SMBSIGN_VERSION, drv[SMBSIGN_IDX_HMAC], drv[SMBSIGN_IDX_CMAC],
		drv[SMBSIGN_IDX_GMAC],
		smbsign_smb1_allowed() ? drv[SMBSIGN_IDX_MD5] : "off");
	return 0;
fail:
	pr_err("smbsign: refusing to load: a known-answer self-test failed\n");
	smbsign_stats_exit();
	return ret == -EBADMSG ? -EIO : ret;
}

static void __exit smbsign_exit(void)
{
	smbsign_stats_exit();
}

module_init(smbsign_init);
module_exit(smbsign_exit);

MODULE_DESCRIPTION("SMB message signing service for cifs and ksmbd (HMAC-SHA256, AES-CMAC, AES-GMAC)");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMBSIGN_VERSION);
/*
 * Load the accelerated drivers first so the crypto API picks them (it
 * loads generic templates on demand, but never a faster driver once an
 * algorithm is instantiated). modprobe honours one softdep line only.
 * Not needed where all three are library calls: the library's x86 code
 * is built into the kernel and chosen at boot.
 */
#if defined(CONFIG_X86) && \
	!(defined(SMBSIGN_LIB_HMAC) && defined(SMBSIGN_LIB_CMAC) && defined(SMBSIGN_LIB_GMAC))
MODULE_SOFTDEP("pre: aesni_intel ghash_clmulni_intel sha256_ssse3");
#endif
