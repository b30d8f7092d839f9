// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seeded randomized input to verify and the compound walker: random
 * lengths, random headers, random NextCommand chains, random kvec splits.
 * Nothing may crash or read out of bounds (KASAN in the debug run), every
 * error must be one of the documented ones, and nothing the key did not
 * sign may verify. fuzz_iterations sets the count (the debug run uses
 * 100000); the seed is printed so a failure can be replayed.
 */
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>

#include "util.h"

static unsigned int fuzz_iterations = 5000;
module_param(fuzz_iterations, uint, 0444);
MODULE_PARM_DESC(fuzz_iterations, "Iterations of each fuzz case (default 5000)");

static unsigned int fuzz_seed;
module_param(fuzz_seed, uint, 0444);
MODULE_PARM_DESC(fuzz_seed, "Seed of the fuzz cases; 0 picks one at random");

#define ST_FUZZ_MAX	1024

struct st_fuzz {
	struct rnd_state rnd;
	u8 *buf;
	struct kvec iov[8];
};

static u32 st_rand(struct st_fuzz *f, u32 n)
{
	return n ? prandom_u32_state(&f->rnd) % n : 0;
}

/* A message: random bytes, often a plausible header, random length. */
static size_t st_fuzz_message(struct st_fuzz *f)
{
	size_t len = st_rand(f, 8) ? st_rand(f, ST_FUZZ_MAX) + 1 : st_rand(f, 80);

	prandom_bytes_state(&f->rnd, f->buf, len);
	if (len >= 4 && st_rand(f, 4))
		memcpy(f->buf, "\xfeSMB", 4);
	if (len >= SMBSIGN_SMB2_HDR_SIZE && st_rand(f, 2)) {
		/* a chain of NextCommands, sometimes sane, sometimes not */
		size_t off = 0;

		while (off + SMBSIGN_SMB2_HDR_SIZE <= len) {
			u32 next = st_rand(f, 3) ? ALIGN(st_rand(f, 300), 8) :
						   prandom_u32_state(&f->rnd);

			memcpy(f->buf + off, "\xfeSMB", 4);
			put_unaligned_le32(next, f->buf + off + SMB2_NEXT_OFF);
			if (!next || next > len)
				break;
			off += next;
		}
	}
	return len;
}

/* Random kvec splits of [0, len), including empty kvecs. */
static unsigned int st_fuzz_split(struct st_fuzz *f, size_t len)
{
	unsigned int n = st_rand(f, ARRAY_SIZE(f->iov)) + 1, i;
	size_t start = 0;

	for (i = 0; i < n; i++) {
		size_t end = i + 1 == n ? len : start + st_rand(f, len - start + 1);

		f->iov[i].iov_base = f->buf + start;
		f->iov[i].iov_len = end - start;
		start = end;
	}
	return n;
}

static bool st_documented(int ret)
{
	return ret == 0 || ret == -EINVAL || ret == -EBADMSG;
}

static void st_fuzz_verify(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_key *key = st_key(test, alg, "F0E1D2C3B4A5968778695A4B3C2D1E0F");
	struct st_fuzz *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	unsigned int i, verified = 0, odd = 0, walked = 0;
	u32 seed = fuzz_seed ?: get_random_u32();

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->buf = kunit_kmalloc(test, ST_FUZZ_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->buf);
	prandom_seed_state(&f->rnd, seed);
	kunit_info(test, "seed %u, %u iterations", seed, fuzz_iterations);

	for (i = 0; i < fuzz_iterations; i++) {
		size_t len = st_fuzz_message(f), off = 0, pdu;
		unsigned int nvec = st_fuzz_split(f, len);
		int ret;

		ret = smbsign_verify(key, f->iov, nvec, NULL);
		verified += ret == 0;
		odd += !st_documented(ret);
		ret = smbsign_verify_compound(key, f->iov, nvec, NULL);
		verified += ret == 0;
		odd += !st_documented(ret);
		/* the walker: bounded steps, never past the end */
		while (off < len && !smbsign_compound_pdu_len(f->iov, nvec, NULL,
							      off, &pdu)) {
			if (pdu < SMBSIGN_SMB2_HDR_SIZE || pdu > len - off) {
				odd++;
				break;
			}
			off += pdu;
			walked++;
		}
		if (!(i % 1024))
			cond_resched();
	}
	/* a random message verifying would be a forgery */
	KUNIT_EXPECT_EQ_MSG(test, verified, 0u, "seed %u", seed);
	KUNIT_EXPECT_EQ_MSG(test, odd, 0u, "seed %u", seed);
	KUNIT_EXPECT_GT(test, walked, 0u);
}

/* Signed by the key, then one random change: never verifies. */
static void st_fuzz_mutations(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_key *key = st_key(test, alg, "F0E1D2C3B4A5968778695A4B3C2D1E0F");
	struct st_fuzz *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	u32 seed = fuzz_seed ?: get_random_u32();
	unsigned int i, accepted = 0;

	KUNIT_ASSERT_NOT_NULL(test, f);
	prandom_seed_state(&f->rnd, seed);
	for (i = 0; i < fuzz_iterations / 4; i++) {
		size_t len = SMBSIGN_SMB2_HDR_SIZE + st_rand(f, 400);
		/* one MessageId per signature, as AES-GMAC requires */
		u8 *msg = st_message(test, len, 1 + i, i);
		unsigned int nvec;
		size_t pos;

		f->buf = msg;
		nvec = st_fuzz_split(f, len);
		if (smbsign_sign(key, f->iov, nvec, NULL)) {
			accepted++;
			break;
		}
		pos = st_rand(f, len);
		msg[pos] ^= 1 + st_rand(f, 255);
		accepted += smbsign_verify(key, f->iov, nvec, NULL) == 0;
		kunit_kfree(test, msg);
	}
	KUNIT_EXPECT_EQ_MSG(test, accepted, 0u, "seed %u", seed);
}

KUNIT_ARRAY_PARAM(st_fuzz_alg, st_smb2_algs, st_alg_desc);

static struct kunit_case st_fuzz_cases[] = {
	KUNIT_CASE_PARAM_ATTR(st_fuzz_verify, st_fuzz_alg_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(st_fuzz_mutations, st_fuzz_alg_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite st_fuzz_suite = {
	.name = "smbsign_fuzz",
	.test_cases = st_fuzz_cases,
};

kunit_test_suite(st_fuzz_suite);
