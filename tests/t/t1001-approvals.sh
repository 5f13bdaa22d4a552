#!/bin/sh
test_description='approvals: who may approve, in which order, and what clears them

Seed 000 section 3: a major case'"'"'s plan is reviewed by the unit leader
(本单位分管领导) and then decided by a director (酒莊領導); a critical
one'"'"'s is decided by a director.  The policy says approvals: [leader,
director] and [director]; leader is the case'"'"'s unit leader, copied
from the roster at assign; director is anyone in the roster'"'"'s directors.
A refused approval or resolve exits 1 with one line naming who must
approve next and what was approved so far, and writes nothing.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
RECEIVED=2026-11-22T14:05
CLERK=客服中心/赵六

# the winery roster plus a department whose unit leader is someone else
cat >org.tmp <<'EOF'
directors: [陈总]
departments:
  - {name: 餐饮部, head: 李四, leader: 王五}
  - {name: 客房部, head: 孙七, leader: 王五}
  - {name: 财务部, head: 周九, leader: 吴十}
  - {name: 客服中心, head: 周八, leader: 王五}
EOF
new_store store --org org.tmp

# mk VAR AMOUNT: a new case assigned to 餐饮部 with a plan; its ID in $VAR
mk () {
	mk_id=$(complaint --actor $CLERK --now $NOW new --customer 王先生 \
		--channel phone --category product --summary 酒有异味 \
		--amount $2 --received $RECEIVED) &&
	eval "$1=\$mk_id" &&
	complaint --actor $CLERK --now $NOW assign $mk_id --department 餐饮部 \
		--responsible 张三 >/dev/null &&
	complaint --actor 李四 --now $NOW plan $mk_id --text 退货并赔偿 >/dev/null
}

# act ACTOR ACTION ID ARGS...: the action is accepted with one commit
act () {
	act_actor=$1
	shift
	act_head=$(git rev-parse HEAD) &&
	complaint --actor "$act_actor" --now $NOW "$@" >/dev/null 2>err.act || {
		echo "refused: complaint --actor $act_actor $*" >&2
		cat err.act >&2
		return 1
	}
	test "$(git rev-parse HEAD^)" = "$act_head"
}

# refuse MESSAGE ACTOR ACTION ID ARGS...: exit 1, nothing written, the
# case file byte for byte the same, and the error line is exactly
# "complaint: ACTION ID: MESSAGE"
refuse () {
	rf_msg=$1 rf_actor=$2 rf_action=$3 rf_id=$4
	shift 4
	rf_path=$(case_path $rf_id) &&
	cp "$rf_path" case.tmp &&
	test_refused 1 --actor "$rf_actor" --now $NOW $rf_action $rf_id "$@" &&
	test_cmp_bytes case.tmp "$rf_path" &&
	echo "complaint: $rf_action $rf_id: $rf_msg" >expect &&
	test_cmp expect err.refused
}

status_of () {
	complaint --now $NOW show "$1" --format json | jq -r .status
}

# approvals_of ID: the approve events as "role by"
approvals_of () {
	yaml_get "$(case_path $1)" events |
		jq -r '.[] | select(.action == "approve") | .role + " " + .by'
}

LEADER_NEXT_NONE='needs approval by leader 王五 next; %s cannot give it (approved so far: none)'
DIRECTOR_NEXT_NONE='needs approval by director next (one of the roster'"'"'s directors); %s is not a director (approved so far: none)'
DIRECTOR_NEXT='needs approval by director next (one of the roster'"'"'s directors); %s is not a director (approved so far: leader 王五)'

test_expect_success 'major: a director first is refused, naming the leader' '
	mk A 20000 &&
	test "$(status_of $A)" = planned &&
	refuse "$(printf "$LEADER_NEXT_NONE" 陈总)" 陈总 approve $A
'

test_expect_success 'major: leader, then director; approved only after both' '
	act 王五 approve $A &&
	test "$(status_of $A)" = planned &&
	act 陈总 approve $A &&
	test "$(status_of $A)" = approved &&
	approvals_of $A >actual &&
	printf "%s\n" "leader 王五" "director 陈总" >expect &&
	test_cmp expect actual &&
	act 李四 resolve $A --text 已退货 &&
	test "$(status_of $A)" = resolved
