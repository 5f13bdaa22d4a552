#!/bin/sh
test_description='sync: one case changed at two sites merges by the union of its events'
. "$(dirname "$0")/test-lib.sh"

site () {
	complaint clone "$TRASH_DIRECTORY/shared.git" "$1" >/dev/null &&
	test_ignore_scratch "$1"
}

# sync_all NOW: every site syncs twice round, so that all end together
sync_all () {
	for r in 1 2; do
		for s in bj sh; do
			complaint -C $s --actor "$s/同步" --now "$1" sync >out.$s 2>err.$s || return 1
			test_must_be_empty err.$s || return 1
		done
	done &&
	test "$(git -C bj rev-parse HEAD)" = "$(git -C sh rev-parse HEAD)" &&
	test "$(git -C bj rev-parse HEAD)" = "$(git -C shared.git rev-parse master)"
}

# events DIR ID: the case's events, one "action by at" line each
events () {
	(cd "$1" && yaml_get "$(case_path "$2")" events) |
	jq -r '.[] | "\(.action) \(.by) \(.at)"'
}

# field DIR ID KEY: a field of the case, as show --format json says
field () {
	complaint -C "$1" show "$2" --format json | jq -r ".$3 // \"none\""
}

test_expect_success 'setup: a shared remote and two sites' '
	new_store first &&
	cd .. &&
	git clone -q --bare first shared.git &&
	site bj &&
	site sh
'

test_expect_success 'a case recorded at one site reaches the other' '
	ID=$(complaint -C bj --actor 客服/赵六 --now 2026-11-02T10:00 new \
		--customer 王先生 --channel phone --category service --summary 上菜慢) &&
	sync_all 2026-11-02T10:01 &&
	test_path_is_file "sh/$(cd bj && case_path $ID)"
'

test_expect_success 'assigned at one site, noted at the other: sync both ways' '
	complaint -C bj --actor 客服/赵六 --now 2026-11-02T10:05 assign $ID --department 餐饮部 --responsible 张三 &&
	complaint -C sh --actor 前台/孙八 --now 2026-11-02T10:07 note $ID "customer phoned again" &&
	sync_all 2026-11-02T10:10 &&
	events bj $ID >actual &&
	cat >expect <<-\EOF &&
	new 客服/赵六 2026-11-02T10:00:00+08:00
	assign 客服/赵六 2026-11-02T10:05:00+08:00
	note 前台/孙八 2026-11-02T10:07:00+08:00
	EOF
	test_cmp expect actual &&
	test "$(field sh $ID status)" = assigned &&
	test "$(field sh $ID department)" = 餐饮部 &&
	test "$(field sh $ID responsible)" = 张三
'

test_expect_success 'both sites hold the same bytes, and check passes at both' '
	test_cmp_bytes "bj/$(cd bj && case_path $ID)" "sh/$(cd sh && case_path $ID)" &&
	complaint -C bj check >out &&
	complaint -C sh check >out &&
	git -C bj status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	git -C sh status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_expect_success 'the merge commit names the merged case in a trailer' '
	git -C bj log --merges -1 --format=%B >msg &&
	test_grep "^Merged-Case: $ID\$" msg &&
	test_grep "1 case merged by their events" msg
'

test_expect_success 'the same event recorded at both sites is kept once' '
	complaint -C bj --actor 餐饮部/李四 --now 2026-11-02T10:20 notify $ID --at 2026-11-02T10:08 &&
	complaint -C bj --actor 餐饮部/李四 --now 2026-11-02T10:20 note $ID "apologised at the table" &&
	complaint -C sh --actor 餐饮部/李四 --now 2026-11-02T10:20 notify $ID --at 2026-11-02T10:08 &&
	complaint -C sh --actor 餐饮部/李四 --now 2026-11-02T10:21 onsite $ID &&
	sync_all 2026-11-02T10:30 &&
	events sh $ID >actual &&
	cat >expect <<-\EOF &&
	new 客服/赵六 2026-11-02T10:00:00+08:00
	assign 客服/赵六 2026-11-02T10:05:00+08:00
	note 前台/孙八 2026-11-02T10:07:00+08:00
	notify 餐饮部/李四 2026-11-02T10:08:00+08:00
	note 餐饮部/李四 2026-11-02T10:20:00+08:00
	onsite 餐饮部/李四 2026-11-02T10:21:00+08:00
	EOF
	test_cmp expect actual &&
	complaint -C sh check >out
'

