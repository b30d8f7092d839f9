/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-algorithm counters (stats.c): per CPU, summed when read by
 * smbsign_get_stats() and /sys/kernel/debug/smbsign/stats.
 */
#ifndef _SMBSIGN_STATS_H
#define _SMBSIGN_STATS_H

#include <linux/types.h>

#include "key.h"

struct seq_file;

enum smbsign_stat_op {
	SMBSIGN_STAT_SIGNED,
	SMBSIGN_STAT_VERIFIED,
	SMBSIGN_STAT_VERIFY_FAILED,
	SMBSIGN_STAT_ERROR,
	SMBSIGN_STAT_NONCE_REFUSED,
};

void smbsign_stat(enum smbsign_idx idx, enum smbsign_stat_op op, size_t bytes);
void smbsign_stats_set_driver(enum smbsign_idx idx, const char *driver);
void smbsign_stats_driver(enum smbsign_idx idx, char *buf, size_t len);
int smbsign_stats_show(struct seq_file *m, void *v);
int smbsign_stats_init(void);
void smbsign_stats_exit(void);

#endif /* _SMBSIGN_STATS_H */
