// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for smbsign/wire.h, the wire rules the module applies:
 * the compound walker's step, the signing policy and the algorithm choice,
 * compiled here exactly as the kernel compiles them. Built with ASan and
 * UBSan by tools/fuzz.sh; any violated invariant aborts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;

#include "../../smbsign/wire.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* Walk the input as a compound chain, as smbsign_verify_compound() does. */
static void walk(const u8 *data, size_t size)
{
	size_t off = 0, len, steps = 0;

	while (off < size) {
		if (size - off < SMBSIGN_WIRE_HDR_SIZE)
			return;		/* the walker refuses: no header */
		if (smbsign_wire_pdu_len(le32(data + off + 20), off, size, &len))
			return;
		CHECK(len >= SMBSIGN_WIRE_HDR_SIZE || off + len == size);
		CHECK(len <= size - off);
		CHECK(len > 0);
		if (off + len < size)	/* another header must fit */
			CHECK(size - off - len >= SMBSIGN_WIRE_HDR_SIZE);
		off += len;
		CHECK(++steps <= size / 8 + 1);
	}
	CHECK(off == size);
}

/* The choice is in the peer's list and in the preference, or an error. */
static void choose(const u8 *data, size_t size)
{
	u32 pref = size >= 4 ? le32(data) : 0;
	const u8 *ids = size > 4 ? data + 4 : NULL;
	unsigned int count = size > 4 ? (size - 4) / 2 : 0, i;
	bool in_pref = false, in_peer = false;
	int alg;

	/* only lists the "algorithms" parameter can produce */
	if (smbsign_wire_pref_count(pref) > 3)
		pref = (pref & ~0xfu) | 3;
	alg = smbsign_wire_choose(pref, ids, count);
	if (!count) {
		CHECK(alg == -EINVAL);
		return;
	}
	if (alg == -ENOENT) {
		for (i = 0; i < smbsign_wire_pref_count(pref); i++)
			for (unsigned int j = 0; j < count; j++)
				CHECK((ids[2 * j] | ids[2 * j + 1] << 8) !=
				      smbsign_wire_pref_at(pref, i));
		return;
	}
	CHECK(alg >= 0 && alg < 16);
	for (i = 0; i < smbsign_wire_pref_count(pref); i++)
		in_pref |= smbsign_wire_pref_at(pref, i) == (unsigned int)alg;
	for (i = 0; i < count; i++)
		in_peer |= (ids[2 * i] | ids[2 * i + 1] << 8) == alg;
	CHECK(in_pref && in_peer);
}

static void policy(const u8 *data, size_t size)
{
	bool c_en, c_req, s_en, s_req;
	int d;

	if (!size)
		return;
	c_en = data[0] & 1;
	c_req = data[0] & 2;
	s_en = data[0] & 4;
	s_req = data[0] & 8;
	CHECK(smbsign_wire_policy_smb2(c_req, s_req) == (c_req || s_req));
	d = smbsign_wire_policy_smb1(c_en, c_req, s_en, s_req);
	CHECK(d >= 0 && d <= 2);
	if (d == 2)	/* refuse only when a requirement meets a disabled side */
		CHECK((c_req && !s_en && !s_req) || (s_req && !c_en && !c_req));
	if (d == 1)
		CHECK((c_en || c_req) && (s_en || s_req));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	walk(data, size);
	choose(data, size);
	policy(data, size);
	return 0;
}
