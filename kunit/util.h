/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the smbsign KUnit suites: hex vectors, message
 * layouts (kvec splits, pages behind an ITER_BVEC) and module parameters.
 */
#ifndef _SMBSIGN_KUNIT_UTIL_H
#define _SMBSIGN_KUNIT_UTIL_H

#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/smbsign.h>
#include <linux/uio.h>

#include "../smbsign/gmac.h"
#include "../smbsign/kdf.h"
#include "../smbsign/key.h"
#include "../smbsign/msg.h"
#include "../smbsign/nonce.h"
#include "../smbsign/sign.h"
#include "../smbsign/smb2.h"
#include "../smbsign/stats.h"

/* The three SMB2 algorithms, for KUNIT_ARRAY_PARAM(..., st_smb2_algs, st_alg_desc) */
extern const enum smbsign_alg st_smb2_algs[SMBSIGN_NR_SMB2_ALGS];
void st_alg_desc(const enum smbsign_alg *alg, char *desc);

u8 *st_hex(struct kunit *test, const char *hex, size_t *len);
void st_expect_hex(struct kunit *test, const u8 *got, const char *hex,
		   size_t len);
const char *st_join(struct kunit *test, const char *const *lines);
u8 *st_hexv(struct kunit *test, const char *const *lines, size_t *len);

/* A hex vector as NULL-terminated lines, like those of vectors.c. */
#define ST_HEX(...)	((const char *const []){ __VA_ARGS__, NULL })
struct smbsign_key *st_key(struct kunit *test, enum smbsign_alg alg,
			   const char *hex);
struct smbsign_key *st_raw_key(struct kunit *test,
			       const struct smbsign_backend *be,
			       const char *hex);
u8 *st_message(struct kunit *test, size_t len, u64 mid, u32 seed);

/* A message split into kvecs at the given cut points (ascending). */
struct kvec *st_split(struct kunit *test, u8 *buf, size_t len,
		      const size_t *cuts, unsigned int ncuts,
		      unsigned int *nvec);

/**
 * struct st_pages - the tail of a message copied into pages
 * @iter: ITER_BVEC over the pages
 * @bv: the bio_vecs
 * @pages: the pages (freed by the test resource)
 * @npages: number of pages
 */
struct st_pages {
	struct iov_iter iter;
	struct bio_vec *bv;
	struct page **pages;
	unsigned int npages;
};

struct st_pages *st_to_pages(struct kunit *test, const u8 *src, size_t len,
			     size_t first_offset, size_t chunk);
void st_from_pages(struct st_pages *p, u8 *dst, size_t len);

int st_param_write(const char *name, const char *val);
int st_param_read(const char *name, char *buf, size_t len);

#endif /* _SMBSIGN_KUNIT_UTIL_H */
