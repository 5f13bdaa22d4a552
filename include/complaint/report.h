/*
 * report.h - the monthly complaint analysis (seed 000 section 4, seed 001
 * section 2.1, SPEC section 6) over a store.
 */
#ifndef COMPLAINT_REPORT_H
#define COMPLAINT_REPORT_H

#include "complaint/case.h"
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

/*
 * One row of the month's cases (SPEC section 11): every case received,
 * resolved or closed in the period.  Level and department are the ones
 * the `by_*` counts use (as at the report's time); status, cause,
 * measure and compensation as at the period's end; missed and satisfied
 * as at the report's time ("whenever").
 */
struct cp_report_case {
	char id[CP_ID_MAX + 1];
	cp_time received;
	char *severity, *kind, *category, *department, *summary;
	char *with;			/* the joint departments (a name list), or NULL */
	char *cause, *measure;		/* of the last resolve; NULL when none */
	cp_money compensation;		/* its resolves' total; CP_MONEY_NONE when none gave one */
	enum cp_status status;		/* at the period's end */
	enum cp_evt missed[EV__COUNT];	/* every deadline missed, in the case's order */
	size_t nmissed;
	int satisfied;			/* the last callback: 1, 0, or -1 when none */
};

/* A department's figures for one month, counted as the report's own (SPEC section 6). */
struct cp_dept_figures {
	size_t received;		/* cases received, under their lead department */
	size_t resolved, callbacks, satisfied;	/* events, under the department holding the case then */
	size_t due, met;		/* deadlines of the cases received, as `deadlines` */
};

struct cp_report_dept {
	char *name;			/* "(unassigned)" as in by_department */
	struct cp_dept_figures cur, prev;	/* the month, and the month before */
	long points;			/* the month's score */
};

/* An open measure past its due day at the period's end. */
struct cp_report_measure {
	char id[CP_ID_MAX + 1];
	char *ref, *text, *owner, *due;
};

/*
 * The measures of every case as they stood at the period's end (SPEC
 * section 11): open (not yet done), done (not yet signed off), signed
 * off; the open ones past their due day, listed by due day then case.
 */
struct cp_report_measures {
	size_t open, done, signed_off, overdue;
	struct cp_report_measure *rows;
	size_t nrows, alloc;
};

/* Compensation given by the resolves of the month, by level. */
struct cp_report_money {
	char *level, *label;
	cp_money total;
	size_t n;			/* resolves that named a compensation */
};

struct cp_report {
	int year, month;
	cp_time from, to;		/* the month, inclusive */
	cp_time as_of;			/* deadlines judged at this instant */
	const struct cp_tz *tz;		/* the policy's zone: the report's dates */
	char *policy_name, *currency;
	int lang;			/* enum cp_lang: the policy's language, or --lang */
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

	/* SPEC section 11 (report_cases.c) */
	char *title;				/* the policy's report.title, or the default */
	struct cp_report_case *cases;		/* received first, then by ID */
	size_t ncases, cases_alloc;
	struct cp_report_dept *departments;	/* most received first, then by name */
	size_t ndepartments, departments_alloc;
	cp_money compensation;			/* the month's total */
	size_t ncompensation;			/* resolves that named one */
	struct cp_report_money *compensation_by;	/* one per level, policy order */
	size_t ncompensation_by;
	struct cp_report_measures measures;	/* at the period's end */
};

/* The report for a month (year, month), judged at now. */
int cp_report_compute(struct cp_report *out, struct cp_store *s, int year, int month,
		      cp_time now);
void cp_report_release(struct cp_report *r);

/*
 * The month's cases, departments and compensation (report_cases.c), fed
 * by the walk of cp_report_compute(): init once the period and policy
 * are known; add for every case (c derived at the report's time, at_end
 * the case as it stood at the period's end, NULL when it was not yet
 * received); finish once the score is done.
 */
void cp_report_cases_init(struct cp_report *r, const struct cp_policy *p);
void cp_report_cases_add(struct cp_report *r, const struct cp_policy *p,
			 const struct cp_case *c, const struct cp_case *at_end,
			 cp_time now, cp_time prev_from, cp_time prev_to);
void cp_report_cases_finish(struct cp_report *r);
void cp_report_cases_release(struct cp_report *r);

/* Renderers (render_*.c). */
void cp_report_json(struct cp_sbuf *out, const struct cp_report *r);
void cp_report_md(struct cp_sbuf *out, const struct cp_report *r);
void cp_report_csv(struct cp_sbuf *out, const struct cp_report *r);
void cp_report_html(struct cp_sbuf *out, const struct cp_report *r);

#endif
