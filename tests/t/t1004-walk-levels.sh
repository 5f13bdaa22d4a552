#!/bin/sh
test_description='seed 000 section 3, walked at a shell from new to close for each level

轻微 (minor): report to the head within 10 minutes, the head on site within
10 minutes, resolved within 2 hours; no approvals.
一般 (general): the same, the unit leader approves, resolved within 12 hours.
特大 (major): a plan within 24 hours, reviewed by the unit leader and
approved by a director, resolved within 2 working days.
重大 (critical): a plan within 48 hours, approved by a director, resolved
within 7 working days.
特大 and 重大 are reported to the head and the service centre (客服中心)
and both go on site: notify and onsite are met when both did.
Each walk meets every deadline and show reports each one "met"; the same
walk with one step late shows that deadline MISSED (and the case overdue
until it is resolved), and still closes.'
. "$(dirname "$0")/test-lib.sh"

CLERK=客服中心/赵六	# the service centre records, reports, calls back and closes
HEAD=李四		# 餐饮部's head: goes on site, plans, resolves
LEADER=王五		# the unit leader (本单位分管领导)
DIRECTOR=陈总		# the winery's director (酒莊領導)

new_store store

# step TIME ACTOR STATUS ACTION ID ARGS...: ACTOR does ACTION at TIME (as
# now); it is accepted with one commit and the case is then in STATUS
step () {
	st_t=$1 st_actor=$2 st_status=$3 st_action=$4 st_id=$5
	shift 5
	st_head=$(git rev-parse HEAD) &&
	complaint --actor "$st_actor" --now "$st_t" "$st_action" "$st_id" "$@" \
		>/dev/null 2>err.step || {
		echo "refused at $st_t: --actor $st_actor $st_action $st_id $*" >&2
		cat err.step >&2
		return 1
	}
	test "$(git rev-parse HEAD^)" = "$st_head" &&
	test "$(git log -1 --format=%an)" = "$st_actor" &&
	complaint --now "$st_t" show "$st_id" --format json | jq -r .status >actual.status &&
	echo "$st_status" >expect.status &&
	test_cmp expect.status actual.status
}

# no_step TIME ACTOR ACTION ID ARGS...: refused with exit 1, nothing written
no_step () {
	ns_t=$1 ns_actor=$2
	shift 2
	test_refused 1 --actor "$ns_actor" --now "$ns_t" "$@"
}

# receive VAR TIME [new-options]: the service centre records a complaint
receive () {
	rc_var=$1 rc_t=$2
	shift 2
	rc_id=$(complaint --actor $CLERK --now "$rc_t" new --customer 王先生 \
		--contact 13800000000 --channel phone --category service \
		--summary 宴会上菜延迟 --received "$rc_t" "$@") &&
	eval "$rc_var=\$rc_id" &&
	test "$(complaint --now "$rc_t" show $rc_id --format json | jq -r .status)" = new
}

# deadlines ID NOW: "event state" for each deadline in the human show
# (its lines read "  notify    2026-11-22 14:15 +08:00  met ...")
deadlines () {
	complaint --now "$2" show "$1" >out.show &&
	sed -n "/^Deadlines/,/^\$/p" out.show | sed -e 1d -e "/^\$/d" |
		awk "{ print \$1, \$5 }"
}

# expect_deadlines EVENT STATE ...: into expect
expect_deadlines () {
	: >expect &&
	while test $# -gt 0; do
		echo "$1 $2" >>expect
		shift 2
	done
}

# deadline_at ID EVENT: the deadline's time (show --format json)
deadline_at () {
	complaint --now 2026-12-31T00:00 show "$1" --format json | jq -r ".deadlines.$2"
}

# overdue_ids NOW: list --overdue at NOW
overdue_ids () {
	complaint --now "$1" list --overdue --format json | jq -r ".[].id"
}

# ---- the walks; each takes the times of its steps from variables ----