'

# seed 000 3(4): the plan of a 重大 case goes to the unit leader and the
# winery leader, 由酒庄领导研究审批: the default policy's critical
# approvals are [director] alone
test_expect_success 'critical: the director alone approves; the unit leader is refused' '
	mk K 60000 &&
	test "$(complaint --now $NOW show $K --format json | jq -r .severity)" = critical &&
	refuse "$(printf "$DIRECTOR_NEXT_NONE" 王五)" 王五 approve $K &&
	refuse "needs approval by director (approved so far: none)" 李四 resolve $K --text 已退货 &&
	act 陈总 approve $K &&
	test "$(status_of $K)" = approved &&
	approvals_of $K >actual &&
	echo "director 陈总" >expect &&
	test_cmp expect actual &&
	act 李四 resolve $K --text 已退货
'

test_expect_success 'general: the leader alone approves' '
	mk G 1200 &&
	refuse "$(printf "$LEADER_NEXT_NONE" 陈总)" 陈总 approve $G &&
	act 王五 approve $G &&
	test "$(status_of $G)" = approved
'

test_expect_success 'an approval by another department'"'"'s leader is refused' '
	mk B 20000 &&
	refuse "$(printf "$LEADER_NEXT_NONE" 吴十)" 吴十 approve $B &&
	refuse "$(printf "$LEADER_NEXT_NONE" 财务部/吴十)" 财务部/吴十 approve $B
'

test_expect_success 'the department head or the clerk cannot give the leader'"'"'s approval' '
	refuse "$(printf "$LEADER_NEXT_NONE" 李四)" 李四 approve $B &&
	refuse "$(printf "$LEADER_NEXT_NONE" 周九)" 周九 approve $B &&
	refuse "$(printf "$LEADER_NEXT_NONE" $CLERK)" $CLERK approve $B
'

test_expect_success 'a non-director is refused for the director step' '
	act 王五 approve $B &&
	refuse "$(printf "$DIRECTOR_NEXT" 李四)" 李四 approve $B &&
	refuse "$(printf "$DIRECTOR_NEXT" 吴十)" 吴十 approve $B &&
	refuse "$(printf "$DIRECTOR_NEXT" 王五)" 王五 approve $B &&
	refuse "$(printf "$DIRECTOR_NEXT" 陈总总)" 陈总总 approve $B &&
	test "$(status_of $B)" = planned
'

test_expect_success 'resolve before all approvals names the missing role and those given' '
	refuse "needs approval by director (approved so far: leader 王五)" 李四 resolve $B --text 已退货 &&
	mk C 20000 &&
	refuse "needs approval by leader (approved so far: none)" 李四 resolve $C --text 已退货
'

test_expect_success 'a new plan clears the earlier approvals' '
	approvals_of $B >actual &&
	echo "leader 王五" >expect &&
	test_cmp expect actual &&
	test "$(status_of $B)" = planned &&
	act 李四 plan $B --text "新方案: 换货" &&
	test "$(status_of $B)" = planned &&
	refuse "$(printf "$LEADER_NEXT_NONE" 陈总)" 陈总 approve $B &&
	refuse "needs approval by leader (approved so far: none)" 李四 resolve $B --text 已换货 &&
	act 王五 approve $B &&
	act 陈总 approve $B &&
	test "$(status_of $B)" = approved &&
	act 李四 resolve $B --text 已换货
'

test_expect_success 'reopen, then resolve needs a new plan and new approvals' '
	act $CLERK reopen $A --reason 客户再次投诉 &&
	test "$(status_of $A)" = assigned &&
	refuse "level major needs a plan and its approval by leader first (record the plan with '"'"'complaint plan'"'"')" \
		李四 resolve $A --text 再次处理 &&
	refuse "there is no plan to approve (record one with '"'"'complaint plan'"'"')" 王五 approve $A &&
	act 李四 plan $A --text 上门更换 &&
	refuse "needs approval by leader (approved so far: none)" 李四 resolve $A --text 再次处理 &&
	refuse "$(printf "$LEADER_NEXT_NONE" 陈总)" 陈总 approve $A &&
	act 王五 approve $A &&
	refuse "needs approval by director (approved so far: leader 王五)" 李四 resolve $A --text 再次处理 &&
	act 陈总 approve $A &&
	act 李四 resolve $A --text 再次处理 &&
	test "$(status_of $A)" = resolved
