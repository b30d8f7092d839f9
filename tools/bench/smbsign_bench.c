// SPDX-License-Identifier: GPL-2.0-only
/*
 * smbsign_bench: loaded in the guest by `make bench`, times signing and
 * verification and prints one "SMBSIGN-BENCH" line per measurement for
 * tools/bench_report.py. Under QEMU TCG every time is emulated, so only
 * ratios between lines of one run mean anything.
 *
 * Each figure is measured in @rounds batches of about @sample_ms; the
 * implementations take turns within a round (in a rotating order), so
 * drifts of the host hit them alike, and every batch's time is printed:
 * the report pairs the implementations round by round and takes the
 * median and interquartile range of the ratios. Signing moves the
 * MessageId forward on every call, as real traffic does (an AES-GMAC key
 * signs each MessageId once).
 */
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smbsign.h>

#include "../../smbsign/compat.h"
#include "bench.h"

MODULE_IMPORT_NS(SMBSIGN_NS);

static char *alg = "all";
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "hmac, cmac, gmac or all (default all)");
#define BENCH_MAX_ROUNDS	63
static unsigned int rounds = 21;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "batches per figure, each printed; the report takes medians (default 21, at most 63)");
static unsigned int sample_ms = 10;
module_param(sample_ms, uint, 0444);
MODULE_PARM_DESC(sample_ms, "length of one batch in ms (default 10)");
static unsigned int smp_ms = 100;
module_param(smp_ms, uint, 0444);
MODULE_PARM_DESC(smp_ms, "length of one multi-CPU run in ms, 0 to skip (default 100)");
static unsigned int smp_rounds = 15;
module_param(smp_rounds, uint, 0444);
MODULE_PARM_DESC(smp_rounds, "rounds of runs on CPU 0, CPU 1 and both (default 15, at most 63)");

static const u8 bench_key[16] = {
	0x8e, 0x1f, 0x54, 0xc6, 0x19, 0x03, 0xa2, 0x7b,
	0x30, 0x6d, 0xe4, 0x95, 0x2c, 0xb8, 0x47, 0xf1,
};

static const size_t bench_sizes[] = { 64, 128, 1024, 4096, 65536, 1048576 };

static const struct {
	const char *name;
	enum smbsign_alg alg;
	const char *shash;	/* what 6.12 uses; NULL: no GMAC signing in 6.12 */
} bench_algs[] = {
	{ "hmac", SMBSIGN_ALG_HMAC_SHA256, "hmac(sha256)" },
	{ "cmac", SMBSIGN_ALG_AES_CMAC, "cmac(aes)" },
	{ "gmac", SMBSIGN_ALG_AES_GMAC, NULL },
};

struct bench_case {
	struct bench_msg msg;
	u64 mid;
	struct smbsign_key *key;
	struct bench_floor floor;
	struct bench_cifs cifs;
	struct bench_ksmbd ksmbd;
	bool models;
	u8 out[32];
};

static int b_floor(struct bench_case *c)
{
	return bench_floor_mac(&c->floor, c->out);
}

/* The next MessageId into the header @hdr before each signature. */
static void b_next_mid(struct bench_case *c, u8 *hdr)
{
	put_unaligned_le64(++c->mid, hdr + 24);
}

static int b_sign_kvec(struct bench_case *c)
{
	b_next_mid(c, c->msg.buf);
	return smbsign_sign(c->key, &c->msg.one, 1, NULL);
}

static int b_verify_kvec(struct bench_case *c)
{
	return smbsign_verify(c->key, &c->msg.one, 1, NULL);
}

static int b_sign_3kvec(struct bench_case *c)
{
	b_next_mid(c, c->msg.buf);
	return smbsign_sign(c->key, c->msg.three, 3, NULL);
}

static int b_verify_3kvec(struct bench_case *c)
{
	return smbsign_verify(c->key, c->msg.three, 3, NULL);
}

static int b_sign_bvec(struct bench_case *c)
{
	struct iov_iter it;

	b_next_mid(c, c->msg.hdr);
	bench_msg_iter(&c->msg, &it);
	return smbsign_sign(c->key, &c->msg.hdr_iov, 1, &it);
}

