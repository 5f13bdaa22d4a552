#!/bin/sh
test_description='time order is the truth: no event dated before one it depends on; a merge never moves a case back'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-02T12:00
CLERK=客服中心/赵六

# act ARGS...: accepted, at $NOW
act () {
	complaint --actor "$CLERK" --now $NOW "$@" >/dev/null || {
		echo "refused: complaint $*" >&2
		return 1
	}
}

# by ACTOR ARGS...: accepted, by ACTOR
by () {
	by_who_=$1
	shift
	complaint --actor "$by_who_" --now $NOW "$@" >/dev/null || {
		echo "refused: complaint --actor $by_who_ $*" >&2
		return 1
	}
}

# before DEP AT ARGS...: refused (exit 1, one line, nothing written),
# naming the DEP event at AT (HH:MM on 2026-11-02) as the one it follows
before () {
	before_dep_=$1
	before_at_=$2
	shift 2
	store_snapshot &&
	test_expect_code 1 complaint --actor "$CLERK" --now $NOW "$@" >out 2>err &&
	test_must_be_empty out &&
	test_error_line err &&
	test_grep "would come before the $before_dep_ at 2026-11-02T$before_at_:00+08:00 (event [0-9]*, by [^)]*) that it follows" err &&
	store_unchanged
}

# mk VAR AMOUNT: a case received at 09:00, assigned at 09:10
mk () {
	mk_id_=$(complaint --actor "$CLERK" --now $NOW new --customer 王先生 --channel phone \
		--category service --summary "slow" --received 2026-11-02T09:00 --amount "$2") &&
	eval "$1=\$mk_id_" &&
	act assign $mk_id_ --department 餐饮部 --responsible 张三 --at 2026-11-02T09:10
}

test_expect_success 'setup' '
	new_store store
'

# ---- one site: every dependency of the lifecycle table ----

test_expect_success 'plan and resolve dated before the assign they need (notify and onsite may come before assign: SPEC section 9)' '
	mk M 0 &&
	before assign 09:10 plan $M --text p --at 2026-11-02T09:05 &&
	before assign 09:10 resolve $M --text done --at 2026-11-02T09:05
'

test_expect_success 'what depends on nothing may be dated early: note, penalize' '
	act note $M "called the day before" --at 2026-11-02T09:01 &&
	by 李四 penalize $M 张三 1 --reason late --at 2026-11-02T09:02
'

test_expect_success 'at the very time of the event it follows is accepted' '
	act notify $M --at 2026-11-02T09:10 &&
	act onsite $M --at 2026-11-02T09:10
'

test_expect_success 'callback, close and reopen dated before the resolve' '
	act resolve $M --text done --at 2026-11-02T09:40 &&
	before resolve 09:40 callback $M --satisfied --at 2026-11-02T09:35 &&
	before resolve 09:40 close $M --at 2026-11-02T09:35 &&
	before resolve 09:40 reopen $M --reason again --at 2026-11-02T09:35
'

test_expect_success 'reopen dated before the close, plan dated before the reopen' '
	act close $M --at 2026-11-02T10:00 &&
	before close 10:00 reopen $M --reason again --at 2026-11-02T09:55 &&
	act reopen $M --reason again --at 2026-11-02T10:10 &&
	before reopen 10:10 plan $M --text p2 --at 2026-11-02T10:05
'

test_expect_success 'general (leader): approve dated before the plan, resolve before the approval' '
	mk G 2000 &&
	act plan $G --text p --at 2026-11-02T09:20 &&
	complaint --actor 王五 --now $NOW approve $G --at 2026-11-02T09:15 2>err;
	test $? = 1 &&
	test_grep "approve at 2026-11-02T09:15:00+08:00 would come before the plan at 2026-11-02T09:20:00+08:00" err &&
	by 王五 approve $G --at 2026-11-02T09:30 &&
	before approve 09:30 resolve $G --text done --at 2026-11-02T09:25 &&
	act resolve $G --text done --at 2026-11-02T09:30
'

test_expect_success 'major (leader, director): the director dated before the leader' '
	mk J 20000 &&
	act plan $J --text p --at 2026-11-02T09:20 &&
	by 王五 approve $J --at 2026-11-02T09:30 &&
	store_snapshot &&
	test_expect_code 1 complaint --actor 陈总 --now $NOW approve $J --at 2026-11-02T09:25 2>err &&
	test_grep "would come before the approve at 2026-11-02T09:30:00+08:00 (event [0-9]*, by 王五)" err &&
	store_unchanged &&
	by 陈总 approve $J --at 2026-11-02T09:31
'

test_expect_success 're-routing dated before an approval it would undo' '
	before approve 09:31 assign $J --department 客房部 --at 2026-11-02T09:30
'

test_expect_success 'reclassify dated before a resolve that the new level would not allow' '
	mk R 0 &&
	act resolve $R --text done --at 2026-11-02T09:40 &&
	before resolve 09:40 reclassify $R general --reason bigger --at 2026-11-02T09:30 &&
	act reclassify $R general --reason bigger --at 2026-11-02T09:41
'

test_expect_success 'close dated before the callback the policy requires' '
	sed -i "s/^close_requires_callback: false/close_requires_callback: true/" policy.yaml &&
	git commit -qam "close needs a callback" &&
	mk K 0 &&
	act resolve $K --text done --at 2026-11-02T09:40 &&
	act callback $K --satisfied --at 2026-11-02T09:50 &&
	before callback 09:50 close $K --at 2026-11-02T09:45 &&
	act close $K --at 2026-11-02T09:50 &&
	sed -i "s/^close_requires_callback: true/close_requires_callback: false/" policy.yaml &&
	git commit -qam "back"
