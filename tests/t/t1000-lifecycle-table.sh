#!/bin/sh
test_description='the Lifecycle table of SPEC section 5, row by row

Every action is tried in every status: where the table allows it, the
command makes exactly one commit (subject "<action> <ID>: ...", author and
Actor trailer the actor, Complaint-Id and Action trailers, author and
committer time the command'"'"'s now), touches only the case file, leaves a
clean work tree and a repository that passes git fsck --strict, and the
status after is the one the table gives.  Where the table does not allow
it, the command exits 1 with one line naming what is missing, prints
nothing on stdout, and the case file is byte for byte as before (no
commit).

Where the code deliberately differs from the table (complaint-assign(1),
complaint-resolve(1)): assign is allowed until resolved and re-routing
drops the plan and its approvals; resolve on a level without approvals is
allowed from assigned or planned.'
. "$(dirname "$0")/test-lib.sh"

NOW=2026-11-22T15:00
NOW_ISO=2026-11-22T15:00:00+08:00
RECEIVED=2026-11-22T14:05
CLERK=客服中心/赵六
LEADER=王五
DIRECTOR=陈总
STATUSES='new assigned planned approved resolved closed'

new_store store

# mk VAR STATUS [LEVEL]: a new case of LEVEL (default general) walked to
# STATUS; its ID in $VAR.  approved needs a level with approvals.
mk () {
	mk_var=$1 mk_st=$2 mk_level=${3:-general}
	case $mk_level in
	minor) set -- ;;
	general) set -- --amount 1200 ;;
	major) set -- --amount 20000 ;;
	critical) set -- --amount 60000 ;;
	*) BUG "mk: level $mk_level" ;;
	esac
	mk_id=$(complaint --actor $CLERK --now $NOW new --customer 王先生 \
		--channel phone --category service --summary 上菜慢一小时 \
		--received $RECEIVED "$@") || return 1
	eval "$mk_var=\$mk_id"
	test "$(complaint --now $NOW show $mk_id --format json | jq -r .severity)" = $mk_level ||
		{ echo "mk: the case is not $mk_level" >&2; return 1; }
	test $mk_st = new && return 0
	complaint --actor $CLERK --now $NOW assign $mk_id --department 餐饮部 \
		--responsible 张三 >/dev/null || return 1
	test $mk_st = assigned && return 0
	if test $mk_st = resolved || test $mk_st = closed; then
		if test $mk_level = minor; then
			complaint --actor 李四 --now $NOW resolve $mk_id --text 已致歉 >/dev/null ||
				return 1
			test $mk_st = resolved && return 0
			complaint --actor $CLERK --now $NOW close $mk_id >/dev/null
			return
		fi
	fi
	complaint --actor 李四 --now $NOW plan $mk_id --text 致歉并免单 >/dev/null ||
		return 1
	test $mk_st = planned && return 0
	# the default policy's approvals: general [leader], major [leader,
	# director], critical [director] (seed 000: 酒庄领导批准)
	case $mk_level in
	general|major)
		complaint --actor $LEADER --now $NOW approve $mk_id >/dev/null || return 1 ;;
	esac
	case $mk_level in
	major|critical)
		complaint --actor $DIRECTOR --now $NOW approve $mk_id >/dev/null || return 1 ;;
	esac
	test $mk_st = approved && return 0
	complaint --actor 李四 --now $NOW resolve $mk_id --text 已免单 >/dev/null || return 1
	test $mk_st = resolved && return 0
	complaint --actor $CLERK --now $NOW close $mk_id >/dev/null
}

# status_of ID: the case's status as show --format json gives it
status_of () {
	complaint --now $NOW show "$1" --format json | jq -r .status
}

