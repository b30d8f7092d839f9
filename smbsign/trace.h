/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smbsign trace events: one per signature that did not verify, and one
 * per AES-GMAC signature refused by the nonce rule, so an administrator
 * can see which session and message it was without turning on any
 * logging (tracefs: events/smbsign/).
 *
 * Only fixed-size fields: __string()/__assign_str() changed between 6.1
 * and 6.10, so the algorithm is recorded as its public id and named by
 * __print_symbolic(). SMB1 has its own event: its header has a Uid, a
 * 16-bit Mid and a sequence number instead of SessionId and MessageId.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM smbsign

#if !defined(_SMBSIGN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SMBSIGN_TRACE_H

#include <linux/smbsign.h>
#include <linux/tracepoint.h>

#define SMBSIGN_TRACE_ALG(alg)						\
	__print_symbolic(alg, { SMBSIGN_ALG_HMAC_SHA256, "HMAC-SHA256" },	\
			 { SMBSIGN_ALG_AES_CMAC, "AES-CMAC" },		\
			 { SMBSIGN_ALG_AES_GMAC, "AES-GMAC" })

/*
 * One SMB2 message and what went wrong with it: @n is the PDU length for
 * a failed verification (printed as len=), the errno for a refused AES-GMAC
 * signature (err=).
 */
DECLARE_EVENT_CLASS(smbsign_smb2_msg,
		    TP_PROTO(u16 alg, u64 session_id, u64 message_id,
			     u16 command, u32 flags, int n),
		    TP_ARGS(alg, session_id, message_id, command, flags, n),
		    TP_STRUCT__entry(__field(u64, session_id)
				     __field(u64, message_id)
				     __field(u32, flags)
				     __field(int, n)
				     __field(u16, alg)
				     __field(u16, command)),
		    TP_fast_assign(__entry->session_id = session_id;
				   __entry->message_id = message_id;
				   __entry->flags = flags;
				   __entry->n = n;
				   __entry->alg = alg;
				   __entry->command = command;),
		    TP_printk("alg=%s sid=0x%llx mid=%llu cmd=0x%x flags=0x%x len=%d",
			      SMBSIGN_TRACE_ALG(__entry->alg),
			      __entry->session_id, __entry->message_id,
			      __entry->command, __entry->flags, __entry->n)
);

/* A signature that did not verify; @n is the length of the PDU. */
DEFINE_EVENT(smbsign_smb2_msg, smbsign_verify_failed,
	     TP_PROTO(u16 alg, u64 session_id, u64 message_id, u16 command,
		      u32 flags, int n),
	     TP_ARGS(alg, session_id, message_id, command, flags, n)
);

/* An AES-GMAC signature the nonce rule refused; @n is the errno. */
DEFINE_EVENT_PRINT(smbsign_smb2_msg, smbsign_nonce_refused,
		   TP_PROTO(u16 alg, u64 session_id, u64 message_id,
			    u16 command, u32 flags, int n),
		   TP_ARGS(alg, session_id, message_id, command, flags, n),
		   TP_printk("alg=%s sid=0x%llx mid=%llu cmd=0x%x flags=0x%x err=%d",
			     SMBSIGN_TRACE_ALG(__entry->alg),
			     __entry->session_id, __entry->message_id,
			     __entry->command, __entry->flags, __entry->n)
);

TRACE_EVENT(smbsign_smb1_verify_failed,
	    TP_PROTO(u16 uid, u16 mid, u8 command, u32 seq, u32 len),
	    TP_ARGS(uid, mid, command, seq, len),
	    TP_STRUCT__entry(__field(u32, seq)
			     __field(u32, len)
			     __field(u16, uid)
			     __field(u16, mid)
			     __field(u8, command)),
	    TP_fast_assign(__entry->seq = seq;
			   __entry->len = len;
			   __entry->uid = uid;
			   __entry->mid = mid;
			   __entry->command = command;),
	    TP_printk("uid=%u mid=%u cmd=0x%x seq=%u len=%u",
		      __entry->uid, __entry->mid, __entry->command,
		      __entry->seq, __entry->len)
);

#endif /* _SMBSIGN_TRACE_H */

/* Out of tree: the header is found next to this file, not in include/trace. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
