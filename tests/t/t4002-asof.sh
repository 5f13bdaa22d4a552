#!/bin/sh
test_description='score and report --as-of: a published month can be reproduced

SPEC section 6: a period is computed under the policy as it stood in the
store history at the end of the period; --as-of computes from the store as
it was at that time (commit times are the commands --now), so an auditor
gets back, byte for byte, the score and report that were published.'
. "$(dirname "$0")/test-lib.sh"

# The store (default policy and roster):
#  A 2026-10-12 10:00 minor 餐饮部/张三, every deadline met, resolved 11:00
#  B 2026-10-13 09:00 general (amount 1200) 客房部/赵一, met, resolved 15:00
#  C 2026-10-20 10:00 minor 客房部/赵一, met, resolved 11:00;
#    callback unsatisfied 10-21
# Published at 2026-11-01T08:00 (October):
#  A occurrence:minor 餐饮部 5; B occurrence:general 客房部 10;
#  C occurrence:minor 客房部 5, unsatisfied 客房部 10
#  -> 餐饮部 5 (50), 客房部 25 (250); no people
# Later:
#  2026-11-10 reclassify A major: occurrence 餐饮部 10, 李四 10, 张三 50,
#    and the plan deadline (24h from receipt, 10-13 10:00) was never met:
#    late 餐饮部 10 dated 10-13; nor the analysis (3 working days from the
#    resolve of Mon 10-12: Tue, Wed, Thu): late 餐饮部 10 dated 10-15 (late
#    per deadline).  notify and onsite were met under minor, the level in
#    force when they passed (no parties then)
#  2026-11-11 penalize B 赵一 7 --at 2026-10-20T10:00 (dated in October;
#    by 孙七, 客房部's head: general's penalize.by is [head, leader])
#  2026-11-15 policy.yaml edited by hand (git commit): name winery-2022-b,
#    minor department 5 -> 8
#  2026-11-16 N minor 餐饮部, met: November, under the new policy: 8
# October without --as-of at 2026-11-20 (old policy, the one at 10-31):
#  餐饮部 5->10+10+10 = 30, 客房部 10+5+10 = 25; 张三 50, 李四 10, 赵一 7

complaint --now 2026-09-30T09:00 init store >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=客服中心/赵六
export COMPLAINT_ACTOR

# ev TIME CMD ARGS...
ev () {
	ev_t=$1
	shift
	complaint --now "$ev_t" "$@" >/dev/null
}

# items FILE: the line items of a score JSON (or of .score of a report), with names for IDs
items () {
	jq -r '(.score // .) | .items[] | [.case, .date, .target, .role, (.points|tostring), .rule] | join(" ")' "$1" |
		sed -f ../names | LC_ALL=C sort
}

# tree_mtimes: every work-tree file (not .git) with its mtime
tree_mtimes () {
	find . -path ./.git -prune -o -type f -printf '%p %T@\n' | LC_ALL=C sort
}

test_expect_success 'October: three cases, recorded as they happened' '
	A=$(complaint --now 2026-10-12T10:00 new --customer 甲 --channel phone --category service --summary 上菜慢 --received 2026-10-12T10:00) &&
	ev 2026-10-12T10:01 assign $A --department 餐饮部 --responsible 张三 &&
	ev 2026-10-12T10:05 notify $A &&
	ev 2026-10-12T10:12 onsite $A &&
	ev 2026-10-12T11:00 resolve $A --text 已致歉 &&
	B=$(complaint --now 2026-10-13T09:00 new --customer 乙 --channel phone --category service --summary 房间不洁 --amount 1200 --received 2026-10-13T09:00) &&
	ev 2026-10-13T09:01 assign $B --department 客房部 --responsible 赵一 &&
	ev 2026-10-13T09:05 notify $B &&
	ev 2026-10-13T09:10 onsite $B &&
	ev 2026-10-13T09:30 plan $B --text 重新打扫 &&
	complaint --actor 王五 --now 2026-10-13T09:40 approve $B >/dev/null &&
	ev 2026-10-13T15:00 resolve $B --text 已处理 &&
	C=$(complaint --now 2026-10-20T10:00 new --customer 丙 --channel email --category finance --summary 多收费 --received 2026-10-20T10:00) &&
	ev 2026-10-20T10:01 assign $C --department 客房部 --responsible 赵一 &&
	ev 2026-10-20T10:05 notify $C &&
	ev 2026-10-20T10:10 onsite $C &&
	ev 2026-10-20T11:00 resolve $C --text 已退款 &&
	ev 2026-10-21T10:00 callback $C --unsatisfied &&
	printf "s/%s/A/\ns/%s/B/\ns/%s/C/\n" $A $B $C >../names
