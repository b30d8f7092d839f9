// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the library backends share. They have no driver name to report: a
 * library call picks its code itself, once at boot, from the CPU's
 * features. For the stats, the load line and the demo, this names the
 * code it picks, by the same rules as lib/crypto/x86 (sha256.h, aes.h,
 * gf128hash.h), so an admin can tell "AES-NI" from "table AES" as with
 * the crypto API's driver names.
 */
#include <linux/kernel.h>
#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#endif

#include "key.h"

static const char *smbsign_sha256_impl(void)
{
#if defined(CONFIG_X86) && defined(CONFIG_CRYPTO_LIB_SHA256_ARCH)
	if (boot_cpu_has(X86_FEATURE_SHA_NI))
		return "sha-ni";
	if (cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL) &&
	    boot_cpu_has(X86_FEATURE_AVX))
		return boot_cpu_has(X86_FEATURE_AVX2) &&
		       boot_cpu_has(X86_FEATURE_BMI2) ? "avx2" : "avx";
	if (boot_cpu_has(X86_FEATURE_SSSE3))
		return "ssse3";
	return "generic";
#elif defined(CONFIG_CRYPTO_LIB_SHA256_ARCH)
	return "arch";
#else
	return "generic";
#endif
}

static const char *smbsign_aes_impl(void)
{
#if defined(CONFIG_X86) && defined(CONFIG_CRYPTO_LIB_AES_ARCH)
	return boot_cpu_has(X86_FEATURE_AES) ? "aes-ni" : "generic";
#elif defined(CONFIG_CRYPTO_LIB_AES_ARCH)
	return "arch";
#else
	return "generic";
#endif
}

static const char *smbsign_ghash_impl(void)
{
#if defined(CONFIG_X86) && defined(CONFIG_CRYPTO_LIB_GF128HASH_ARCH)
	return boot_cpu_has(X86_FEATURE_PCLMULQDQ) ? "pclmulqdq" : "generic";
#elif defined(CONFIG_CRYPTO_LIB_GF128HASH_ARCH)
	return "arch";
#else
	return "generic";
#endif
}

/**
 * smbsign_lib_driver - the backends' driver method: the library code an
 *	algorithm runs on
 * @key: a key of a library backend
 * @buf: result, e.g. "hmac-sha256-lib/sha-ni"
 * @len: size of @buf
 */
void smbsign_lib_driver(struct smbsign_key *key, char *buf, size_t len)
{
	switch (key->be->idx) {
	case SMBSIGN_IDX_HMAC:
		snprintf(buf, len, "hmac-sha256-lib/%s", smbsign_sha256_impl());
		break;
	case SMBSIGN_IDX_CMAC:
		snprintf(buf, len, "cmac-aes-lib/%s", smbsign_aes_impl());
		break;
	case SMBSIGN_IDX_GMAC:
		snprintf(buf, len, "ghash-lib/%s+aes-lib/%s",
			 smbsign_ghash_impl(), smbsign_aes_impl());
		break;
	default:
		snprintf(buf, len, "?");
	}
}

/**
 * smbsign_lib_teardown - the backends' teardown method: nothing to free
 * @key: a key of a library backend
 *
 * The prepared keys live in the context itself, so the wipe of the
 * context that follows (smbsign_key_wipe()) is what erases them.
 */
void smbsign_lib_teardown(struct smbsign_key *key)
{
}
