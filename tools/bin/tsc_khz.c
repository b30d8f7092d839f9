// SPDX-License-Identifier: GPL-2.0-only
/*
 * tsc_khz: the host's TSC rate in kHz, for the guests' tsc_early_khz=.
 *
 * Under TCG a guest's TSC is the host's, read through, and the microvm
 * machine has no HPET or ACPI PM timer to calibrate it against (see
 * tools/lib.sh). Counted against CLOCK_MONOTONIC_RAW over 50 ms, five
 * times. Each clock read is bracketed by two TSC reads; the sample whose
 * brackets are narrowest (no preemption inside them) is the one kept.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

struct stamp {
	struct timespec ts;
	double tsc;		/* the middle of the bracket */
	unsigned long long width;
};

static void stamp(struct stamp *s)
{
	unsigned long long before = __rdtsc(), after;

	clock_gettime(CLOCK_MONOTONIC_RAW, &s->ts);
	after = __rdtsc();
	s->tsc = (before + after) / 2.0;
	s->width = after - before;
}

static double elapsed_ns(const struct stamp *a, const struct stamp *b)
{
	return (b->ts.tv_sec - a->ts.tv_sec) * 1e9 + (b->ts.tv_nsec - a->ts.tv_nsec);
}

int main(void)
{
	unsigned long long narrowest = ~0ULL;
	double khz = 0;
	int i;

	for (i = 0; i < 5; i++) {
		struct stamp a, b;

		stamp(&a);
		do {
			stamp(&b);
		} while (elapsed_ns(&a, &b) < 5e7);
		if (a.width + b.width < narrowest) {
			narrowest = a.width + b.width;
			khz = (b.tsc - a.tsc) / elapsed_ns(&a, &b) * 1e6;
		}
	}
	printf("%.0f\n", khz);
	return 0;
}
