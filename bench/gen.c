/*
 * gen.c - build a realistic store of N cases over 24 months directly
 * through the library: bench/gen DIR N [SEED]
 *
 * The store is made with `complaint init` first; this writes the case
 * files (classified, walked through the lifecycle with the library, so
 * they are exactly what the tool writes), then the caller commits them
 * in one go with git.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "complaint/case.h"
#include "complaint/error.h"
#include "complaint/intake.h"
#include "complaint/lifecycle.h"
#include "complaint/store.h"
#include "fsutil.h"

static unsigned long long rng = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const summaries[] = {
	"上菜延迟一小时，客人多次催促无人理会",
	"Room not cleaned on arrival; towels missing and the shower drain blocked",
	"酒的口感与宣传不符，要求退货退款",
	"Invoice amount differs from the quoted price by 300 yuan",
	"快递送达时外包装破损，两瓶酒碎裂",
	"服务员态度恶劣，与客人发生争执",
	"Booked a tasting tour for 6 people, the guide did not show up",
};

static const char *const notes[] = {
	"已致电客户说明处理进度，客户表示理解，等待进一步答复",
	"Called the guest back; left a voicemail with the case number and the duty manager's phone",
	"客户再次来电催促，已转告部门负责人尽快处理",
};

static const char *const descriptions[] = {
	"客人于晚上七点到店就餐，点餐后等待一个多小时仍未上齐菜品。\n多次询问服务员，回复均为马上就好。客人情绪激动，要求经理出面解释并给予补偿。\n"
	"客人表示当晚是为家人庆祝生日，体验非常糟糕，希望酒店能够重视此事并改进服务流程。\n"
	"值班经理已到场致歉。\n",
	"Guest checked in at 15:00 and found the room had not been cleaned since the last stay.\nFront desk offered an upgrade which the guest refused; guest asks for a full refund of the first night.\n"
	"The guest also reports that the air conditioning was noisy and that housekeeping did not answer two calls.\n"
	"The duty manager apologised in person.\n",
	"客户购买了两箱2019年份干红，开瓶后发现有明显的软木塞污染气味。\n客户提供了购买凭证和照片，要求更换或退款，并对产品质量表示担忧。\n"
	"客户称此前多次购买同一款酒均无问题，本次批次可能存在储存不当的情况，要求书面答复。\n"
	"已安排质检部门取样。\n",
};

/* Plain writes: the generator does not need fsync per file. */
static void put(const char *root, const char *rel, const struct cp_sbuf *data)
{
	char full[4096], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", root, rel);
	for (slash = strchr(full + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(full, 0777);
		*slash = '/';
	}
	f = fopen(full, "w");
	if (!f || fwrite(data->buf, 1, data->len, f) != data->len || fclose(f)) {
		perror(full);
		exit(1);
	}
}

static void die(const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, cp_errmsg());
	exit(1);
}