'

test_expect_success 'publish October at 2026-11-01T08:00 with --as-of' '
	complaint --now 2026-11-01T08:00 score --month 2026-10 --as-of 2026-11-01T08:00 --format json >../pub-score.json &&
	complaint --now 2026-11-01T08:00 score --month 2026-10 --as-of 2026-11-01T08:00 >../pub-score.txt &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format json >../pub-report.json &&
	complaint --now 2026-11-01T08:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format md >../pub-report.md &&
	items ../pub-score.json >actual &&
	cat >expect <<-\EOF &&
	A 2026-10-12 餐饮部 department 5 occurrence:minor
	B 2026-10-13 客房部 department 10 occurrence:general
	C 2026-10-20 客房部 department 5 occurrence:minor
	C 2026-10-21 客房部 department 10 unsatisfied
	EOF
	LC_ALL=C sort expect >expect.sorted &&
	test_cmp expect.sorted actual &&
	jq -c "[.departments[] | [.department, .points, .money]] | sort" ../pub-score.json >actual &&
	echo "[[\"客房部\",25,250],[\"餐饮部\",5,50]]" >expect &&
	test_cmp expect actual &&
	jq -c "[.policy, .people]" ../pub-score.json >actual &&
	echo "[\"winery-2022\",[]]" >expect &&
	test_cmp expect actual &&
	jq -c "[.by_severity.minor, .by_severity.general, .by_severity.major // 0, .totals.received]" ../pub-report.json >actual &&
	echo "[2,1,0,3]" >expect &&
	test_cmp expect actual
'

test_expect_success 'publishing at now without --as-of gives the same figures' '
	complaint --now 2026-11-01T08:00 score --month 2026-10 --format json >out.json &&
	test_cmp ../pub-score.json out.json
'

test_expect_success 'later: reclassify A, a backdated penalize on B, a hand edit of the policy, a November case' '
	ev 2026-11-10T10:00 reclassify $A major --reason 复查升级 &&
	complaint --actor 孙七 --now 2026-11-11T10:00 penalize $B 赵一 7 --reason 事后追责 --at 2026-10-20T10:00 >/dev/null &&
	python3 - <<-\EOF &&
	import re
	p = "policy.yaml"
	s = open(p, encoding="utf-8").read()
	s2 = s.replace("name: winery-2022", "name: winery-2022-b", 1)
	s2 = s2.replace("penalties: {department: 5, responsible: {max: 5}}",
	                "penalties: {department: 8, responsible: {max: 5}}", 1)
	assert s2.count("winery-2022-b") == 1 and "department: 8," in s2, "edit failed"
	open(p, "w", encoding="utf-8").write(s2)
	EOF
	complaint policy check policy.yaml &&
	GIT_AUTHOR_DATE=2026-11-15T10:00:00+08:00 GIT_COMMITTER_DATE=2026-11-15T10:00:00+08:00 \
		git commit -q -m "policy: minor department penalty 8" policy.yaml &&
	N=$(complaint --now 2026-11-16T10:00 new --customer 丁 --channel phone --category service --summary 十一月投诉 --received 2026-11-16T10:00) &&
	ev 2026-11-16T10:01 assign $N --department 餐饮部 --responsible 张三 &&
	ev 2026-11-16T10:05 notify $N &&
	ev 2026-11-16T10:10 onsite $N &&
	ev 2026-11-16T11:00 resolve $N --text 已处理 &&
	printf "s/%s/N/\n" $N >>../names &&
	git status --porcelain >out &&
	test_must_be_empty out
