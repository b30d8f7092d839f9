/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels smbsign builds on (6.1 .. mainline).
 * Kbuild probes the target's headers and passes SMBSIGN_HAVE_* / SMBSIGN_NS_*
 * defines; nothing here keys off LINUX_VERSION_CODE, because distributions
 * backport the changes that matter.
 */
#ifndef _SMBSIGN_COMPAT_H
#define _SMBSIGN_COMPAT_H

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/module.h>

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>. */
#ifdef SMBSIGN_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * Linux 6.18 removed nth_page(): the pages of one bvec or scatterlist run
 * are now always contiguous in the memmap, so plain pointer arithmetic is
 * what it became.
 */
#ifndef nth_page
#define nth_page(page, n)	((page) + (n))
#endif

/*
 * Linux 6.13 made symbol namespaces string literals. Before it,
 * EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() __stringify() their
 * argument, which expands a macro first, so one spelling serves both.
 */
#ifdef SMBSIGN_NS_IS_STRING
#define SMBSIGN_NS			"SMBSIGN"
#define SMBSIGN_KUNIT_NS		"SMBSIGN_KUNIT"
#define SMBSIGN_CRYPTO_INTERNAL_NS	"CRYPTO_INTERNAL"
#else
#define SMBSIGN_NS			SMBSIGN
#define SMBSIGN_KUNIT_NS		SMBSIGN_KUNIT
#define SMBSIGN_CRYPTO_INTERNAL_NS	CRYPTO_INTERNAL
#endif

/*
 * Functions exported only so that the KUnit modules can reach them: a
 * namespace of their own, and nothing at all without KUnit.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define SMBSIGN_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, SMBSIGN_KUNIT_NS)
#else
/* Nothing exported; the declaration only takes the call site's semicolon. */
#define SMBSIGN_EXPORT_FOR_KUNIT(sym)	extern int smbsign_no_kunit_export_##sym
#endif

#endif /* _SMBSIGN_COMPAT_H */