static int b_verify_bvec(struct bench_case *c)
{
	struct iov_iter it;

	bench_msg_iter(&c->msg, &it);
	return smbsign_verify(c->key, &c->msg.hdr_iov, 1, &it);
}

static int b_cifs_sign(struct bench_case *c)
{
	return bench_cifs_sign(&c->cifs, &c->msg.one, 1);
}

static int b_cifs_verify(struct bench_case *c)
{
	return bench_cifs_verify(&c->cifs, &c->msg.one, 1);
}

static int b_ksmbd_sign(struct bench_case *c)
{
	return bench_ksmbd_sign(&c->ksmbd, &c->msg.one, 1);
}

static int b_ksmbd_verify(struct bench_case *c)
{
	return bench_ksmbd_verify(&c->ksmbd, &c->msg.one, 1);
}

static const struct bench_impl {
	const char *name;
	const char *op;
	int (*fn)(struct bench_case *c);
	bool model;
} bench_impls[] = {
	{ "floor", "mac", b_floor },
	{ "smbsign-kvec", "sign", b_sign_kvec },
	{ "smbsign-kvec", "verify", b_verify_kvec },
	{ "smbsign-3kvec", "sign", b_sign_3kvec },
	{ "smbsign-3kvec", "verify", b_verify_3kvec },
	{ "smbsign-bvec", "sign", b_sign_bvec },
	{ "smbsign-bvec", "verify", b_verify_bvec },
	{ "cifs-6.12-model", "sign", b_cifs_sign, true },
	{ "cifs-6.12-model", "verify", b_cifs_verify, true },
	{ "ksmbd-6.12-model", "sign", b_ksmbd_sign, true },
	{ "ksmbd-6.12-model", "verify", b_ksmbd_verify, true },
};

/* Time @iters calls; 0 on error. */
static u64 bench_batch(const struct bench_impl *im, struct bench_case *c,
		       u64 iters)
{
	u64 t0 = ktime_get_ns(), i;

	for (i = 0; i < iters; i++)
		if (im->fn(c))
			return 0;
	return max_t(u64, ktime_get_ns() - t0, 1);
}

/* Iterations that make one batch last about sample_ms. */
static u64 bench_calibrate(const struct bench_impl *im, struct bench_case *c)
{
	u64 target = (u64)sample_ms * NSEC_PER_MSEC, iters = 1, t;

	for (;;) {
		t = bench_batch(im, c, iters);
		if (!t)
			return 0;
		if (t >= target / 4 || iters >= (1ULL << 24))
			break;
		iters *= 2;
	}
	return max_t(u64, div64_u64(target * iters, t), 1);
}

/*
 * Sign once with smbsign and check that the floor computes the same MAC
 * over the same bytes: the floor is the same function, not a cheaper one.
 */
static int bench_prepare(struct bench_case *c, int a)
{
	struct bench_msg *m = &c->msg;
	struct iov_iter it;
	u8 floor_mac[16];
	int ret;

	put_unaligned_le32(0x8, m->buf + 16);		/* SMB2_FLAGS_SIGNED */
	memset(m->buf + BENCH_SIG_OFF, 0, BENCH_SIG);
	ret = bench_floor_mac(&c->floor, c->out);
	if (ret)
		return ret;
	memcpy(floor_mac, c->out, 16);
	ret = smbsign_sign(c->key, &m->one, 1, NULL);
	if (ret)
		return ret;
	if (memcmp(floor_mac, m->buf + BENCH_SIG_OFF, 16)) {
		pr_err("SMBSIGN-BENCH-ERROR %s: the floor and smbsign disagree\n",
		       bench_algs[a].name);
		return -EINVAL;
	}
	memcpy(m->hdr, m->buf, BENCH_HDR);
	bench_msg_iter(m, &it);
	return smbsign_verify(c->key, &m->hdr_iov, 1, &it);
}