# allowed ACTOR STATUS-AFTER ACTION ID ARGS...: "complaint --actor ACTOR
# ACTION ID ARGS" succeeds with one commit that records it as the SPEC
# says, and leaves the case in STATUS-AFTER.
allowed () {
	al_actor=$1 al_after=$2 al_action=$3 al_id=$4
	shift 4
	al_head=$(git rev-parse HEAD) &&
	al_path=$(case_path $al_id) &&
	test -n "$al_path" || return 1
	complaint --actor "$al_actor" --now $NOW $al_action $al_id "$@" \
		>out.allowed 2>err.allowed || {
		echo "allowed: refused: complaint $al_action $al_id $*" >&2
		cat err.allowed >&2
		return 1
	}
	# close names each deadline missed or pending on stderr (SPEC 9); nothing else
	if test "$al_action" = close; then
		grep -v "^complaint: warning: $al_id: closed with the [a-z]* deadline of .* \(missed\|still pending (it will be missed)\)\$" \
			err.allowed >err.rest || :
	else
		cp err.allowed err.rest
	fi &&
	test_must_be_empty err.rest &&
	# exactly one new commit, on top of the old HEAD
	test "$(git rev-parse HEAD^)" = "$al_head" &&
	git log -1 --format=%s >actual &&
	test_grep "^$al_action $al_id: ." actual &&
	git log -1 --format=%an >actual &&
	echo "$al_actor" >expect &&
	test_cmp expect actual &&
	git log -1 --format="%ad %cd" --date=iso-strict >actual &&
	echo "$NOW_ISO $NOW_ISO" >expect &&
	test_cmp expect actual &&
	git log -1 --format="%(trailers:key=Complaint-Id,valueonly)%(trailers:key=Action,valueonly)%(trailers:key=Actor,valueonly)" |
		sed "/^\$/d" >actual &&
	printf "%s\n" "$al_id" "$al_action" "$al_actor" >expect &&
	test_cmp expect actual &&
	# only the case file changed, and its last event is this action
	git diff --name-only HEAD^ HEAD >actual &&
	echo "$al_path" >expect &&
	test_cmp expect actual &&
	test "$(yaml_get "$al_path" events -1 action)" = "$al_action" &&
	test "$(yaml_get "$al_path" events -1 by)" = "$al_actor" &&
	# the status after
	echo "$al_after" >expect &&
	status_of $al_id >actual &&
	test_cmp expect actual &&
	test "$(yaml_get "$al_path" status)" = "$al_after" &&
	git status --porcelain --untracked-files=all >actual &&
	test_must_be_empty actual &&
	{
		git fsck --strict >/dev/null 2>err.fsck || {
			echo "git fsck --strict failed:" >&2
			cat err.fsck >&2
			return 1
		}
	}
}

# refused PATTERN ACTOR ACTION ID ARGS...: exit 1, nothing on stdout, one
# line "complaint: ACTION ID: ..." matching PATTERN (grep -E) on stderr,
# nothing written (test_refused) and the case file byte for byte the same.
refused () {
	rf_pat=$1 rf_actor=$2 rf_action=$3 rf_id=$4
	shift 4
	rf_path=$(case_path $rf_id) &&
	test -n "$rf_path" &&
	cp "$rf_path" case.tmp &&
	test_refused 1 --actor "$rf_actor" --now $NOW $rf_action $rf_id "$@" &&
	test_cmp_bytes case.tmp "$rf_path" &&
	test_grep "^complaint: $rf_action $rf_id: " err.refused &&
	test_grep -E -e "$rf_pat" err.refused
}

# not_in STATUS ACTION: the refusal names the status and what the action needs
not_in () {
	echo "the case is $1; $2 needs it "
}

# ---- assign: new, assigned (re-routing); by the code also planned and approved ----

for st in new assigned planned approved; do
	test_expect_success "assign is allowed in $st (status after: assigned)" "
		mk A $st &&
		allowed $CLERK assigned assign \$A --department 客房部 --responsible 赵八 &&
		test \"\$(complaint --now $NOW show \$A --format json | jq -r '.department + \" \" + .head + \" \" + .leader + \" \" + .responsible')\" = '客房部 孙七 王五 赵八'
	"
done

test_expect_success 'assign while approved drops the plan and its approvals' '
	mk A approved &&
	allowed $CLERK assigned assign $A --department 客房部 &&
	refused "there is no plan to approve" $LEADER approve $A &&
	refused "needs a plan" 孙七 resolve $A --text 已免单
'

for st in resolved closed; do
	test_expect_success "assign is refused in $st" "
		mk A $st &&
		refused \"\$(not_in $st assign)\" $CLERK assign \$A --department 客房部
	"
done

# ---- notify, onsite: any status but closed (SPEC section 9: before
# assign too, the superior is told at once); status unchanged ----

for action in notify onsite; do
	for st in new assigned planned approved resolved; do
		test_expect_success "$action is allowed in $st (status unchanged)" "
			mk A $st &&
			allowed 李四 $st $action \$A
		"
	done
	test_expect_success "$action is refused in closed" "
		mk A closed &&
		refused \"\$(not_in closed $action)new or assigned or planned or approved or resolved\" 李四 $action \$A
	"
done

# ---- plan: assigned, planned; status after planned ----

for st in assigned planned; do
	test_expect_success "plan is allowed in $st (status after: planned)" "
		mk A $st &&
		allowed 李四 planned plan \$A --text 赠送代金券
	"
done

test_expect_success 'plan is allowed on a minor case too (assigned -> planned)' '
	mk A assigned minor &&
	allowed 李四 planned plan $A --text 致歉
'

