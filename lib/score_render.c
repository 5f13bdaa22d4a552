/*
 * score_render.c - a period's score as JSON and CSV (complaint-score(1):
 * the keys and columns are a contract), and its money.
 */
#include "complaint/score.h"
#include "complaint/money.h"
#include "csv.h"
#include "json.h"

static void day(struct cp_sbuf *sb, const struct cp_tz *z, cp_time t)
{
	char buf[CP_TIME_BUF];

	cp_day_fmt(buf, cp_local_day(z, t));
	cp_json_str(sb, buf);
}

void cp_score_money(struct cp_sbuf *sb, const struct cp_score *sc, long points)
{
	cp_money m;

	cp_money_mul(&m, points, sc->point_value);
	cp_money_fmt(sb, m);
}

void cp_score_json(struct cp_sbuf *sb, const struct cp_score *sc)
{
	size_t i;
	bool first;

	cp_sbuf_adds(sb, "{\"period\":{\"from\":");
	day(sb, sc->tz, sc->from);
	cp_sbuf_adds(sb, ",\"to\":");
	day(sb, sc->tz, sc->to);
	cp_sbuf_adds(sb, "},\"policy\":");
	cp_json_str(sb, sc->policy);
	cp_sbuf_adds(sb, ",\"currency\":");
	cp_json_str(sb, sc->currency);
	cp_sbuf_adds(sb, ",\"point_value\":");
	cp_money_fmt(sb, sc->point_value);
	cp_sbuf_adds(sb, ",\n\"items\":[");
	for (i = 0; i < sc->nitems; i++) {
		const struct cp_score_item *it = &sc->items[i];

		first = true;
		cp_sbuf_adds(sb, i ? ",\n  {" : "\n  {");
		cp_json_key(sb, &first, "case");
		cp_json_str(sb, it->case_id);
		cp_json_key(sb, &first, "date");
		day(sb, sc->tz, it->at);
		cp_json_key(sb, &first, "at");
		cp_json_time(sb, sc->tz, it->at);
		cp_json_key(sb, &first, "target");
		cp_json_str(sb, it->target);
		cp_json_key(sb, &first, "role");
		cp_json_str(sb, cp_role_name(it->role));
		cp_json_key(sb, &first, "department");
		cp_json_str(sb, it->department);
		cp_json_key(sb, &first, "points");
		cp_json_num(sb, (double)it->points);
		cp_json_key(sb, &first, "money");
		cp_score_money(sb, sc, it->points);
		cp_json_key(sb, &first, "rule");
		cp_json_str(sb, it->rule);
		if (it->detail) {
			cp_json_key(sb, &first, "detail");
			cp_json_str(sb, it->detail);
		}
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_adds(sb, "],\n\"departments\":[");
	for (i = 0; i < sc->ndepartments; i++) {
		first = true;
		cp_sbuf_adds(sb, i ? ",\n  {" : "\n  {");
		cp_json_key(sb, &first, "department");
		cp_json_str(sb, sc->departments[i].name);
		cp_json_key(sb, &first, "points");
		cp_json_num(sb, (double)sc->departments[i].points);
		cp_json_key(sb, &first, "money");
		cp_score_money(sb, sc, sc->departments[i].points);
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_adds(sb, "],\n\"people\":[");
	for (i = 0; i < sc->npeople; i++) {
		first = true;
		cp_sbuf_adds(sb, i ? ",\n  {" : "\n  {");
		cp_json_key(sb, &first, "person");
		cp_json_str(sb, sc->people[i].name);
		cp_json_key(sb, &first, "role");
		cp_json_str(sb, cp_role_name(sc->people[i].role));
		cp_json_key(sb, &first, "department");
		cp_json_str(sb, sc->people[i].department);
		cp_json_key(sb, &first, "points");
		cp_json_num(sb, (double)sc->people[i].points);
		cp_json_key(sb, &first, "money");
		cp_score_money(sb, sc, sc->people[i].points);
		cp_json_key(sb, &first, "earned");
		cp_json_num(sb, (double)sc->people[i].earned);
		cp_json_key(sb, &first, "carried_in");
		cp_json_num(sb, (double)sc->people[i].carried_in);
		cp_json_key(sb, &first, "counted");
		cp_json_num(sb, (double)sc->people[i].points);
		cp_json_key(sb, &first, "carried_out");
		cp_json_num(sb, (double)sc->people[i].carried_out);
		cp_json_key(sb, &first, "dropped");
		cp_json_num(sb, (double)sc->people[i].dropped);
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_adds(sb, "],\n\"warnings\":[");
	for (i = 0; i < sc->nwarnings; i++) {
		first = true;
		cp_sbuf_adds(sb, i ? ",\n  {" : "\n  {");
		cp_json_key(sb, &first, "case");
		cp_json_str(sb, sc->warnings[i].case_id);
		cp_json_key(sb, &first, "message");
		cp_json_str(sb, sc->warnings[i].message);
		cp_sbuf_addch(sb, '}');
	}
	cp_sbuf_adds(sb, "]}");
}

void cp_score_csv(struct cp_sbuf *sb, const struct cp_score *sc)
{
	char d[CP_TIME_BUF];
	size_t i;

	cp_sbuf_adds(sb, "case,date,target,role,department,points,money,rule,detail\r\n");
	for (i = 0; i < sc->nitems; i++) {
		const struct cp_score_item *it = &sc->items[i];

		cp_day_fmt(d, cp_local_day(sc->tz, it->at));
		cp_sbuf_addf(sb, "%s,%s,", it->case_id, d);
		cp_csv_field(sb, it->target);
		cp_sbuf_addf(sb, ",%s,", cp_role_name(it->role));
		cp_csv_field(sb, it->department);
		cp_sbuf_addf(sb, ",%ld,", it->points);
		cp_score_money(sb, sc, it->points);
		cp_sbuf_addch(sb, ',');
		cp_csv_field(sb, it->rule);
		cp_sbuf_addch(sb, ',');
		cp_csv_field(sb, it->detail);
		cp_sbuf_adds(sb, "\r\n");
	}
}