static int bench_case_init(struct bench_case *c, int a, size_t len)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->mid = 0x1000 + len;
	ret = bench_msg_init(&c->msg, len, c->mid);
	if (ret)
		return ret;
	c->key = smbsign_key_alloc(bench_algs[a].alg, bench_key, 16, GFP_KERNEL);
	if (IS_ERR(c->key)) {
		ret = PTR_ERR(c->key);
		c->key = NULL;
		return ret;
	}
	ret = bench_floor_init(&c->floor, bench_algs[a].alg, bench_key,
			       c->msg.buf, len);
	if (ret)
		return ret;
	c->models = bench_algs[a].shash;
	if (c->models) {
		bench_ksmbd_init(&c->ksmbd, bench_algs[a].shash, bench_key);
		ret = bench_cifs_init(&c->cifs, bench_algs[a].shash, bench_key);
		if (ret)
			return ret;
	}
	return bench_prepare(c, a);
}

static void bench_case_free(struct bench_case *c)
{
	if (c->models) {
		bench_cifs_free(&c->cifs);
		bench_ksmbd_free(&c->ksmbd);
	}
	bench_floor_free(&c->floor);
	if (c->key)
		smbsign_key_put(c->key);
	bench_msg_free(&c->msg);
}

/* "x,y,z": every batch of a figure, for the report's medians */
static void bench_print_samples(char *buf, size_t size, const u64 *v,
				unsigned int n)
{
	size_t off = 0;
	unsigned int r;

	buf[0] = 0;
	for (r = 0; r < n && off < size; r++)
		off += scnprintf(buf + off, size - off, "%s%llu", r ? "," : "",
				 v[r]);
}

static int bench_micro(int a, size_t len)
{
	unsigned int n = ARRAY_SIZE(bench_impls), r, k, i;
	unsigned int nr = clamp(rounds, 1U, BENCH_MAX_ROUNDS);
	u64 iters[ARRAY_SIZE(bench_impls)];
	u64 (*ps)[BENCH_MAX_ROUNDS];
	struct bench_case *c;
	char *line;
	int ret;

	c = kmalloc(sizeof(*c), GFP_KERNEL);
	ps = kcalloc(n, sizeof(*ps), GFP_KERNEL);
	line = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!c || !ps || !line) {
		kfree(c);
		kfree(ps);
		kfree(line);
		return -ENOMEM;
	}
	ret = bench_case_init(c, a, len);
	if (ret)
		goto out;
	if (len == bench_sizes[0])
		pr_info("SMBSIGN-BENCH driver alg=%s floor=%s\n",
			bench_algs[a].name, bench_floor_driver(&c->floor));
	for (i = 0; i < n; i++) {
		iters[i] = 0;
		if (bench_impls[i].model && !c->models)
			continue;
		iters[i] = bench_calibrate(&bench_impls[i], c);
		if (!iters[i]) {
			ret = -EIO;
			pr_err("SMBSIGN-BENCH-ERROR %s %s %s failed\n",
			       bench_algs[a].name, bench_impls[i].name,
			       bench_impls[i].op);
			goto out;
		}
	}
	for (r = 0; r < nr; r++) {
		for (k = 0; k < n; k++) {
			u64 t;

			i = (k + r) % n;
			if (!iters[i])
				continue;
			t = bench_batch(&bench_impls[i], c, iters[i]);
			if (!t) {
				ret = -EIO;
				pr_err("SMBSIGN-BENCH-ERROR %s %s %s failed\n",
				       bench_algs[a].name, bench_impls[i].name,
				       bench_impls[i].op);
				goto out;
			}
			/* picoseconds per operation, for sub-ns resolution */
			ps[i][r] = div64_u64(t * 1000, iters[i]);
			cond_resched();
		}
	}
	for (i = 0; i < n; i++) {
		if (!iters[i])
			continue;
		bench_print_samples(line, PAGE_SIZE, ps[i], nr);
		pr_info("SMBSIGN-BENCH micro alg=%s size=%zu impl=%s op=%s iters=%llu ps=%s\n",
			bench_algs[a].name, len, bench_impls[i].name,
			bench_impls[i].op, iters[i], line);
	}
out:
	bench_case_free(c);
	kfree(c);
	kfree(ps);
	kfree(line);
	return ret;
}

/* --- several CPUs, one key ------------------------------------------- */