test_expect_success 'an event recorded late (--at) at one site is placed by its time' '
	complaint -C bj --actor 前台/孙八 --now 2026-11-02T11:00 note $ID "earlier call, written down late" --at 2026-11-02T10:06 &&
	complaint -C sh --actor 前台/孙八 --now 2026-11-02T11:00 note $ID "later call" &&
	sync_all 2026-11-02T11:05 &&
	events bj $ID | sed -n "3,4p" >actual &&
	cat >expect <<-\EOF &&
	note 前台/孙八 2026-11-02T10:06:00+08:00
	note 前台/孙八 2026-11-02T10:07:00+08:00
	EOF
	test_cmp expect actual &&
	complaint -C bj check >out
'

test_expect_success 'plan and approval in one second at one site keep their order' '
	G=$(complaint -C bj --actor 客服/赵六 --now 2026-11-03T09:00 new --customer 李女士 \
		--channel phone --category product --summary 酒有异味 --amount 2000) &&
	complaint -C bj --actor 客服/赵六 --now 2026-11-03T09:00 assign $G --department 餐饮部 &&
	sync_all 2026-11-03T09:01 &&
	test "$(field bj $G severity)" = general &&
	complaint -C bj --actor 客服/赵六 --now 2026-11-03T09:30 plan $G --text 换一瓶 &&
	complaint -C bj --actor 王五 --now 2026-11-03T09:30 approve $G &&
	complaint -C sh --actor 前台/孙八 --now 2026-11-03T09:30 note $G "customer waiting" &&
	sync_all 2026-11-03T09:40 &&
	events bj $G | grep -n "plan\|approve" >actual &&
	test_grep "plan" actual &&
	test "$(sed -n "1s/:.*//p" actual)" -lt "$(sed -n "2s/:.*//p" actual)" &&
	test "$(field sh $G status)" = approved &&
	complaint -C sh --actor 餐饮部/张三 --now 2026-11-03T09:50 resolve $G --text 已换 &&
	complaint -C sh check >out
'

test_expect_success 'one approval recorded at both sites counts once' '
	M=$(complaint -C bj --actor 客服/赵六 --now 2026-11-04T09:00 new --customer 周先生 \
		--channel onsite --category product --summary 整批酒退货 --amount 20000) &&
	complaint -C bj --actor 客服/赵六 --now 2026-11-04T09:05 assign $M --department 餐饮部 &&
	complaint -C bj --actor 客服/赵六 --now 2026-11-04T09:10 plan $M --text 全额退款 &&
	sync_all 2026-11-04T09:11 &&
	test "$(field bj $M severity)" = major &&
	complaint -C bj --actor 王五 --now 2026-11-04T10:00 approve $M &&
	complaint -C sh --actor 王五 --now 2026-11-04T10:02 approve $M &&
	sync_all 2026-11-04T10:05 &&
	events bj $M | grep -c "^approve" >actual &&
	echo 2 >expect &&
	test_cmp expect actual &&
	test "$(field bj $M status)" = planned &&
	complaint -C bj check >out &&
	test_must_fail complaint -C bj --actor 客服/赵六 --now 2026-11-04T10:06 resolve $M --text 退了 2>err &&
	test_grep "director" err &&
	complaint -C bj --actor 陈总 --now 2026-11-04T10:10 approve $M &&
	test "$(field bj $M status)" = approved
'

test_expect_success 're-routed at both sites: the later assignment (by time) holds' '
	R=$(complaint -C bj --actor 客服/赵六 --now 2026-11-05T09:00 new --customer 吴先生 \
		--channel phone --category service --summary 房间太吵) &&
	sync_all 2026-11-05T09:01 &&
	complaint -C bj --actor 客服/赵六 --now 2026-11-05T09:10 assign $R --department 客房部 &&
	complaint -C sh --actor 前台/孙八 --now 2026-11-05T09:05 assign $R --department 餐饮部 &&
	sync_all 2026-11-05T09:20 &&
	test "$(field bj $R department)" = 客房部 &&
	test "$(field bj $R head)" = 孙七 &&
	complaint -C sh check >out
'

test_expect_success 'cases created at both sites in the same second never collide' '
	for i in 1 2 3 4 5; do
		complaint -C bj --now 2026-11-06T08:00 new --customer A --channel phone \
			--category service --summary "bj $i" >>ids || return 1
		complaint -C sh --now 2026-11-06T08:00 new --customer B --channel phone \
			--category service --summary "sh $i" >>ids || return 1
	done &&
	sort -u ids >ids.tmp &&
	test_line_count = 10 ids.tmp &&
	sync_all 2026-11-06T08:01 &&
	for id in $(cat ids); do
		test -n "$(cd bj && case_path $id)" || return 1
		test -n "$(cd sh && case_path $id)" || return 1
	done &&
	complaint -C bj check >out
'

test_expect_success 'complaint log shows the merge as a change of the case' '
	complaint -C bj log $ID >out &&
	test_grep "sync" out
'

test_done
