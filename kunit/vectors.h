/* SPDX-License-Identifier: GPL-2.0-only */
/* Vectors of ../shared/vectors/VECTORS.txt, as hex strings; see vectors.c. */
#ifndef _SMBSIGN_KUNIT_VECTORS_H
#define _SMBSIGN_KUNIT_VECTORS_H

extern const char *const vec_a13_neg_req[];
extern const char *const vec_a13_neg_req_hash[];
extern const char *const vec_a13_neg_resp[];
extern const char *const vec_a13_neg_resp_hash[];
extern const char *const vec_a13_ss_req1[];
extern const char *const vec_a13_ss_req1_hash[];
extern const char *const vec_a13_ss_resp1[];
extern const char *const vec_a13_ss_resp1_hash[];
extern const char *const vec_a13_ss_req2[];
extern const char *const vec_a13_ss_req2_hash[];
extern const char *const vec_a13_final[];
extern const char *const vec_a14_neg_req[];
extern const char *const vec_a14_neg_req_hash[];
extern const char *const vec_a14_neg_resp[];
extern const char *const vec_a14_neg_resp_hash[];
extern const char *const vec_a14_ss_req1[];
extern const char *const vec_a14_ss_req1_hash[];
extern const char *const vec_a14_ss_resp1[];
extern const char *const vec_a14_ss_resp1_hash[];
extern const char *const vec_a14_ss_req2[];
extern const char *const vec_a14_ss_req2_hash[];
extern const char *const vec_a14_final[];
extern const char *const vec_a31_neg_req[];
extern const char *const vec_a31_neg_req_hash[];
extern const char *const vec_a31_neg_resp[];
extern const char *const vec_a31_neg_resp_hash[];
extern const char *const vec_a31_ss_req1[];
extern const char *const vec_a31_ss_req1_hash[];
extern const char *const vec_a31_ss_resp1[];
extern const char *const vec_a31_ss_resp1_hash[];
extern const char *const vec_a31_ss_req2[];
extern const char *const vec_a31_ss_req2_hash[];
extern const char *const vec_a31_final[];
extern const char *const vec_a32_neg_req[];
extern const char *const vec_a32_neg_req_hash[];
extern const char *const vec_a32_neg_resp[];
extern const char *const vec_a32_neg_resp_hash[];
extern const char *const vec_a32_ss_req1[];
extern const char *const vec_a32_ss_req1_hash[];
extern const char *const vec_a32_ss_resp1[];
extern const char *const vec_a32_ss_resp1_hash[];
extern const char *const vec_a32_ss_req2[];
extern const char *const vec_a32_ss_req2_hash[];
extern const char *const vec_a32_final[];
extern const char *const vec_smbj_msg1[];
extern const char *const vec_smbj_msg2[];
extern const char *const vec_smblib_t1[];
extern const char *const vec_smblib_t2[];
extern const char *const vec_a6_logoff[];
extern const char *const vec_gmac_server[];
extern const char *const vec_gmac_cancel[];
extern const char *const vec_gmac_server_cancel[];
extern const char *const vec_gmac_mid_high[];
extern const char *const vec_smb1_seq5[];

#endif
