#!/bin/sh
test_description='part two events round-trip: write, PyYAML, merge, --as-of

A case carrying every event of SPEC section 10 (set, analyze, measure,
measure_done, approve --measure, hold, resume; new --field and a
prevention case with --ref) is written so that PyYAML reads every key
back as written; the merge driver keeps both sites'"'"' measures and field
changes, renumbers one side'"'"'s M refs when both numbered a measure
alike (the same bytes whichever side merges), and reports two sites
setting one field differently as a conflict; score and report --as-of
reproduce a published month byte for byte after these events.'
. "$(dirname "$0")/test-lib.sh"

CLERK=客服中心/赵六

new_store store

test_expect_success 'setup: policy with fields, an analysis deadline, holds, measures signed off' '
	python3 - <<-\EOF &&
	import re
	s = open("policy.yaml").read()
	s = s.replace("      resolve: 2h\n", "      resolve: 2h\n      analysis: {within: 3wd, from: resolve}\n", 1)
	s = s.replace("    approvals: []\n", "    approvals: []\n    hold: true\n", 1)
	s = re.sub(r"^(fields|measures):.*?(?=^\S|\Z)", "", s, flags=re.S | re.M)
	s += "fields:\n  - {id: place, name: 事发地点}\n  - {id: covers, name: 人数, type: number}\n"
	s += "measures: {approvals: [director]}\n"
	open("policy.yaml", "w").write(s)
	EOF
	git commit -qam "policy: part two" --date=2026-11-01T09:00+08:00 &&
	GIT_COMMITTER_DATE=2026-11-01T09:00+08:00 git commit -q --amend --no-edit &&
	complaint policy check policy.yaml
'

# ev TIME ARGS...: a command at TIME
ev () {
	ev_t=$1
	shift
	complaint --actor $CLERK --now "$ev_t" "$@" >/dev/null
}

test_expect_success 'a case with every new event' '
	ID=$(complaint --actor $CLERK --now 2026-11-10T10:00 new --customer 王先生 \
		--channel phone --category service --summary 上菜慢 \
		--field "place=二楼: #3 yes" --field covers=6) &&
	ev 2026-11-10T10:01 assign $ID --department 餐饮部 --responsible 张三 &&
	ev 2026-11-10T10:02 hold $ID --reason "等客户: \"回电\"" &&
	ev 2026-11-10T10:32 resume $ID --text 已回电 &&
	ev 2026-11-10T10:33 set $ID --field covers=8 --field place=null --reason "no" &&
	ev 2026-11-10T11:00 resolve $ID --text 已道歉 &&
	ev 2026-11-10T12:00 analyze $ID --text "- 原因: 人手" &&
	ev 2026-11-10T12:05 measure $ID --text 加派人手 --owner 张三 --due 2026-11-20 &&
	ev 2026-11-10T12:06 measure $ID --done M1 --text "yes" &&
	complaint --actor 陈总 --now 2026-11-10T12:07 approve $ID --measure M1 >/dev/null &&
	P=$(complaint --actor $CLERK --now 2026-11-11T09:00 new --kind prevention \
		--customer 客服中心 --channel letter --category service --summary 预防 --ref $ID) &&
	complaint --now 2026-11-11T09:00 check
'

test_expect_success 'PyYAML reads every key back as written' '
	f=$(case_path $ID) &&
	python3 - "$f" >actual <<-\EOF &&
	import sys, yaml
	d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
	print(d["fields"])
	for e in d["events"][1:]:
	    print({k: v for k, v in e.items() if k not in ("at", "by")})
	EOF
	cat >expect <<-\EOF &&
	{'"'"'place'"'"': '"'"'null'"'"', '"'"'covers'"'"': '"'"'8'"'"'}
	{'"'"'action'"'"': '"'"'assign'"'"', '"'"'department'"'"': '"'"'餐饮部'"'"', '"'"'responsible'"'"': '"'"'张三'"'"', '"'"'head'"'"': '"'"'李四'"'"', '"'"'leader'"'"': '"'"'王五'"'"'}
	{'"'"'action'"'"': '"'"'hold'"'"', '"'"'reason'"'"': '"'"'等客户: "回电"'"'"'}
	{'"'"'action'"'"': '"'"'resume'"'"', '"'"'text'"'"': '"'"'已回电'"'"'}
	{'"'"'action'"'"': '"'"'set'"'"', '"'"'field'"'"': '"'"'covers'"'"', '"'"'old'"'"': '"'"'6'"'"', '"'"'value'"'"': '"'"'8'"'"', '"'"'reason'"'"': '"'"'no'"'"'}
	{'"'"'action'"'"': '"'"'set'"'"', '"'"'field'"'"': '"'"'place'"'"', '"'"'old'"'"': '"'"'二楼: #3 yes'"'"', '"'"'value'"'"': '"'"'null'"'"', '"'"'reason'"'"': '"'"'no'"'"'}
	{'"'"'action'"'"': '"'"'resolve'"'"', '"'"'text'"'"': '"'"'已道歉'"'"'}
	{'"'"'action'"'"': '"'"'analyze'"'"', '"'"'text'"'"': '"'"'- 原因: 人手'"'"'}
	{'"'"'action'"'"': '"'"'measure'"'"', '"'"'text'"'"': '"'"'加派人手'"'"', '"'"'ref'"'"': '"'"'M1'"'"', '"'"'owner'"'"': '"'"'张三'"'"', '"'"'due'"'"': '"'"'2026-11-20'"'"'}
	{'"'"'action'"'"': '"'"'measure_done'"'"', '"'"'text'"'"': '"'"'yes'"'"', '"'"'ref'"'"': '"'"'M1'"'"'}
	{'"'"'action'"'"': '"'"'approve'"'"', '"'"'role'"'"': '"'"'director'"'"', '"'"'ref'"'"': '"'"'M1'"'"'}
	EOF
	test_cmp expect actual &&
	yaml_get $(case_path $P) refs >actual &&
	echo "[\"$ID\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'show, log and JSON carry each new event; the hold moved the deadlines' '
	complaint --now 2026-11-11T09:00 show $ID >out &&
	for w in "hold; reason" "resume: 已回电" "set covers from 6 to 8" analyze "measure M1" \
		"measure_done M1" "approve M1 as director" "Held" "M1   加派人手"; do
		test_grep "$w" out || return 1
	done &&
	complaint --now 2026-11-11T09:00 show $ID --format json >j &&
	jq -r ".deadlines.resolve, .measures[0].state, .holds[0].to, .fields.covers" j >actual &&
	printf "%s\n" 2026-11-10T12:30:00+08:00 signed_off 2026-11-10T10:32:00+08:00 8 >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-11T09:00 log $ID >out &&
	for a in hold resume set analyze measure measure_done approve; do
		test_grep "action: $a," out || return 1
	done