'

test_expect_success 'the same --as-of commands later give byte-identical output' '
	complaint --now 2026-11-20T10:00 score --month 2026-10 --as-of 2026-11-01T08:00 --format json >score.json.tmp &&
	complaint --now 2026-11-20T10:00 score --month 2026-10 --as-of 2026-11-01T08:00 >score.txt.tmp &&
	complaint --now 2026-11-20T10:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format json >report.json.tmp &&
	complaint --now 2026-11-20T10:00 report --month 2026-10 --as-of 2026-11-01T08:00 --format md >report.md.tmp &&
	test_cmp_bytes ../pub-score.json score.json.tmp &&
	test_cmp_bytes ../pub-score.txt score.txt.tmp &&
	test_cmp_bytes ../pub-report.json report.json.tmp &&
	test_cmp_bytes ../pub-report.md report.md.tmp
'

test_expect_success '--as-of with COMPLAINT_NOW and with an offset time gives the same' '
	env COMPLAINT_NOW=2026-11-25T10:00 complaint score --month 2026-10 --as-of 2026-11-01T00:00:00Z --format json >score.json.tmp &&
	test_cmp_bytes ../pub-score.json score.json.tmp
'

test_expect_success 'without --as-of the October numbers changed (reclassify, backdated penalize)' '
	complaint --now 2026-11-20T10:00 score --month 2026-10 --format json >../now.json &&
	! cmp -s ../pub-score.json ../now.json &&
	items ../now.json >actual &&
	cat >expect <<-\EOF &&
	A 2026-10-12 餐饮部 department 10 occurrence:major
	A 2026-10-12 李四 head 10 occurrence:major
	A 2026-10-12 张三 responsible 50 occurrence:major
	A 2026-10-13 餐饮部 department 10 late
	A 2026-10-15 餐饮部 department 10 late
	B 2026-10-13 客房部 department 10 occurrence:general
	B 2026-10-20 赵一 responsible 7 penalize
	C 2026-10-20 客房部 department 5 occurrence:minor
	C 2026-10-21 客房部 department 10 unsatisfied
	EOF
	LC_ALL=C sort expect >expect.sorted &&
	test_cmp expect.sorted actual &&
	jq -c "[.departments[] | [.department, .points, .money]] | sort" ../now.json >actual &&
	echo "[[\"客房部\",25,250],[\"餐饮部\",30,300]]" >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-20T10:00 report --month 2026-10 --format json >../now-report.json &&
	jq -c "[.by_severity.minor, .by_severity.general, .by_severity.major]" ../now-report.json >actual &&
	echo "[1,1,1]" >expect &&
	test_cmp expect actual
'

test_expect_success 'October is scored under the policy committed at its end, not the mid-November edit' '
	jq -r .policy ../now.json >actual &&
	echo winery-2022 >expect &&
	test_cmp expect actual &&
	jq -r ".items[] | select(.rule == \"occurrence:minor\") | .points" ../now.json >actual &&
	echo 5 >expect &&
	test_cmp expect actual &&
	jq -r .score.policy ../now-report.json >actual &&
	echo winery-2022 >expect &&
	test_cmp expect actual
'

test_expect_success 'November is scored under the edited policy' '
	complaint --now 2026-11-20T10:00 score --month 2026-11 --format json >../nov.json &&
	jq -r .policy ../nov.json >actual &&
	echo winery-2022-b >expect &&
	test_cmp expect actual &&
	items ../nov.json >actual &&
	echo "N 2026-11-16 餐饮部 department 8 occurrence:minor" >expect &&
	test_cmp expect actual