# minor, received Monday 2026-11-23 09:00
walk_minor () {
	receive M 2026-11-23T09:00 &&
	test "$(complaint --now 2026-11-23T09:00 show $M --format json | jq -r .severity)" = minor &&
	step 2026-11-23T09:02 $CLERK assigned assign $M --department 餐饮部 --responsible 张三 &&
	step "$MINOR_NOTIFY" $CLERK assigned notify $M --text 电话通知李四 &&
	step "$MINOR_ONSITE" $HEAD assigned onsite $M &&
	no_step "$MINOR_ONSITE" $LEADER approve $M &&
	step "$MINOR_RESOLVE" $HEAD resolved resolve $M --text 致歉并赠送果盘 &&
	step 2026-11-23T13:00 $CLERK resolved callback $M --satisfied &&
	step 2026-11-23T13:05 $CLERK closed close $M
}

# general, received Monday 2026-11-23 09:00
walk_general () {
	receive G 2026-11-23T09:00 --amount 1500 --scope several &&
	test "$(complaint --now 2026-11-23T09:00 show $G --format json | jq -r .severity)" = general &&
	step 2026-11-23T09:02 $CLERK assigned assign $G --department 餐饮部 --responsible 张三 &&
	step 2026-11-23T09:08 $CLERK assigned notify $G &&
	step 2026-11-23T09:15 $HEAD assigned onsite $G &&
	step 2026-11-23T09:40 $HEAD planned plan $G --text 本桌免单并致歉 &&
	no_step 2026-11-23T09:41 $HEAD resolve $G --text 已免单 &&
	step 2026-11-23T10:00 $LEADER approved approve $G &&
	step "$GENERAL_RESOLVE" $HEAD resolved resolve $G --text 已免单 --compensation 1500 &&
	step 2026-11-24T10:00 $CLERK resolved callback $G --satisfied &&
	step 2026-11-24T10:05 $CLERK closed close $G
}

# major, received Thursday 2026-11-26 09:00: plan by Friday 09:00,
# resolved by Monday 2026-11-30 23:59:59 (two working days).  Seed 000
# 3(3): reported to the head AND the service centre within 10 minutes,
# both on site within 10 minutes (parties [lead, intake]): notify is met
# at the later of the two notifies (09:06 <= 09:10), onsite at the later
# of the two onsites (09:13 <= 09:05 + 10m)
walk_major () {
	receive J 2026-11-26T09:00 --amount 20000 --scope public &&
	test "$(complaint --now 2026-11-26T09:00 show $J --format json | jq -r .severity)" = major &&
	test "$(deadline_at $J plan)" = 2026-11-27T09:00:00+08:00 &&
	test "$(deadline_at $J resolve)" = 2026-11-30T23:59:59+08:00 &&
	step 2026-11-26T09:01 $CLERK assigned assign $J --department 餐饮部 --responsible 张三 &&
	step 2026-11-26T09:05 $CLERK assigned notify $J &&
	step 2026-11-26T09:06 $CLERK assigned notify $J --party 客服中心 &&
	step 2026-11-26T09:12 $HEAD assigned onsite $J &&
	step 2026-11-26T09:13 $CLERK assigned onsite $J --party 客服中心 &&
	step "$MAJOR_PLAN" $HEAD planned plan $J --text 赔偿并整改后厨 &&
	no_step "$MAJOR_PLAN" $DIRECTOR approve $J &&
	step "$MAJOR_LEADER" $LEADER planned approve $J &&
	no_step "$MAJOR_LEADER" $HEAD resolve $J --text 已赔偿 &&
	step "$MAJOR_DIRECTOR" $DIRECTOR approved approve $J &&
	step 2026-11-30T17:00 $HEAD resolved resolve $J --text 已赔偿 --cause 厨房排班不足 \
		--action 增加高峰期人手 --compensation 20000 &&
	step 2026-12-01T10:00 $CLERK resolved callback $J --satisfied &&
	step 2026-12-01T10:05 $CLERK closed close $J &&
	step 2026-12-01T11:00 $CLERK closed analyze $J --text 后厨高峰期排班不足
}