'

test_expect_success 'publish November --as-of 2026-11-30T12:00; the same bytes after more part-two events' '
	complaint --now 2026-11-30T12:00 score --month 2026-11 --format json >score.pub &&
	complaint --now 2026-11-30T12:00 report --month 2026-11 --format json >report.pub &&
	ev 2026-12-02T09:00 measure $ID --text 培训 --owner 李四 --due 2026-12-10 &&
	ev 2026-12-02T09:01 set $ID --field covers=9 --reason 再更正 &&
	ev 2026-12-02T09:02 analyze $ID --text 补充 &&
	complaint --now 2026-12-03T09:00 score --month 2026-11 --as-of 2026-11-30T12:00 --format json >score.again &&
	complaint --now 2026-12-03T09:00 report --month 2026-11 --as-of 2026-11-30T12:00 --format json >report.again &&
	test_cmp_bytes score.pub score.again &&
	test_cmp_bytes report.pub report.again
'

# merge: three versions of the case, by hand through the driver
test_expect_success 'merge: two sites add a measure each (both M2) and change different fields' '
	f=$(case_path $ID) &&
	cp $f base.tmp &&
	ev 2026-12-04T09:00 measure $ID --text 甲的措施 --owner 甲 --due 2026-12-20 &&
	ev 2026-12-04T09:01 measure $ID --done M3 --text 甲做完 &&
	ev 2026-12-04T09:02 set $ID --field place=大厅 --reason 甲 &&
	cp $f ours.tmp &&
	git reset -q --hard HEAD~3 &&
	ev 2026-12-04T09:10 measure $ID --text 乙的措施 --owner 乙 --due 2026-12-21 &&
	ev 2026-12-04T09:11 set $ID --field covers=10 --reason 乙 &&
	cp $f theirs.tmp &&
	git reset -q --hard HEAD~2 &&
	cp ours.tmp o1.tmp && cp theirs.tmp t1.tmp &&
	cp theirs.tmp o2.tmp && cp ours.tmp t2.tmp &&
	complaint merge-file base.tmp o1.tmp t1.tmp "$f" &&
	complaint merge-file base.tmp o2.tmp t2.tmp "$f" &&
	test_cmp_bytes o1.tmp o2.tmp &&
	yaml_get o1.tmp events >ev.json &&
	jq -r ".[] | select(.ref) | \"\(.action) \(.ref) \(.text // \"\")\"" ev.json >actual &&
	cat >expect <<-\EOF &&
	measure M1 加派人手
	measure_done M1 yes
	approve M1 
	measure M2 培训
	measure M3 甲的措施
	measure_done M3 甲做完
	measure M4 乙的措施
	EOF
	test_cmp expect actual &&
	yaml_get o1.tmp fields >actual &&
	echo "{\"place\": \"大厅\", \"covers\": \"10\"}" >expect &&
	test_cmp expect actual &&
	cp o1.tmp "$f" &&
	git commit -qam merged &&
	complaint --now 2026-12-05T09:00 check
'

test_expect_success 'merge: two sites set one field to different values is a conflict, never a pick' '
	f=$(case_path $ID) &&
	cp $f base.tmp &&
	ev 2026-12-06T09:00 set $ID --field covers=11 --reason 甲 &&
	cp $f ours.tmp &&
	git reset -q --hard HEAD~1 &&
	ev 2026-12-06T09:05 set $ID --field covers=12 --reason 乙 &&
	cp $f theirs.tmp &&
	git reset -q --hard HEAD~1 &&
	cp ours.tmp o.tmp &&
	test_expect_code 1 complaint merge-file base.tmp o.tmp theirs.tmp "$f" 2>err &&
	test_grep "differ in its field .covers. (.11. and .12.), and both sides changed it" err
'

test_done
