// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-algorithm counters, per CPU so the sign/verify path never shares a
 * cache line, summed when read: /sys/kernel/debug/smbsign/stats and
 * smbsign_get_stats(). Also remembers which crypto driver each algorithm
 * got, the proof that the accelerated implementations are in use.
 */
#include <linux/crypto.h>
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "stats.h"

static DEFINE_PER_CPU(struct smbsign_stats, smbsign_pcpu[SMBSIGN_NR_IDX]);

static DEFINE_SPINLOCK(smbsign_driver_lock);
static char smbsign_drivers[SMBSIGN_NR_IDX][SMBSIGN_DRIVER_NAME_MAX];

static struct dentry *smbsign_debugfs;

void smbsign_stat(enum smbsign_idx idx, enum smbsign_stat_op op, size_t bytes)
{
	switch (op) {
	case SMBSIGN_STAT_SIGNED:
		this_cpu_inc(smbsign_pcpu[idx].signed_msgs);
		this_cpu_add(smbsign_pcpu[idx].signed_bytes, bytes);
		break;
	case SMBSIGN_STAT_VERIFIED:
		this_cpu_inc(smbsign_pcpu[idx].verified_msgs);
		this_cpu_add(smbsign_pcpu[idx].verified_bytes, bytes);
		break;
	case SMBSIGN_STAT_VERIFY_FAILED:
		this_cpu_inc(smbsign_pcpu[idx].verify_failed);
		break;
	case SMBSIGN_STAT_ERROR:
		this_cpu_inc(smbsign_pcpu[idx].errors);
		break;
	case SMBSIGN_STAT_NONCE_REFUSED:
		this_cpu_inc(smbsign_pcpu[idx].nonce_refused);
		break;
	}
}

static void smbsign_stats_sum(enum smbsign_idx idx, struct smbsign_stats *out)
{
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct smbsign_stats *s = per_cpu_ptr(&smbsign_pcpu[idx], cpu);

		out->signed_msgs += READ_ONCE(s->signed_msgs);
		out->signed_bytes += READ_ONCE(s->signed_bytes);
		out->verified_msgs += READ_ONCE(s->verified_msgs);
		out->verified_bytes += READ_ONCE(s->verified_bytes);
		out->verify_failed += READ_ONCE(s->verify_failed);
		out->errors += READ_ONCE(s->errors);
		out->nonce_refused += READ_ONCE(s->nonce_refused);
	}
}

/**
 * smbsign_get_stats - counters of one algorithm
 * @alg: algorithm id
 * @out: filled with the sums over all CPUs
 *
 * Context: Any context.
 *
 * Return: 0, or -EINVAL for an unknown algorithm.
 */
int smbsign_get_stats(enum smbsign_alg alg, struct smbsign_stats *out)
{
	const struct smbsign_backend *be = smbsign_backend_of(alg);

	if (!be || !out)
		return -EINVAL;
	smbsign_stats_sum(be->idx, out);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(smbsign_get_stats, SMBSIGN_NS);

void smbsign_stats_set_driver(enum smbsign_idx idx, const char *driver)
{
	spin_lock(&smbsign_driver_lock);
	strscpy(smbsign_drivers[idx], driver, sizeof(smbsign_drivers[idx]));
	spin_unlock(&smbsign_driver_lock);
}

/**
 * smbsign_stats_driver - the crypto driver an algorithm's latest key got
 * @idx: internal algorithm index
 * @buf: filled with the driver name, or "-" before any key
 * @len: room in @buf
 */
void smbsign_stats_driver(enum smbsign_idx idx, char *buf, size_t len)
{
	spin_lock(&smbsign_driver_lock);
	strscpy(buf, smbsign_drivers[idx][0] ? smbsign_drivers[idx] : "-", len);
	spin_unlock(&smbsign_driver_lock);
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_stats_driver);

/**
 * smbsign_stats_show - the text of /sys/kernel/debug/smbsign/stats
 * @m: where it goes
 * @v: unused
 *
 * Return: 0
 */
int smbsign_stats_show(struct seq_file *m, void *v)
{
	char driver[SMBSIGN_DRIVER_NAME_MAX];
	struct smbsign_stats s;
	unsigned int i;

	seq_printf(m, "%-12s %-32s %12s %16s %12s %16s %14s %8s %14s\n",
		   "algorithm", "driver", "signed", "signed_bytes", "verified",
		   "verified_bytes", "verify_failed", "errors",
		   "nonce_refused");
	for (i = 0; i < SMBSIGN_NR_IDX; i++) {
		const struct smbsign_backend *be = smbsign_backends[i];

		smbsign_stats_sum(be->idx, &s);
		smbsign_stats_driver(be->idx, driver, sizeof(driver));
		seq_printf(m, "%-12s %-32s %12llu %16llu %12llu %16llu %14llu %8llu %14llu\n",
			   be->name, driver, s.signed_msgs, s.signed_bytes,
			   s.verified_msgs, s.verified_bytes, s.verify_failed,
			   s.errors, s.nonce_refused);
	}
	seq_printf(m, "live keys: %d\n", smbsign_live_keys());
	return 0;
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_stats_show);

DEFINE_SHOW_ATTRIBUTE(smbsign_stats);

int smbsign_stats_init(void)
{
	/* debugfs is diagnostics only: its absence must not stop signing. */
	smbsign_debugfs = debugfs_create_dir("smbsign", NULL);
	debugfs_create_file("stats", 0400, smbsign_debugfs, NULL,
			    &smbsign_stats_fops);
	return 0;
}

void smbsign_stats_exit(void)
{
	debugfs_remove_recursive(smbsign_debugfs);
}