'

test_expect_success 'without --at: a clock behind the approval is refused too' '
	mk S 2000 &&
	complaint --actor 李四 --now 2026-11-02T10:00 plan $S --text p >/dev/null &&
	complaint --actor 王五 --now 2026-11-02T10:20 approve $S >/dev/null &&
	store_snapshot &&
	test_expect_code 1 complaint --actor 李四 --now 2026-11-02T10:15 resolve $S --text done 2>err &&
	test_grep "resolve at 2026-11-02T10:15:00+08:00 would come before the approve at 2026-11-02T10:20:00+08:00" err &&
	store_unchanged &&
	complaint --actor 李四 --now 2026-11-02T10:21 resolve $S --text done >/dev/null
'

test_expect_success 'check: a store whose events all keep time order checks clean' '
	complaint --now $NOW check >out &&
	test_grep "0 problems" out
'

# ---- two sites, clocks ten minutes apart ----

site () {
	complaint clone "$TRASH_DIRECTORY/shared.git" "$1" >/dev/null &&
	test_ignore_scratch "$1"
}

# sync_at SITE NOW
sync_at () {
	complaint -C "$1" --actor "$1/同步" --now "$2" sync >"out.$1" 2>"err.$1" &&
	test_must_be_empty "err.$1"
}

field () {
	complaint -C "$1" show "$2" --format json | jq -r ".$3 // \"none\""
}

test_expect_success 'setup: a shared remote and three sites' '
	cd "$TRASH_DIRECTORY" &&
	git clone -q --bare store shared.git &&
	site bj &&
	site sh &&
	site gz &&
	C=$(complaint -C bj --actor 客服/赵六 --now 2026-11-03T09:00 new --customer 李 \
		--channel phone --category service --summary 上菜慢 --amount 2000) &&
	complaint -C bj --actor 客服/赵六 --now 2026-11-03T09:05 assign $C --department 餐饮部 &&
	complaint -C bj --actor 李四 --now 2026-11-03T09:10 plan $C --text 免单 &&
	sync_at bj 2026-11-03T09:11 &&
	sync_at sh 2026-11-03T09:12 &&
	sync_at gz 2026-11-03T09:12 &&
	test "$(field sh $C status)" = planned
'

test_expect_success 'the approval at a site whose clock is ahead: the other site cannot resolve before it' '
	complaint -C sh --actor 王五 --now 2026-11-03T10:20 approve $C &&
	sync_at sh 2026-11-03T10:20 &&
	sync_at bj 2026-11-03T10:15 &&
	test "$(field bj $C status)" = approved &&
	test_expect_code 1 complaint -C bj --actor 李四 --now 2026-11-03T10:15 resolve $C --text 已免单 2>err &&
	test_grep "would come before the approve at 2026-11-03T10:20:00+08:00 (event [0-9]*, by 王五)" err &&
	git -C bj status --porcelain >out &&
	test_must_be_empty out
'

test_expect_success 'a resolve written out of time order (an older version, by hand) at one site' '
	complaint -C bj --actor 李四 --now 2026-11-03T10:21 resolve $C --text 已免单 &&
	P=$(cd bj && case_path $C) &&
	sed -i "s/^\(  - {at: \)2026-11-03T10:21:00+08:00\(, by: 李四, action: resolve\)/\12026-11-03T10:15:00+08:00\2/" bj/$P &&
	grep "10:15:00+08:00, by: 李四, action: resolve" bj/$P &&
	git -C bj commit -qam "resolve $C, recorded by a site running an older version" &&
	test_expect_code 1 complaint -C bj check >out &&
	test_grep "$P: event [0-9]* (resolve at 2026-11-03T10:15:00+08:00) is dated before event [0-9]* (approve at 2026-11-03T10:20:00+08:00), which it follows" out &&
	test "$(field bj $C status)" = resolved
'

test_expect_success 'the other site noted something meanwhile; sync merges: still resolved, everywhere' '
	complaint -C sh --actor 上海/乙 --now 2026-11-03T10:27 note $C "called at 10:17" --at 2026-11-03T10:17 &&
	sync_at sh 2026-11-03T10:28 &&
	sync_at bj 2026-11-03T10:25 &&
	sync_at sh 2026-11-03T10:35 &&
	test "$(field bj $C status)" = resolved &&
	test "$(field sh $C status)" = resolved &&
	test_cmp_bytes "bj/$P" "sh/$P" &&
	complaint -C sh --now 2026-11-03T10:35 list --open --format json >out &&
	jq -e "[.[] | select(.id == \"$C\")] | length == 0" out &&
	grep -c "action: approve\|action: resolve\|action: note" "sh/$P" >out &&
	echo 3 >expect &&
	test_cmp expect out
'

test_expect_success 'check at both sites names the event out of time order' '
	for s in bj sh; do
		test_expect_code 1 complaint -C $s check >out &&
		test_grep "$P: event [0-9]* (resolve at 2026-11-03T10:15:00+08:00) is dated before event [0-9]* (approve at 2026-11-03T10:20:00+08:00), which it follows" out || return 1
	done
'

test_expect_success 'git pull with the merge driver at a third site: the same' '
	complaint -C gz --actor 广州/丙 --now 2026-11-03T10:18 note $C "gz called" &&
	(cd gz && git pull -q --no-rebase --no-edit origin master) &&
	test "$(field gz $C status)" = resolved &&
	grep -c "action: note" "gz/$P" >out &&
	echo 2 >expect &&
	test_cmp expect out &&
	complaint -C gz check >out;
	test_grep "$P: event [0-9]* (resolve at 2026-11-03T10:15:00+08:00) is dated before" out
'

test_done
