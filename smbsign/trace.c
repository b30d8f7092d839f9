// SPDX-License-Identifier: GPL-2.0-only
/*
 * Instantiates the trace events of trace.h. They are exported so that the
 * KUnit suite can attach a probe and check what a failed verify reports.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"

EXPORT_TRACEPOINT_SYMBOL_GPL(smbsign_verify_failed);
EXPORT_TRACEPOINT_SYMBOL_GPL(smbsign_smb1_verify_failed);
EXPORT_TRACEPOINT_SYMBOL_GPL(smbsign_nonce_refused);