# critical (a safety flag), received Monday 2026-11-23 09:00: plan by
# Wednesday 09:00, resolved by Wednesday 2026-12-02 23:59:59 (seven working
# days); parties as major (notify 09:07 <= 09:10, onsite 09:15 <= 09:16);
# the plan is approved by the director alone (approvals [director]): the
# unit leader's approval is refused
walk_critical () {
	receive K 2026-11-23T09:00 --flag safety &&
	test "$(complaint --now 2026-11-23T09:00 show $K --format json | jq -r .severity)" = critical &&
	test "$(deadline_at $K plan)" = 2026-11-25T09:00:00+08:00 &&
	test "$(deadline_at $K resolve)" = 2026-12-02T23:59:59+08:00 &&
	step 2026-11-23T09:01 $CLERK assigned assign $K --department 餐饮部 --responsible 张三 &&
	step 2026-11-23T09:06 $CLERK assigned notify $K &&
	step 2026-11-23T09:07 $CLERK assigned notify $K --party 客服中心 &&
	step 2026-11-23T09:14 $HEAD assigned onsite $K &&
	step 2026-11-23T09:15 $CLERK assigned onsite $K --party 客服中心 &&
	step 2026-11-24T15:00 $HEAD planned plan $K --text 召回同批次并赔偿 &&
	no_step 2026-11-24T16:00 $LEADER approve $K &&
	no_step 2026-11-24T16:01 $HEAD resolve $K --text 已召回 &&
	step 2026-11-25T08:30 $DIRECTOR approved approve $K &&
	step "$CRITICAL_RESOLVE" $HEAD resolved resolve $K --text 已召回并赔偿 \
		--cause 供应商批次问题 --action 更换供应商 &&
	step 2026-12-04T10:00 $CLERK resolved callback $K --satisfied &&
	step 2026-12-04T10:05 $CLERK closed close $K &&
	step 2026-12-04T11:00 $CLERK closed analyze $K --text 供应商来料未检
}

on_time () {
	MINOR_NOTIFY=2026-11-23T09:08 MINOR_ONSITE=2026-11-23T09:15
	MINOR_RESOLVE=2026-11-23T10:30
	GENERAL_RESOLVE=2026-11-23T18:00
	MAJOR_PLAN=2026-11-26T20:00 MAJOR_LEADER=2026-11-27T08:00
	MAJOR_DIRECTOR=2026-11-27T10:00
	CRITICAL_RESOLVE=2026-12-02T18:00
}

# ---- every deadline met ----

test_expect_success 'minor: new, assign, notify, onsite, resolve, callback, close; all met' '
	on_time &&
	walk_minor &&
	deadlines $M 2026-11-23T13:05 >actual &&
	expect_deadlines notify met onsite met resolve met &&
	test_cmp expect actual &&
	test_grep "closed" out.show
'

test_expect_success 'general: the leader approves the plan; all met' '
	on_time &&
	walk_general &&
	deadlines $G 2026-11-24T10:05 >actual &&
	expect_deadlines notify met onsite met resolve met &&
	test_cmp expect actual
'

test_expect_success 'major: plan within 24h, leader then director, two working days; all met' '
	on_time &&
	walk_major &&
	deadlines $J 2026-12-01T11:00 >actual &&
	expect_deadlines notify met onsite met plan met resolve met analysis met &&
	test_cmp expect actual
'

test_expect_success 'critical: plan within 48h, the director approves, seven working days; all met' '
	on_time &&
	walk_critical &&
	deadlines $K 2026-12-04T11:00 >actual &&
	expect_deadlines notify met onsite met plan met resolve met analysis met &&
	test_cmp expect actual
'

