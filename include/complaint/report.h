/*
 * report.h - the monthly complaint analysis (seed 000 section 4, seed 001
 * section 2.1, SPEC section 6), and the score computation over a store.
 */
#ifndef COMPLAINT_REPORT_H
#define COMPLAINT_REPORT_H

#include "complaint/policy.h"
#include "complaint/score.h"
#include "complaint/store.h"

struct cp_totals {
	size_t received, resolved, closed, open, overdue;
};

struct cp_named_count {
	char *key;		/* level, kind, category, channel or department id */
	char *label;		/* display name (level and kind names), or key */
	size_t n;
};

struct cp_counts {
	struct cp_named_count *v;
	size_t n;
};

struct cp_deadline_stat {
	enum cp_evt event;
	size_t due, met;
};

struct cp_resolution {
	char *level, *label;
	double *hours;
	size_t n, alloc;
	double median, max;
};

struct cp_report {
	int year, month;
	cp_time from, to;		/* the month, inclusive */
	cp_time as_of;			/* deadlines judged at this instant */
	char *policy_name, *currency;
	struct cp_totals totals, previous;
	struct cp_counts by_severity, by_kind, by_category, by_channel,
		by_department;
	struct cp_deadline_stat deadlines[EV__COUNT];
	size_t ndeadlines;
	struct cp_resolution *resolution;	/* one per level */
	size_t nresolution;
	size_t callbacks, satisfied;
	struct cp_counts recurring;		/* categories at or over the threshold */
	long recurring_at;
	struct { int year, month; size_t received; } months[12];	/* oldest first */
	struct cp_score score;
	size_t bad_files;
	int uncovered_year;	/* a deadline in a year the calendar does not cover */
};

/*
 * Penalty points for [from, to] (local days, inclusive) from the store as
 * read now (or at the time given to cp_store_use_time()), under the policy
 * as committed at the end of the period; deadlines judged at now.
 * bad counts case files that could not be read.
 */
int cp_score_compute(struct cp_store *s, int32_t from_day, int32_t to_day,
		     cp_time now, struct cp_score *out, size_t *bad);

/* The report for a month (year, month), judged at now. */
int cp_report_compute(struct cp_store *s, int year, int month, cp_time now,
		      struct cp_report *out);
void cp_report_release(struct cp_report *r);

/* Renderers (render_*.c). */
void cp_report_json(const struct cp_report *r, struct sbuf *out);
void cp_report_md(const struct cp_report *r, struct sbuf *out);
void cp_report_csv(const struct cp_report *r, struct sbuf *out);
void cp_report_html(const struct cp_report *r, struct sbuf *out);

#endif
