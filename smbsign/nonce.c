// SPDX-License-Identifier: GPL-2.0-only
/*
 * The record of the nonces an AES-GMAC key has signed under.
 *
 * Per nonce class, a sliding window of SMBSIGN_NONCE_WINDOW MessageIds
 * below the highest one marked, as a ring bitmap (bit m % size: m is
 * marked), like the replay windows of IPsec and WireGuard, plus a few
 * "holes": MessageIds that left the window unmarked. A MessageId is
 * granted if it is above the window, inside it and unmarked, or below it
 * and one of the holes; it is then marked (or taken out of the holes).
 * Anything else is refused. So every MessageId is granted at most once:
 * inside the window its bit says so, and one that left the window is
 * granted again only if it left unmarked and was not granted since.
 *
 * A request consumes CreditCharge MessageIds (MS-SMB2 3.2.4.1.5) and only
 * the first names its nonce; the others are marked too, so they never
 * become holes that push a real one out.
 *
 * One raw spinlock per class, held for a few bit operations (and, when
 * the window jumps forward, a scan of the bits that leave it); signers
 * of the same key on several CPUs contend only there. Any context: the
 * lock disables interrupts.
 */
#include <linux/bitmap.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "compat.h"
#include "nonce.h"

/* Not a MessageId anyone signs under: an empty hole slot. */
#define SMBSIGN_NO_HOLE		U64_MAX

/**
 * struct smbsign_nonce_class - the MessageIds signed under one class
 * @lock: serialises every field
 * @size: window size in MessageIds, a power of two
 * @next_hole: ring position of the next hole recorded
 * @top: one past the highest MessageId marked (0 before the first)
 * @holes: MessageIds that left the window unmarked, or SMBSIGN_NO_HOLE
 * @map: bit (m % @size) is set when MessageId m, inside the window, is
 *	marked
 */
struct smbsign_nonce_class {
	raw_spinlock_t lock;
	unsigned int size;
	unsigned int next_hole;
	u64 top;
	u64 holes[SMBSIGN_NONCE_HOLES];
	unsigned long *map;
};

/**
 * struct smbsign_nonce_record - the nonce classes of one key
 * @cls: indexed by server bit | CANCEL bit << 1
 * @maps: the classes' bitmaps, back to back
 */
struct smbsign_nonce_record {
	struct smbsign_nonce_class cls[SMBSIGN_NONCE_CLASSES];
	unsigned long maps[];
};

static unsigned int smbsign_nonce_class_size(unsigned int cls)
{
	return cls & SMBSIGN_NONCE_CANCEL ? SMBSIGN_NONCE_CANCEL_WINDOW :
	       SMBSIGN_NONCE_WINDOW;
}

static size_t smbsign_nonce_map_longs(void)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < SMBSIGN_NONCE_CLASSES; i++)
		n += BITS_TO_LONGS(smbsign_nonce_class_size(i));
	return n;
}

/**
 * smbsign_nonce_size - bytes of one nonce record
 *
 * Return: the size smbsign_nonce_alloc() allocates.
 */
size_t smbsign_nonce_size(void)
{
	return struct_size_t(struct smbsign_nonce_record, maps,
			     smbsign_nonce_map_longs());
}

SMBSIGN_EXPORT_FOR_KUNIT(smbsign_nonce_size);

/**
 * smbsign_nonce_alloc - an empty nonce record
 * @gfp: allocation flags (GFP_KERNEL or stricter; may fall back to vmalloc)
 *
 * Return: the record, or NULL.
 */
struct smbsign_nonce_record *smbsign_nonce_alloc(gfp_t gfp)
{
	struct smbsign_nonce_record *r = kvzalloc(smbsign_nonce_size(), gfp);
	unsigned long *map;
	unsigned int i, j;

	if (!r)
		return NULL;
	map = r->maps;
	for (i = 0; i < SMBSIGN_NONCE_CLASSES; i++) {
		struct smbsign_nonce_class *c = &r->cls[i];

		raw_spin_lock_init(&c->lock);
		c->size = smbsign_nonce_class_size(i);
		c->map = map;
		map += BITS_TO_LONGS(c->size);
		for (j = 0; j < SMBSIGN_NONCE_HOLES; j++)
			c->holes[j] = SMBSIGN_NO_HOLE;
	}
	return r;
}

/**
 * smbsign_nonce_free - free a record
 * @r: the record, or NULL
 *
 * It holds no secret, only which MessageIds were signed.
 */
void smbsign_nonce_free(struct smbsign_nonce_record *r)
{
	kvfree(r);
}

/* Set or clear the bits of MessageIds [lo, hi), hi - lo <= size. */
static void smbsign_nonce_mark(struct smbsign_nonce_class *c, u64 lo, u64 hi,
			       bool set)
{
	while (lo < hi) {
		unsigned int start = lo & (c->size - 1);
		unsigned int n = min_t(u64, hi - lo, c->size - start);

		if (set)
			bitmap_set(c->map, start, n);
		else
			bitmap_clear(c->map, start, n);
		lo += n;
	}
}

