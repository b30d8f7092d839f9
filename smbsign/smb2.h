/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The header fields smbsign reads and writes: SMB2 (MS-SMB2 2.2.1,
 * little-endian) and SMB1 (MS-CIFS 2.2.3.1). Offsets from the first byte
 * of the header (the protocol id), never from an RFC 1002 length prefix.
 */
#ifndef _SMBSIGN_SMB2_H
#define _SMBSIGN_SMB2_H

#define SMB2_PROTO_OFF		0
#define SMB2_CREDIT_CHARGE_OFF	6
#define SMB2_STATUS_OFF		8	/* responses; ChannelSequence in requests */
#define SMB2_COMMAND_OFF	12
#define SMB2_FLAGS_OFF		16
#define SMB2_NEXT_OFF		20
#define SMB2_MID_OFF		24
#define SMB2_SID_OFF		40
#define SMB2_SIG_OFF		48

#define SMB2_FLAG_SERVER_TO_REDIR	0x00000001
#define SMB2_FLAG_ASYNC_COMMAND		0x00000002
#define SMB2_FLAG_SIGNED		0x00000008
#define SMB2_CMD_CANCEL			0x000C
#define SMB2_STATUS_PENDING		0x00000103

/* SMB1 */
#define SMB1_COMMAND_OFF	4
#define SMB1_FLAGS2_OFF		10
#define SMB1_SIG_OFF		14
#define SMB1_UID_OFF		28
#define SMB1_MID_OFF		30
#define SMB1_FLAGS2_SIGNATURE	0x0004
#define SMB1_MAX_MAC_KEY	64

#endif /* _SMBSIGN_SMB2_H */