struct bench_smp {
	struct completion start;
	u64 next_mid;
	struct smbsign_key *key;
	struct bench_cifs *cifs;	/* shared, under @srv_mutex as in cifs */
	struct bench_ksmbd *ksmbd;	/* the shared pool */
	struct mutex srv_mutex;
	int impl;			/* 0 smbsign, 1 cifs model, 2 ksmbd model */
	u64 deadline_ms;
};

struct bench_worker {
	struct bench_smp *s;
	struct bench_msg msg;
	struct completion done;
	u64 mid;
	u64 ops;
	u64 ns;
	int err;
};

static int bench_smp_op(struct bench_worker *w)
{
	struct bench_smp *s = w->s;
	int ret;

	switch (s->impl) {
	case 0:
		/* worker i of 2 signs MessageIds base + i, + 2, ...: disjoint */
		put_unaligned_le64(w->mid, w->msg.buf + 24);
		w->mid += 2;
		return smbsign_sign(s->key, &w->msg.one, 1, NULL);
	case 1:
		mutex_lock(&s->srv_mutex);
		ret = bench_cifs_sign(s->cifs, &w->msg.one, 1);
		mutex_unlock(&s->srv_mutex);
		return ret;
	default:
		return bench_ksmbd_sign(s->ksmbd, &w->msg.one, 1);
	}
}

