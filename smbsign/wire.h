/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rules smbsign applies to what comes off the wire or from an
 * administrator, free of kernel APIs: the module calls them, and the
 * user-space libFuzzer harness (tools/fuzz/) compiles this very header.
 * The includer provides u8, u32, size_t, bool and the errno values.
 */
#ifndef _SMBSIGN_WIRE_H
#define _SMBSIGN_WIRE_H

#define SMBSIGN_WIRE_HDR_SIZE	64

/*
 * A compound PDU's length from its NextCommand (MS-SMB2 3.2.4.1.4): 0 for
 * the last PDU, which runs to the end; otherwise a multiple of 8, at least
 * one header, leaving room for the next header inside the message. The
 * caller guarantees total - off >= SMBSIGN_WIRE_HDR_SIZE.
 */
static inline int smbsign_wire_pdu_len(u32 next_command, size_t off,
				       size_t total, size_t *pdu_len)
{
	if (!next_command) {
		*pdu_len = total - off;
		return 0;
	}
	if (next_command & 7 || next_command < SMBSIGN_WIRE_HDR_SIZE)
		return -EINVAL;
	if (next_command > total - off - SMBSIGN_WIRE_HDR_SIZE)
		return -EINVAL;
	*pdu_len = next_command;
	return 0;
}

/* SMB2+: signed if either side requires it. */
static inline bool smbsign_wire_policy_smb2(bool client_requires,
					    bool server_requires)
{
	return client_requires || server_requires;
}

/* SMB1: 0 unsigned, 1 signed, 2 refuse the connection. */
static inline int smbsign_wire_policy_smb1(bool client_enabled,
					   bool client_requires,
					   bool server_enabled,
					   bool server_requires)
{
	bool client_on = client_enabled || client_requires;
	bool server_on = server_enabled || server_requires;

	if ((client_requires && !server_on) || (server_requires && !client_on))
		return 2;
	return client_on && server_on;
}

/*
 * The preference list, packed in one word: bits 0-3 the count, then one
 * 4-bit algorithm id per entry, most preferred first.
 */
#define SMBSIGN_WIRE_PREF(a, b, c)	(3 | (a) << 4 | (b) << 8 | (c) << 12)

/* @pref with @alg appended (the caller keeps the count at most 3). */
static inline u32 smbsign_wire_pref_add(u32 pref, unsigned int alg)
{
	unsigned int n = pref & 0xf;

	return (pref & ~0xfu) | alg << (4 + 4 * n) | (n + 1);
}

static inline unsigned int smbsign_wire_pref_count(u32 pref)
{
	return pref & 0xf;
}

static inline unsigned int smbsign_wire_pref_at(u32 pref, unsigned int i)
{
	return (pref >> (4 + 4 * i)) & 0xf;
}

/*
 * The first algorithm of @pref that the peer's SIGNING_CAPABILITIES list
 * (@count little-endian u16 ids at @ids) contains: its id, -EINVAL for an
 * empty list, -ENOENT for nothing in common.
 */
static inline int smbsign_wire_choose(u32 pref, const u8 *ids,
				      unsigned int count)
{
	unsigned int i, j;

	if (!ids || !count)
		return -EINVAL;
	for (i = 0; i < smbsign_wire_pref_count(pref); i++)
		for (j = 0; j < count; j++)
			if ((ids[2 * j] | ids[2 * j + 1] << 8) ==
			    smbsign_wire_pref_at(pref, i))
				return smbsign_wire_pref_at(pref, i);
	return -ENOENT;
}

#endif /* _SMBSIGN_WIRE_H */