test_expect_success 'the four walks end closed, never overdue, with every deadline met in json' '
	for id in $M $G $J $K; do
		complaint --now 2026-12-05T00:00 show $id --format json >out.json &&
		jq -r ".status" out.json >actual &&
		echo closed >expect &&
		test_cmp expect actual &&
		jq -r ".deadline_states | to_entries[] | .value" out.json | sort -u >actual &&
		echo met >expect &&
		test_cmp expect actual &&
		test "$(jq -r .overdue out.json)" = false || return 1
	done &&
	for t in 2026-11-23T09:10 2026-11-23T11:00 2026-11-23T21:00 2026-11-25T09:00 \
		2026-11-27T09:00 2026-12-01T00:00 2026-12-03T00:00; do
		overdue_ids $t >actual &&
		test_must_be_empty actual || return 1
	done
'

test_expect_success 'the walks'"'"' history: one commit per step, by the person who did it' '
	git log --format="%an %s" -- "$(case_path $J)" | sed "s/ $J:.*//" >actual &&
	cat >expect <<-EOF &&
	$CLERK analyze
	$CLERK close
	$CLERK callback
	$HEAD resolve
	$DIRECTOR approve
	$LEADER approve
	$HEAD plan
	$CLERK onsite
	$HEAD onsite
	$CLERK notify
	$CLERK notify
	$CLERK assign
	$CLERK new
	EOF
	test_cmp expect actual
'

test_expect_success 'all walks leave a clean store' '
	git status --porcelain --untracked-files=all >actual &&
	test_must_be_empty actual &&
	git fsck --strict >/dev/null 2>&1 &&
	complaint --now 2026-12-05T00:00 check >out 2>err
'

# ---- the same walks with one deadline missed ----

test_expect_success 'minor with the head on site late (09:25, due 09:18): onsite MISSED' '
	cd "$TRASH_DIRECTORY" && new_store late-minor &&
	on_time && MINOR_ONSITE=2026-11-23T09:25 &&
	walk_minor &&
	deadlines $M 2026-11-23T13:05 >actual &&
	expect_deadlines notify met onsite MISSED resolve met &&
	test_cmp expect actual
'

test_expect_success 'minor: while the head is not there, onsite is MISSED and the case overdue' '
	cd "$TRASH_DIRECTORY" && new_store late-minor2 &&
	receive M 2026-11-23T09:00 &&
	step 2026-11-23T09:02 $CLERK assigned assign $M --department 餐饮部 &&
	step 2026-11-23T09:08 $CLERK assigned notify $M &&
	deadlines $M 2026-11-23T09:18 >actual &&
	expect_deadlines notify met onsite pending resolve pending &&
	test_cmp expect actual &&
	overdue_ids 2026-11-23T09:18 >actual &&
	test_must_be_empty actual &&
	deadlines $M 2026-11-23T09:18:01 >actual &&
	expect_deadlines notify met onsite MISSED resolve pending &&
	test_cmp expect actual &&
	overdue_ids 2026-11-23T09:18:01 >actual &&
	echo $M >expect &&
	test_cmp expect actual &&
	step 2026-11-23T09:30 $HEAD assigned onsite $M &&
	step 2026-11-23T10:00 $HEAD resolved resolve $M --text 已处理 &&
	overdue_ids 2026-11-23T10:00 >actual &&
	test_must_be_empty actual &&
	step 2026-11-23T10:05 $CLERK closed close $M &&
	deadlines $M 2026-11-23T10:05 >actual &&
	expect_deadlines notify met onsite MISSED resolve met &&
	test_cmp expect actual
'

test_expect_success 'general resolved at 21:30 (due 21:00): resolve MISSED' '
	cd "$TRASH_DIRECTORY" && new_store late-general &&
	on_time && GENERAL_RESOLVE=2026-11-23T21:30 &&
	walk_general &&
	deadlines $G 2026-11-24T10:05 >actual &&
	expect_deadlines notify met onsite met resolve MISSED &&
	test_cmp expect actual
'