test_expect_success 'a new plan clears the approvals given to the earlier one' '
	mk A planned major &&
	allowed $LEADER planned approve $A &&
	allowed 李四 planned plan $A --text 新方案 &&
	refused "needs approval by leader 王五 next; 陈总 cannot give it \\(approved so far: none\\)" \
		$DIRECTOR approve $A
'

for st in new approved resolved closed; do
	test_expect_success "plan is refused in $st" "
		mk A $st &&
		refused \"\$(not_in $st plan)assigned or planned\" 李四 plan \$A --text 另一方案
	"
done

# ---- approve: planned, by the next role; approved once all have approved ----

test_expect_success 'approve is allowed in planned by the leader (general: status after approved)' '
	mk A planned general &&
	allowed $LEADER approved approve $A
'

test_expect_success 'approve in planned (major): leader leaves it planned, director makes it approved' '
	mk A planned major &&
	allowed $LEADER planned approve $A &&
	allowed $DIRECTOR approved approve $A
'

test_expect_success 'approve is refused in planned by someone who is not the next role' '
	mk A planned general &&
	refused "needs approval by leader 王五 next" 李四 approve $A &&
	refused "needs approval by leader 王五 next" $DIRECTOR approve $A
'

for st in new assigned; do
	test_expect_success "approve is refused in $st (no plan)" "
		mk A $st &&
		refused 'there is no plan to approve' $LEADER approve \$A
	"
done

test_expect_success 'approve is refused in approved (every approval given)' '
	mk A approved &&
	refused "already has every approval" $LEADER approve $A &&
	mk B approved major &&
	refused "already has every approval" $DIRECTOR approve $B
'

for st in resolved closed; do
	test_expect_success "approve is refused in $st" "
		mk A $st &&
		refused \"\$(not_in $st approve)planned\" $LEADER approve \$A
	"
done

test_expect_success 'approve is refused on a level without approvals (minor, planned)' '
	mk A assigned minor &&
	complaint --actor 李四 --now $NOW plan $A --text 致歉 >/dev/null &&
	refused "level minor needs no approvals" $LEADER approve $A
'

# ---- resolve: assigned when the level needs no approvals; approved otherwise ----

test_expect_success 'resolve is allowed in assigned on a level without approvals (minor)' '
	mk A assigned minor &&
	allowed 李四 resolved resolve $A --text 已致歉
'

test_expect_success 'resolve is allowed in planned on a level without approvals (minor, by the code)' '
	mk A assigned minor &&
	complaint --actor 李四 --now $NOW plan $A --text 致歉 >/dev/null &&
	allowed 李四 resolved resolve $A --text 已致歉
'