static int bench_worker_fn(void *data)
{
	struct bench_worker *w = data;
	unsigned long end;
	u64 t0;

	wait_for_completion(&w->s->start);
	/* the deadline in jiffies, the clock read only at both ends */
	end = jiffies + msecs_to_jiffies(w->s->deadline_ms);
	t0 = ktime_get_ns();
	do {
		w->err = bench_smp_op(w);
		w->ops++;
		if (!(w->ops & 7))
			cond_resched();
	} while (!w->err && time_before(jiffies, end));
	w->ns = ktime_get_ns() - t0;
	complete(&w->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * Operations per second (x1000) of one worker on each CPU of @cpus (a
 * mask of CPUs 0 and 1).
 */
static int bench_smp_run(struct bench_smp *s, struct bench_worker *w,
			 unsigned int cpus, u64 *mops)
{
	struct task_struct *t[2] = {};
	unsigned int i;
	u64 sum = 0;
	int ret = 0;

	reinit_completion(&s->start);
	for (i = 0; i < 2; i++) {
		if (!(cpus & BIT(i)))
			continue;
		/* every run starts above what any worker signed before */
		w[i].mid = s->next_mid + i;
		w[i].ops = 0;
		w[i].err = 0;
		reinit_completion(&w[i].done);
		t[i] = kthread_create_on_cpu(bench_worker_fn, &w[i], i, "bench/%u");
		if (IS_ERR(t[i])) {
			ret = PTR_ERR(t[i]);
			t[i] = NULL;
			goto out;
		}
		get_task_struct(t[i]);
		wake_up_process(t[i]);
	}
	complete_all(&s->start);
	for (i = 0; i < 2; i++) {
		if (!t[i])
			continue;
		wait_for_completion(&w[i].done);
		if (w[i].err)
			ret = w[i].err;
		sum += div64_u64(w[i].ops * NSEC_PER_SEC * 1000, w[i].ns);
		s->next_mid = max(s->next_mid, w[i].mid + 1);
	}
	*mops = sum;
out:
	for (i = 0; i < 2; i++) {
		if (!t[i])
			continue;
		if (ret && !completion_done(&w[i].done)) {
			/* started, never released: let it go */
			complete_all(&s->start);
			wait_for_completion(&w[i].done);
		}
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	return ret;
}

static const char *const bench_smp_names[] = {
	"smbsign", "cifs-6.12-model", "ksmbd-6.12-model",
};

static int bench_smp(int a, size_t len)
{
	struct bench_worker *w;
	struct bench_cifs cifs = {};
	struct bench_ksmbd ksmbd = {};
	unsigned int nr = clamp(smp_rounds, 1U, BENCH_MAX_ROUNDS);
	u64 (*mops)[BENCH_MAX_ROUNDS];
	struct bench_smp *s;
	int ret, impl, r, i, k;
	char *line;

	if (num_online_cpus() < 2) {
		pr_info("SMBSIGN-BENCH-NOTE one CPU online: no scaling figure\n");
		return 0;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	w = kcalloc(2, sizeof(*w), GFP_KERNEL);
	line = kmalloc(PAGE_SIZE, GFP_KERNEL);
	mops = kcalloc(4, sizeof(*mops), GFP_KERNEL);
	ret = -ENOMEM;
	if (!s || !w || !line || !mops)
		goto out;
	init_completion(&s->start);
	mutex_init(&s->srv_mutex);
	s->next_mid = 1;
	s->deadline_ms = smp_ms;
	s->key = smbsign_key_alloc(bench_algs[a].alg, bench_key, 16, GFP_KERNEL);
	if (IS_ERR(s->key)) {
		ret = PTR_ERR(s->key);
		s->key = NULL;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		w[i].s = s;
		init_completion(&w[i].done);
		ret = bench_msg_init(&w[i].msg, len, 0x100 + i);
		if (ret)
			goto out;
	}
	if (bench_algs[a].shash) {
		ret = bench_cifs_init(&cifs, bench_algs[a].shash, bench_key);
		if (ret)
			goto out;
		bench_ksmbd_init(&ksmbd, bench_algs[a].shash, bench_key);
		s->cifs = &cifs;
		s->ksmbd = &ksmbd;
	}
	for (impl = 0; impl < 3; impl++) {
		if (impl && !bench_algs[a].shash)
			break;
		s->impl = impl;
		/*
		 * Each round: one worker on CPU 0, one on CPU 1, one on each,
		 * in an order that rotates from round to round. One CPU's
		 * figure is the mean of the first two: the CPUs of an emulated
		 * guest are not equally fast, and a figure from CPU 0 alone
		 * would make the scaling depend on which one is slower.
		 */
		for (r = 0; r < nr; r++) {
			for (k = 0; k < 3; k++) {
				i = (r + k) % 3;
				ret = bench_smp_run(s, w, i + 1, &mops[i][r]);
				if (ret)
					goto out;
			}
			mops[3][r] = (mops[0][r] + mops[1][r]) / 2;
		}
		for (i = 0; i < 4; i++) {
			static const char *const cpus[] = {
				"0", "1", "both", "one",
			};

			bench_print_samples(line, PAGE_SIZE, mops[i], nr);
			pr_info("SMBSIGN-BENCH smp alg=%s size=%zu impl=%s cpus=%s mops=%s\n",
				bench_algs[a].name, len, bench_smp_names[impl],
				cpus[i], line);
		}
	}
out:
	if (s && s->cifs)
		bench_cifs_free(&cifs);
	if (s && s->ksmbd)
		bench_ksmbd_free(&ksmbd);
	for (i = 0; w && i < 2; i++)
		bench_msg_free(&w[i].msg);
	if (s && s->key)
		smbsign_key_put(s->key);
	kfree(mops);
	kfree(line);
	kfree(w);
	kfree(s);
	return ret;
}

static int __init bench_init(void)
{
	unsigned int a, i;
	int ret = 0;

	/*
	 * The one-CPU figures on one CPU, the last: moved between CPUs a
	 * batch would change speed half-way (in the emulated guest one CPU
	 * runs about a quarter slower than the other, which one varying
	 * from boot to boot; the multi-CPU figures below show it).
	 */
	set_cpus_allowed_ptr(current, cpumask_of(cpumask_last(cpu_online_mask)));
	for (a = 0; a < ARRAY_SIZE(bench_algs) && !ret; a++) {
		if (strcmp(alg, "all") && strcmp(alg, bench_algs[a].name))
			continue;
		for (i = 0; i < ARRAY_SIZE(bench_sizes) && !ret; i++)
			ret = bench_micro(a, bench_sizes[i]);
		if (!ret && smp_ms)
			ret = bench_smp(a, 4096);
	}
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	if (ret)
		pr_err("SMBSIGN-BENCH-ERROR %d\n", ret);
	else
		pr_info("SMBSIGN-BENCH done\n");
	return ret;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_DESCRIPTION("smbsign benchmark (make bench)");
MODULE_LICENSE("GPL");