test_expect_success 'major planned after 24 hours: plan MISSED' '
	cd "$TRASH_DIRECTORY" && new_store late-major &&
	on_time && MAJOR_PLAN=2026-11-27T09:30 MAJOR_LEADER=2026-11-27T10:00 \
		MAJOR_DIRECTOR=2026-11-27T11:00 &&
	walk_major &&
	deadlines $J 2026-12-01T11:00 >actual &&
	expect_deadlines notify met onsite met plan MISSED resolve met analysis met &&
	test_cmp expect actual
'

test_expect_success 'major: at 09:00:01 on Friday without a plan, plan is MISSED and the case overdue' '
	cd "$TRASH_DIRECTORY" && new_store late-major2 &&
	receive L 2026-11-26T09:00 --amount 20000 &&
	step 2026-11-26T09:01 $CLERK assigned assign $L --department 餐饮部 &&
	step 2026-11-26T09:05 $CLERK assigned notify $L &&
	step 2026-11-26T09:06 $CLERK assigned notify $L --party 客服中心 &&
	step 2026-11-26T09:12 $HEAD assigned onsite $L &&
	step 2026-11-26T09:13 $CLERK assigned onsite $L --party 客服中心 &&
	deadlines $L 2026-11-27T09:00 >actual &&
	expect_deadlines notify met onsite met plan pending resolve pending analysis pending &&
	test_cmp expect actual &&
	deadlines $L 2026-11-27T09:00:01 >actual &&
	expect_deadlines notify met onsite met plan MISSED resolve pending analysis pending &&
	test_cmp expect actual &&
	overdue_ids 2026-11-27T09:00:01 >actual &&
	echo $L >expect &&
	test_cmp expect actual
'

# parties [lead, intake]: the head told at 09:05 but the service centre
# only at 09:11 (due 09:10): notify MISSED though the lead's was in time;
# onsite runs from the first notify (09:05 + 10m = 09:15): both on site
# by 09:13, met
test_expect_success 'major: the service centre told after 10 minutes: notify MISSED (parties lead and intake)' '
	cd "$TRASH_DIRECTORY" && new_store late-major3 &&
	receive N 2026-11-26T09:00 --amount 20000 &&
	step 2026-11-26T09:01 $CLERK assigned assign $N --department 餐饮部 &&
	step 2026-11-26T09:05 $CLERK assigned notify $N &&
	deadlines $N 2026-11-26T09:10 >actual &&
	expect_deadlines notify pending onsite pending plan pending resolve pending \
		analysis pending &&
	test_cmp expect actual &&
	step 2026-11-26T09:11 $CLERK assigned notify $N --party 客服中心 &&
	step 2026-11-26T09:12 $HEAD assigned onsite $N &&
	step 2026-11-26T09:13 $CLERK assigned onsite $N --party 客服中心 &&
	deadlines $N 2026-11-26T09:20 >actual &&
	expect_deadlines notify MISSED onsite met plan pending resolve pending \
		analysis pending &&
	test_cmp expect actual
'

test_expect_success 'critical resolved on the eighth working day: resolve MISSED' '
	cd "$TRASH_DIRECTORY" && new_store late-critical &&
	on_time && CRITICAL_RESOLVE=2026-12-03T09:00 &&
	walk_critical &&
	deadlines $K 2026-12-04T11:00 >actual &&
	expect_deadlines notify met onsite met plan met resolve MISSED analysis met &&
	test_cmp expect actual &&
	test_grep "MISSED" out.show
'

test_expect_success 'the missed walks end closed too, and are not overdue once resolved' '
	for s in late-minor late-general late-major late-critical; do
		(cd "$TRASH_DIRECTORY/$s" &&
		 complaint --now 2026-12-05T00:00 list --status closed --format json |
			jq -r "length") >actual &&
		echo 1 >expect &&
		test_cmp expect actual &&
		(cd "$TRASH_DIRECTORY/$s" && overdue_ids 2026-12-05T00:00) >actual &&
		test_must_be_empty actual || return 1
	done
'

test_done