'

test_expect_success '--as-of between the later changes sees only those made by then' '
	complaint --now 2026-11-20T10:00 score --month 2026-10 --as-of 2026-11-10T12:00 --format json >../mid.json &&
	items ../mid.json >actual &&
	cat >expect <<-\EOF &&
	A 2026-10-12 餐饮部 department 10 occurrence:major
	A 2026-10-12 李四 head 10 occurrence:major
	A 2026-10-12 张三 responsible 50 occurrence:major
	A 2026-10-13 餐饮部 department 10 late
	A 2026-10-15 餐饮部 department 10 late
	B 2026-10-13 客房部 department 10 occurrence:general
	C 2026-10-20 客房部 department 5 occurrence:minor
	C 2026-10-21 客房部 department 10 unsatisfied
	EOF
	LC_ALL=C sort expect >expect.sorted &&
	test_cmp expect.sorted actual
'

test_expect_success '--as-of does not touch the store: work tree, index, HEAD, mtimes' '
	git status --porcelain >../status.out &&
	test_must_be_empty ../status.out &&
	tree_mtimes >../mtimes.before &&
	git rev-parse HEAD >../head.before &&
	cp policy.yaml ../policy.before &&
	store_snapshot &&
	sleep 1 &&
	complaint --now 2026-11-20T10:00 score --month 2026-10 --as-of 2026-11-01T08:00 --format json >../out.json &&
	complaint --now 2026-11-20T10:00 report --month 2026-10 --as-of 2026-11-01T08:00 >../out.json &&
	complaint --now 2026-11-20T10:00 report --month 2026-10 --as-of 2026-11-10T12:00 --format json >../out.json &&
	tree_mtimes >../mtimes.after &&
	test_cmp ../mtimes.before ../mtimes.after &&
	store_unchanged &&
	git rev-parse HEAD >../head.after &&
	test_cmp ../head.before ../head.after &&
	test_cmp_bytes ../policy.before policy.yaml &&
	grep -q "name: winery-2022-b" policy.yaml &&
	git status --porcelain >../status.out &&
	test_must_be_empty ../status.out
'

test_expect_success '--as-of takes a malformed time as a usage error (exit 2)' '
	test_expect_code 2 complaint score --month 2026-10 --as-of yesterday 2>err &&
	test_error_line err &&
	test_expect_code 2 complaint report --month 2026-10 --as-of 2026-13-01T00:00 2>err &&
	test_error_line err
'

# same_json EXPECTED ACTUAL: byte-identical, else a readable diff of the two
same_json () {
	cmp -s "$1" "$2" && return 0
	jq -S . "$1" >"$1.pretty" && jq -S . "$2" >"$2.pretty" &&
	diff -u "$1.pretty" "$2.pretty" >&2
	echo "same_json: $1 and $2 differ (above, pretty-printed)" >&2
	return 1
}

# Last, as it adds a commit whose time is before its parent's: a clerk's
# clock that is behind, or a command run with an old --now or
# COMPLAINT_NOW.  The history published at 2026-11-01T08:00 has not changed.
test_expect_success 'a later commit with an earlier time (clock skew) changes neither the published --as-of score nor the policy of October' '
	ev 2026-10-25T10:00 note $C 补录备注 &&
	git log -1 --format=%cI >../skew.out &&
	echo 2026-10-25T10:00:00+08:00 >../skew.expect &&
	test_cmp ../skew.expect ../skew.out &&
	complaint --now 2026-11-21T10:00 score --month 2026-10 --as-of 2026-11-01T08:00 --format json >../skew.json &&
	same_json ../pub-score.json ../skew.json &&
	complaint --now 2026-11-21T10:00 score --month 2026-10 --format json >../skew-now.json &&
	jq -r .policy ../skew-now.json >../skew.out &&
	echo winery-2022 >../skew.expect &&
	test_cmp ../skew.expect ../skew.out
'

test_done
