/*
 * case_merge.h - one case changed at two sites: merge the two versions.
 *
 * Events are append-only and are the truth, so two versions of one case
 * merge without a human: the result holds the union of both sides'
 * events (an event recorded at both sites, identical in every field,
 * once), in `at` order when that is a valid life, else each side's events
 * in the order that side recorded them, interleaved by `at` where neither
 * side's order decides; the `new` event first; the derived fields
 * (status, severity, assignment, deadlines) are then recomputed under the
 * policy.  Used by `complaint sync` (in process, on blobs) and by
 * `complaint merge-file`, the merge driver git runs for `git pull`.
 * See complaint-merge-file(1) for the rules a user relies on.
 */
#ifndef COMPLAINT_CASE_MERGE_H
#define COMPLAINT_CASE_MERGE_H

#include <stddef.h>

#include "complaint/policy.h"
#include "complaint/sbuf.h"

/*
 * Merge two versions of the case file at path into out (the canonical
 * case file, as cp_case_format() writes it).
 *
 * @param p       the policy the derived fields are computed under (times
 *                without an offset are read in its zone, p->tz)
 * @param base    the common ancestor, or NULL (or an empty buffer) when
 *                there is none or it cannot be read
 * @param ours    one side; @param theirs the other (the result does not
 *                depend on which is which)
 * @param path    the file's path in the store, for messages
 * @param out     receives the merged file; untouched on failure
 *
 * Order: by `at` (equal times in the order below) when the events so
 * read are a valid life; else each side's own order is kept (it is
 * causal; clocks at two sites disagree), so a resolved or closed case
 * never goes back to an earlier status because of a clock; between the
 * two sides, the earlier `at` first, then the events' contents, never
 * which side is ours.
 *
 * Facts (customer, summary, amount, channel, ...) are fixed when the case
 * is recorded.  When they differ, the side that changed a fact from the
 * base wins; when both changed it differently, or there is no base, it is
 * a conflict.
 *
 * @return 0; -CP_EBUSY when the versions conflict: not the same case
 *         (different `id` or different `new` event), or a fact changed
 *         differently on both sides; -CP_EDATA when ours or theirs cannot
 *         be read, or the merged case does not derive under p (a level or
 *         channel the policy does not know).  The message names path.
 */
int cp_case_merge(struct cp_sbuf *out, const struct cp_policy *p, const char *base,
		  size_t blen, const char *ours, size_t olen, const char *theirs,
		  size_t tlen, const char *path);

#endif