int main(int argc, char **argv)
{
	struct cp_store *s;
	const struct cp_policy *p;
	const struct cp_org *o;
	char *root;
	long n, i;
	struct cp_sbuf path = CP_SBUF_INIT, out = CP_SBUF_INIT;
	cp_time start = 1730390400; /* 2024-11-01T00:00+08:00 roughly */

	if (argc < 3) {
		fprintf(stderr, "usage: gen DIR N [SEED]\n");
		return 2;
	}
	n = atol(argv[2]);
	if (argc > 3)
		rng += strtoull(argv[3], NULL, 10) * 2654435761ULL;
	if (cp_store_discover(&root, argv[1]) < 0 || cp_store_open(&s, root) < 0)
		die("open");
	p = cp_store_policy(s);
	o = cp_store_org(s);
	for (i = 0; i < n; i++) {
		struct cp_new_req req;
		struct cp_case *c;
		struct cp_event ev;
		char amount[32];
		cp_time recv = start + (cp_time)((double)i / (double)n * 730 * 86400) + rnd(3600);
		cp_time now = recv + 86400 * 30, t = recv;
		unsigned steps = rnd(8), k;
		const struct cp_dept *dept = &o->depts[rnd((unsigned)o->ndepts)];

		memset(&req, 0, sizeof(req));
		req.customer = rnd(2) ? "王先生" : "Ms. Li";
		req.contact = "13800000000";
		req.channel = p->channels[rnd((unsigned)p->nchannels)];
		req.category = p->categories[rnd((unsigned)p->ncategories)];
		req.kind = p->kinds[rnd(10) ? 0 : rnd((unsigned)p->nkinds)].id;
		req.summary = summaries[rnd(sizeof(summaries) / sizeof(*summaries))];
		req.description = descriptions[rnd(sizeof(descriptions) / sizeof(*descriptions))];
		snprintf(amount, sizeof(amount), "%u.%02u", rnd(10) < 7 ? rnd(1000) : rnd(60000), rnd(100));
		req.amount = amount;
		if (p->nscopes)
			req.scope = p->scopes[rnd(10) < 8 ? 0 : rnd((unsigned)p->nscopes)];
		if (cp_case_create(&c, p, &req, "客服中心/赵六", now) < 0)
			die("create");
		c->received = recv;
		c->events[0].at = recv;
		cp_case_derive(c, p);
		if (cp_id_generate(c->id, p->tz, recv) < 0)
			die("id");
		for (k = 0; k < steps; k++) {
			static const enum cp_evt order[] = { EV_ASSIGN, EV_NOTIFY, EV_ONSITE,
				EV_PLAN, EV_APPROVE, EV_APPROVE, EV_RESOLVE, EV_CALLBACK, EV_CLOSE };
			const struct cp_level *l = &p->levels[c->d.level];

			memset(&ev, 0, sizeof(ev));
			ev.compensation = -1;
			ev.points = CP_NONE;
			ev.satisfied = -1;
			ev.action = order[k];
			t += 60 * (1 + rnd(20));
			ev.at = t;
			ev.by = "客服中心/赵六";
			switch (ev.action) {
			case EV_ASSIGN:
				ev.department = dept->name;
				ev.responsible = "张三";
				break;
			case EV_PLAN:
				if (!l->needs_plan)
					continue;
				ev.text = "致歉并赔偿，安排专人跟进";
				break;
			case EV_APPROVE:
				if (c->d.napproved >= l->napprovals)
					continue;
				ev.by = l->approvals[c->d.napproved] == ROLE_DIRECTOR ? o->directors[0]
											: (char *)c->d.leader;
				break;
			case EV_RESOLVE:
				ev.text = "已与客户沟通并完成赔偿";
				ev.cause = "人手不足";
				break;
			case EV_CALLBACK:
				ev.satisfied = rnd(5) != 0;
				break;
			default:
				break;
			}
			if (cp_lifecycle_apply(c, p, o, &ev, now) < 0)
				break;
		}
		for (k = 1 + rnd(4); k > 0; k--) {
			memset(&ev, 0, sizeof(ev));
			ev.compensation = -1;
			ev.points = CP_NONE;
			ev.satisfied = -1;
			ev.action = EV_NOTE;
			t += 60 * (1 + rnd(120));
			ev.at = t;
			ev.by = "客服中心/赵六";
			ev.text = (char *)notes[rnd(sizeof(notes) / sizeof(*notes))];
			if (cp_lifecycle_apply(c, p, o, &ev, now) < 0)
				break;
		}
		cp_sbuf_reset(&path);
		cp_sbuf_reset(&out);
		cp_case_path(&path, c->id, p->tz, c->received);
		cp_case_format(&out, c, p);
		put(root, path.buf, &out);
		cp_case_free(c);
	}
	cp_sbuf_release(&path);
	cp_sbuf_release(&out);
	cp_store_close(s);
	free(root);
	return 0;
}