# the first approval each level needs: leader, leader, director
for la in general:leader major:leader critical:director; do
	level=${la%:*} first=${la#*:}
	test_expect_success "resolve is allowed in approved ($level)" "
		mk A approved $level &&
		allowed 李四 resolved resolve \$A --text 已免单
	"
	test_expect_success "resolve is refused in assigned ($level: needs a plan and approval)" "
		mk A assigned $level &&
		refused 'level $level needs a plan and its approval by $first' 李四 resolve \$A --text 已免单
	"
	test_expect_success "resolve is refused in planned ($level: needs approval by $first)" "
		mk A planned $level &&
		refused 'needs approval by $first \\(approved so far: none\\)' 李四 resolve \$A --text 已免单
	"
done

for level in minor general; do
	for st in new resolved closed; do
		test_expect_success "resolve is refused in $st ($level)" "
			mk A $st $level &&
			refused \"\$(not_in $st resolve)\" 李四 resolve \$A --text 已免单
		"
	done
done

# ---- callback: resolved, closed; status unchanged ----

for st in resolved closed; do
	test_expect_success "callback is allowed in $st (status unchanged)" "
		mk A $st &&
		allowed $CLERK $st callback \$A --satisfied &&
		allowed $CLERK $st callback \$A --unsatisfied --text 赔偿太少
	"
done

for st in new assigned planned approved; do
	test_expect_success "callback is refused in $st" "
		mk A $st &&
		refused \"\$(not_in $st callback)resolved or closed\" $CLERK callback \$A --satisfied
	"
done

# ---- close: resolved; status after closed ----

test_expect_success 'close is allowed in resolved (status after: closed)' '
	mk A resolved &&
	allowed $CLERK closed close $A &&
	mk B resolved minor &&
	allowed $CLERK closed close $B
'

for st in new assigned planned approved closed; do
	test_expect_success "close is refused in $st" "
		mk A $st &&
		refused \"\$(not_in $st close)resolved\" $CLERK close \$A
	"
done

# ---- reopen: resolved, closed; status after assigned ----

for st in resolved closed; do
	test_expect_success "reopen is allowed in $st (status after: assigned)" "
		mk A $st &&
		allowed $CLERK assigned reopen \$A --reason 客户再次来电 &&
		refused 'needs a plan and its approval by leader' 李四 resolve \$A --text 再次处理
	"
done

for st in new assigned planned approved; do
	test_expect_success "reopen is refused in $st" "
		mk A $st &&
		refused \"\$(not_in $st reopen)resolved or closed\" $CLERK reopen \$A --reason 客户再次来电
	"
done

# ---- note, penalize: any status; unchanged ----

for st in $STATUSES; do
	test_expect_success "note is allowed in $st (status unchanged)" "
		mk A $st &&
		allowed $CLERK $st note \$A '客户来电询问进度'
	"
	test $st = new && continue
	test_expect_success "penalize is allowed in $st (status unchanged)" "
		mk A $st &&
		allowed 李四 $st penalize \$A 张三 3 --reason 未及时到场
	"
done

# A new case has no head or leader yet: general's penalize.by [head,
# leader] has nobody, so 李四 is refused; a critical case's penalty is
# the director's (penalize.by [director]) in any status, new too.
test_expect_success 'penalize is allowed in new (status unchanged): the director on a critical case; the head of no department yet is refused' '
	mk A new &&
	refused "level general: penalize is for the head or leader \\(policy penalize.by\\); 李四 is not" 李四 penalize $A 张三 3 --reason 未及时到场 &&
	mk A new critical &&
	allowed $DIRECTOR new penalize $A 张三 3 --reason 未及时到场
'


# ---- reclassify: any but closed; deadlines recomputed; status unchanged ----

for st in new assigned planned resolved; do
	test_expect_success "reclassify is allowed in $st (status unchanged, deadlines recomputed)" "
		mk A $st &&
		complaint --now $NOW show \$A --format json | jq -c .deadlines >expect.before &&
		jq -e 'has(\"plan\") | not' expect.before &&
		allowed 李四 $st reclassify \$A major --reason 已被媒体报道 &&
		complaint --now $NOW show \$A --format json >out.json &&
		jq -r '.severity + \" \" + .deadlines.plan + \" \" + .deadlines.resolve' out.json >actual &&
		echo 'major 2026-11-23T14:05:00+08:00 2026-11-24T23:59:59+08:00' >expect &&
		test_cmp expect actual
	"
done

test_expect_success 'reclassify is allowed in approved (major to critical: status unchanged)' '
	mk A approved major &&
	allowed 李四 approved reclassify $A critical --reason 涉及食品安全 &&
	complaint --now $NOW show $A --format json | jq -r .deadlines.resolve >actual &&
	echo 2026-12-01T23:59:59+08:00 >expect &&
	test_cmp expect actual
'

test_expect_success 'reclassify down is allowed too (general to minor in assigned)' '
	mk A assigned &&
	allowed 李四 assigned reclassify $A minor --reason 金额有误 &&
	complaint --now $NOW show $A --format json | jq -r ".severity + \" \" + .deadlines.resolve" >actual &&
	echo "minor 2026-11-22T16:05:00+08:00" >expect &&
	test_cmp expect actual
'

test_expect_success 'reclassify of an approved general case to major: the director must now approve (complaint-reclassify(1))' '
	mk A approved general &&
	allowed 李四 planned reclassify $A major --reason 已被媒体报道 &&
	refused "needs approval by director \\(approved so far: leader 王五\\)" 李四 resolve $A --text 已免单 &&
	allowed $DIRECTOR approved approve $A
'

# SPEC section 5 says reclassify leaves the status unchanged; a level with
# fewer approvals than those already given takes nothing away.
test_expect_success 'reclassify of an approved general case to minor leaves it approved (SPEC: status unchanged)' '
	mk A approved general &&
	allowed 李四 approved reclassify $A minor --reason 金额有误
'

test_expect_success 'reclassify is refused in closed' '
	mk A closed &&
	refused "the case is closed; reopen it before reclassifying" 李四 reclassify $A major --reason 已被媒体报道
'

test_expect_success 'reclassify to the level the case has is refused (exit 1)' '
	mk A assigned &&
	refused "already at level general" 李四 reclassify $A general --reason 再看
'

# ---- after everything ----

test_expect_success 'the store is clean and every commit touched one file' '
	git status --porcelain --untracked-files=all >actual &&
	test_must_be_empty actual &&
	git fsck --strict >/dev/null 2>&1 &&
	complaint --now $NOW check >out 2>err &&
	git rev-list HEAD | sed "\$d" >out.commits &&
	test_line_count -gt 100 out.commits &&
	while read c; do
		git diff-tree --no-commit-id --name-only -r $c >out.files &&
		test_line_count = 1 out.files || return 1
	done <out.commits
'

test_done