'

test_expect_success 'reopen after close: the same' '
	act $CLERK close $A &&
	act $CLERK reopen $A --reason 又来了 &&
	refuse "level major needs a plan and its approval by leader first (record the plan with '"'"'complaint plan'"'"')" \
		李四 resolve $A --text 第三次 &&
	act 李四 plan $A --text 退款 &&
	act 王五 approve $A &&
	act 陈总 approve $A &&
	act 李四 resolve $A --text 第三次 &&
	act $CLERK close $A &&
	test "$(status_of $A)" = closed
'

test_expect_success 'general: reopen needs the leader again' '
	act 李四 resolve $G --text 已处理 &&
	act $CLERK reopen $G --reason 未解决 &&
	act 李四 plan $G --text 再处理 &&
	refuse "needs approval by leader (approved so far: none)" 李四 resolve $G --text 再处理 &&
	act 王五 approve $G &&
	act 李四 resolve $G --text 再处理
'

test_expect_success 'an actor written Unit/Name is matched by Name' '
	mk D 20000 &&
	act 餐饮部/王五 approve $D &&
	refuse "$(printf "$DIRECTOR_NEXT" 餐饮部/王五)" 餐饮部/王五 approve $D &&
	refuse "needs approval by director (approved so far: leader 王五)" 李四 resolve $D --text 好 &&
	act 总经办/陈总 approve $D &&
	test "$(status_of $D)" = approved &&
	approvals_of $D >actual &&
	printf "%s\n" "leader 餐饮部/王五" "director 总经办/陈总" >expect &&
	test_cmp expect actual &&
	git log -1 --format=%an >actual &&
	echo 总经办/陈总 >expect &&
	test_cmp expect actual
'

test_expect_success 'Unit/Name: only the part after the last slash is the name, and exactly' '
	mk E 20000 &&
	refuse "$(printf "$LEADER_NEXT_NONE" 王五/餐饮部)" 王五/餐饮部 approve $E &&
	refuse "$(printf "$LEADER_NEXT_NONE" 餐饮部/王)" 餐饮部/王 approve $E &&
	refuse "$(printf "$LEADER_NEXT_NONE" 餐饮部/王五五)" 餐饮部/王五五 approve $E &&
	act 集团/餐饮部/王五 approve $E &&
	refuse "$(printf "$DIRECTOR_NEXT" 陈总/秘书)" 陈总/秘书 approve $E
'

test_expect_success 'the actor from COMPLAINT_ACTOR counts the same' '
	env COMPLAINT_ACTOR=总经办/陈总 complaint --now $NOW approve $E >/dev/null &&
	test "$(status_of $E)" = approved &&
	test "$(git log -1 --format=%an)" = 总经办/陈总
'

test_expect_success 're-routing to another department: its leader approves, not the old one' '
	mk F 20000 &&
	act 王五 approve $F &&
	act $CLERK assign $F --department 财务部 &&
	test "$(status_of $F)" = assigned &&
	act 周九 plan $F --text 财务部的方案 &&
	refuse "needs approval by leader 吴十 next; 王五 cannot give it (approved so far: none)" 王五 approve $F &&
	act 财务部/吴十 approve $F &&
	refuse "needs approval by director (approved so far: leader 吴十)" 周九 resolve $F --text 已退款 &&
	act 陈总 approve $F &&
	act 周九 resolve $F --text 已退款
'

test_expect_success 'the store is clean after the refusals' '
	git status --porcelain --untracked-files=all >actual &&
	test_must_be_empty actual &&
	git fsck --strict >/dev/null 2>&1 &&
	complaint --now $NOW check >out 2>err
'

test_done