/*
 * MessageIds [lo, hi) leave the window: the unmarked ones become holes,
 * oldest first into a ring, so the newest SMBSIGN_NONCE_HOLES stay.
 */
static void smbsign_nonce_holes(struct smbsign_nonce_class *c, u64 lo, u64 hi)
{
	while (lo < hi) {
		unsigned int start = lo & (c->size - 1);
		unsigned int end = start + min_t(u64, hi - lo, c->size - start);
		unsigned int i;

		for (i = find_next_zero_bit(c->map, end, start); i < end;
		     i = find_next_zero_bit(c->map, end, i + 1)) {
			c->holes[c->next_hole] = lo + (i - start);
			c->next_hole = (c->next_hole + 1) % SMBSIGN_NONCE_HOLES;
		}
		lo += end - start;
	}
}

/* Move the top of the window up to @top. */
static void smbsign_nonce_slide(struct smbsign_nonce_class *c, u64 top)
{
	u64 old = c->top;

	/* leaving: [old - size, min(old, top - size)), none below 0 */
	if (top > c->size)
		smbsign_nonce_holes(c, old > c->size ? old - c->size : 0,
				    min(old, top - c->size));
	/* entering: [max(old, top - size), top), on the bits just freed */
	smbsign_nonce_mark(c, top - min_t(u64, top - old, c->size), top, false);
	c->top = top;
}

/*
 * The usual case, the window moving up by a few MessageIds to @end with
 * [@mid, @end) granted: smbsign_nonce_slide() and smbsign_nonce_mark()
 * one MessageId at a time. MessageId m enters at the bit that m - size
 * leaves, which becomes a hole if it was never marked.
 */
#define SMBSIGN_NONCE_STEP	64

static void smbsign_nonce_step(struct smbsign_nonce_class *c, u64 mid,
			       u64 end)
{
	u64 m;

	for (m = c->top; m < end; m++) {
		unsigned int bit = m & (c->size - 1);

		if (m >= c->size && !test_bit(bit, c->map)) {
			c->holes[c->next_hole] = m - c->size;
			c->next_hole = (c->next_hole + 1) % SMBSIGN_NONCE_HOLES;
		}
		if (m >= mid)
			__set_bit(bit, c->map);
		else
			__clear_bit(bit, c->map);
	}
	c->top = end;
}

static bool smbsign_nonce_take_hole(struct smbsign_nonce_class *c, u64 mid)
{
	unsigned int i;

	for (i = 0; i < SMBSIGN_NONCE_HOLES; i++) {
		if (c->holes[i] == mid) {
			c->holes[i] = SMBSIGN_NO_HOLE;
			return true;
		}
	}
	return false;
}

/**
 * smbsign_nonce_claim - grant a nonce once, or refuse it
 * @r: the key's record
 * @cls: nonce class: SMBSIGN_NONCE_SERVER | SMBSIGN_NONCE_CANCEL bits
 * @mid: the MessageId, never U64_MAX
 * @charge: MessageIds the message consumes from @mid on (its
 *	CreditCharge; 0 counts as 1)
 *
 * Context: Any context.
 *
 * Return: 0 if no signature was ever granted under (@cls, @mid), which is
 * now marked; -EALREADY if one was, or @mid is below the window and not
 * known to be unused.
 */
int smbsign_nonce_claim(struct smbsign_nonce_record *r, unsigned int cls,
			u64 mid, unsigned int charge)
{
	struct smbsign_nonce_class *c = &r->cls[cls % SMBSIGN_NONCE_CLASSES];
	unsigned long flags;
	u64 end;
	int ret = 0;

	/* a range wider than half the window is no credit charge */
	charge = clamp(charge, 1U, c->size / 2);
	end = mid + min_t(u64, charge, U64_MAX - mid);

	raw_spin_lock_irqsave(&c->lock, flags);
	if (mid >= c->top && end - c->top <= SMBSIGN_NONCE_STEP) {
		smbsign_nonce_step(c, mid, end);
		goto out;
	}
	if (mid >= c->top) {
		/* above everything marked: never granted */
	} else if (c->top - mid <= c->size) {
		if (test_bit(mid & (c->size - 1), c->map))
			ret = -EALREADY;
	} else if (!smbsign_nonce_take_hole(c, mid)) {
		ret = -EALREADY;
	}
	if (!ret) {
		if (end > c->top)
			smbsign_nonce_slide(c, end);
		smbsign_nonce_mark(c, max(mid, c->top > c->size ?
					  c->top - c->size : 0), end, true);
	}
out:
	raw_spin_unlock_irqrestore(&c->lock, flags);
	return ret;
}
