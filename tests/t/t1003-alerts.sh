#!/bin/sh
test_description='deadline alerts: list --overdue and --due-within at the boundary, next_deadline, the README cron line

A deadline is due within DUR when it lies between now and now + DUR, both
included, and its event has not happened; a case is overdue when a deadline
passed (strictly before now) without its event, or its event came late,
and the case is neither resolved nor closed.  --overdue with --due-within
matches either.  Working-day deadlines end at 23:59:59 on the Nth working
day, make-up days included (2026-10-10, a Saturday, is one).'
. "$(dirname "$0")/test-lib.sh"

CLERK=客服中心/赵六

# ids ARGS...: the IDs "complaint ARGS list --format json" selects, sorted
ids () {
	complaint "$@" --format json >out.json &&
	jq -e "type == \"array\"" out.json >/dev/null &&
	jq -r ".[].id" out.json | LC_ALL=C sort
}

# expect_ids ID...: the sorted IDs into the file expect
expect_ids () {
	for e_; do
		echo "$e_"
	done | LC_ALL=C sort >expect
}

# listed ARGS...: the list selects exactly the IDs in expect
listed () {
	ids "$@" >actual &&
	test_cmp expect actual
}

# nd NOW ID: next_deadline and overdue of ID in list --format json at NOW
nd () {
	complaint --now "$1" list --format json >out.json &&
	jq -c --arg id "$2" ".[] | select(.id == \$id) | [.next_deadline, .overdue]" out.json
}

# new_case RECEIVED [new-options]: a new case received (and recorded) at
# RECEIVED; prints its ID
new_case () {
	nc_t=$1
	shift
	complaint --actor $CLERK --now "$nc_t" new --customer 王先生 --channel phone \
		--category service --summary 上菜慢 --received "$nc_t" "$@"
}

# ev TIME ACTION ID ARGS...: an event recorded at TIME (as now)
ev () {
	ev_t=$1
	shift
	complaint --actor 李四 --now "$ev_t" "$@" >/dev/null
}

# ---- the exact boundary minute ----

test_expect_success 'a general case received 14:05, assigned: notify due 14:15' '
	cd "$TRASH_DIRECTORY" &&
	new_store alerts &&
	X=$(new_case 2026-11-22T14:05 --amount 1200) &&
	ev 2026-11-22T14:05 assign $X --department 餐饮部 &&
	complaint --now 2026-11-22T14:05 show $X --format json >out.json &&
	jq -r ".severity + \" \" + .deadlines.notify + \" \" + .deadlines.onsite" out.json >actual &&
	echo "general 2026-11-22T14:15:00+08:00 2026-11-22T14:25:00+08:00" >expect &&
	test_cmp expect actual
'

test_expect_success 'at 14:05: --due-within 10m includes it, 9m does not' '
	expect_ids $X &&
	listed --now 2026-11-22T14:05 list --due-within 10m &&
	expect_ids &&
	listed --now 2026-11-22T14:05 list --due-within 9m &&
	listed --now 2026-11-22T14:05 list --overdue
'

test_expect_success 'at 14:15 exactly: not overdue, and due (within 1m, and within 0m)' '
	expect_ids &&
	listed --now 2026-11-22T14:15 list --overdue &&
	expect_ids $X &&
	listed --now 2026-11-22T14:15 list --due-within 1m &&
	listed --now 2026-11-22T14:15 list --due-within 0m &&
	listed --now 2026-11-22T14:15 list --overdue --due-within 1m &&
	nd 2026-11-22T14:15 $X >actual &&
	echo "[{\"event\":\"notify\",\"at\":\"2026-11-22T14:15:00+08:00\"},false]" >expect &&
	test_cmp expect actual
'

test_expect_success 'at 14:15:01: overdue, and no longer due' '
	expect_ids $X &&
	listed --now 2026-11-22T14:15:01 list --overdue &&
	listed --now 2026-11-22T14:15:01 list --overdue --open &&
	nd 2026-11-22T14:15:01 $X >actual &&
	echo "[{\"event\":\"notify\",\"at\":\"2026-11-22T14:15:00+08:00\"},true]" >expect &&
	test_cmp expect actual &&
	expect_ids &&
	listed --now 2026-11-22T14:15:01 list --due-within 1m &&
	# onsite runs from notify'"'"'s own deadline while notify is missing: 14:25
	listed --now 2026-11-22T14:15:01 list --due-within 9m &&
	expect_ids $X &&
	listed --now 2026-11-22T14:15:01 list --due-within 10m
'

test_expect_success 'after notify at 14:12: neither due (for notify) nor overdue' '
	ev 2026-11-22T14:12 notify $X &&
	expect_ids &&
	listed --now 2026-11-22T14:15 list --due-within 1m &&
	listed --now 2026-11-22T14:15 list --overdue &&
	listed --now 2026-11-22T14:15:01 list --overdue &&
	listed --now 2026-11-22T14:15:01 list --overdue --due-within 6m &&
	nd 2026-11-22T14:15:01 $X >actual &&
	echo "[{\"event\":\"onsite\",\"at\":\"2026-11-22T14:22:00+08:00\"},false]" >expect &&
	test_cmp expect actual &&
	complaint --now 2026-11-22T14:15:01 show $X --format json | jq -r .deadline_states.notify >actual &&
	echo met >expect &&
	test_cmp expect actual
'

test_expect_success 'after notify: onsite (notify + 10m = 14:22) at its own boundary' '
	expect_ids $X &&
	listed --now 2026-11-22T14:15:01 list --due-within 7m &&
	listed --now 2026-11-22T14:22 list --due-within 0m &&
	listed --now 2026-11-22T14:22:01 list --overdue &&
	expect_ids &&
	listed --now 2026-11-22T14:22 list --overdue &&
	listed --now 2026-11-22T14:12 list --due-within 3m
'

test_expect_success 'a late event still leaves the case overdue while it is open' '
	ev 2026-11-22T14:30 onsite $X &&
	expect_ids $X &&
	listed --now 2026-11-22T14:30 list --overdue &&
	complaint --now 2026-11-22T14:30 show $X --format json | jq -r .deadline_states.onsite >actual &&
	echo missed >expect &&
	test_cmp expect actual
'

test_expect_success 'resolved: not overdue, no next deadline, not due' '
	ev 2026-11-22T14:40 plan $X --text 免单 &&
	complaint --actor 王五 --now 2026-11-22T14:41 approve $X >/dev/null &&
	ev 2026-11-22T14:50 resolve $X --text 已免单 &&
	expect_ids &&
	listed --now 2026-11-22T14:50 list --overdue &&
	listed --now 2026-11-22T14:50 list --open &&
	listed --now 2026-11-23T02:00 list --due-within 10m &&
	nd 2026-11-22T14:50 $X >actual &&
	echo "[null,false]" >expect &&
	test_cmp expect actual &&
	cd "$TRASH_DIRECTORY"
'

# ---- across a working-day deadline ----

test_expect_success 'a major case received Friday 2026-10-09 10:00 is due 2026-10-12T23:59:59 (Saturday is a make-up day)' '
	cd "$TRASH_DIRECTORY" &&
	new_store wd &&
	W=$(new_case 2026-10-09T10:00 --amount 20000) &&
	ev 2026-10-09T10:01 assign $W --department 餐饮部 &&
	ev 2026-10-09T10:05 notify $W &&
	ev 2026-10-09T10:06 notify $W --party 客服中心 &&
	ev 2026-10-09T10:10 onsite $W &&
	ev 2026-10-09T10:11 onsite $W --party 客服中心 &&
	ev 2026-10-09T16:00 plan $W --text 退货赔偿 &&
	complaint --actor 王五 --now 2026-10-09T17:00 approve $W >/dev/null &&
	complaint --actor 陈总 --now 2026-10-10T09:00 approve $W >/dev/null &&
	complaint --now 2026-10-10T09:00 show $W --format json >out.json &&
	jq -r ".severity + \" \" + .status + \" \" + .deadlines.plan + \" \" + .deadlines.resolve" out.json >actual &&
	echo "major approved 2026-10-10T10:00:00+08:00 2026-10-12T23:59:59+08:00" >expect &&
	test_cmp expect actual
'

test_expect_success 'at 2026-10-12T00:00: --due-within 1d includes it, and it is not overdue' '
	expect_ids $W &&
	listed --now 2026-10-12T00:00 list --due-within 1d &&
	listed --now 2026-10-12T00:00 list --due-within 1440m &&
	listed --now 2026-10-12T00:00 list --due-within 24h &&
	listed --now 2026-10-12T00:00 list --due-within 1wd &&
	expect_ids &&
	listed --now 2026-10-12T00:00 list --overdue &&
	listed --now 2026-10-12T00:00 list --due-within 1439m &&
	listed --now 2026-10-11T23:59 list --due-within 1d &&
	nd 2026-10-12T00:00 $W >actual &&
	echo "[{\"event\":\"resolve\",\"at\":\"2026-10-12T23:59:59+08:00\"},false]" >expect &&
	test_cmp expect actual
'

test_expect_success 'at 23:59:59 it is due, not overdue; at 2026-10-13T00:00 it is overdue' '
	expect_ids $W &&
	listed --now 2026-10-12T23:59:59 list --due-within 0m &&
	listed --now 2026-10-13T00:00 list --overdue &&
	expect_ids &&
	listed --now 2026-10-12T23:59:59 list --overdue &&
	listed --now 2026-10-13T00:00 list --due-within 7d &&
	nd 2026-10-13T00:00 $W >actual &&
	echo "[{\"event\":\"resolve\",\"at\":\"2026-10-12T23:59:59+08:00\"},true]" >expect &&
	test_cmp expect actual
'

test_expect_success 'working days elsewhere: a Friday without a make-up Saturday, and the October holiday' '
	V=$(new_case 2026-10-16T10:00 --amount 20000) &&
	complaint --now 2026-10-16T10:00 show $V --format json | jq -r .deadlines.resolve >actual &&
	echo 2026-10-20T23:59:59+08:00 >expect &&
	test_cmp expect actual &&
	H=$(new_case 2026-09-30T10:00 --amount 20000) &&
	complaint --now 2026-09-30T10:00 show $H --format json | jq -r .deadlines.resolve >actual &&
	echo 2026-10-09T23:59:59+08:00 >expect &&
	test_cmp expect actual &&
	cd "$TRASH_DIRECTORY"
'

# ---- the README cron line ----

test_expect_success 'the README has a cron line for deadline alerts' '
	cd "$TRASH_DIRECTORY" &&
	sed -n "/^## For scripts and cron/,/^## /p" "$TEST_ROOT/README.md" >out.readme &&
	sed -n "/^\`\`\`cron/{n;p;}" out.readme >cron.tmp &&
	test_line_count = 1 cron.tmp &&
	test_grep "complaint list" cron.tmp &&
	test_grep -e "--overdue" cron.tmp &&
	test_grep -e "--due-within 10m" cron.tmp &&
	test_grep "^\*/5 " cron.tmp
'

# a stand-in for mail(1): with -E it sends nothing when the body is empty;
# otherwise appends the subject, recipients and body to $TRASH_DIRECTORY/mailbox
mkdir -p stub &&
cat >stub/mail <<'EOF'
#!/bin/sh
empty_ok=
subject=
while test $# -gt 0; do
	case $1 in
	-E) empty_ok=1 ;;
	-s) subject=$2; shift ;;
	-*) ;;
	*) break ;;
	esac
	shift
done
body=$(cat)
test -n "$empty_ok" && test -z "$body" && exit 0
{
	echo "To: $*"
	echo "Subject: $subject"
	printf '%s\n' "$body"
} >>"$TRASH_DIRECTORY/mailbox"
EOF
chmod +x stub/mail

# run_cron NOW: the README's cron command (without its schedule), with
# /srv/complaints replaced by the store, at NOW, the way cron runs it (sh -c)
run_cron () {
	rm -f "$TRASH_DIRECTORY/mailbox" &&
	cmd=$(sed -e "s/^[^ ]* [^ ]* [^ ]* [^ ]* [^ ]* //" \
		-e "s|/srv/complaints|$TRASH_DIRECTORY/cron|" "$TRASH_DIRECTORY/cron.tmp") &&
	test -n "$cmd" &&
	(cd / && env PATH="$TRASH_DIRECTORY/stub:$PATH" COMPLAINT_NOW="$1" \
		TRASH_DIRECTORY="$TRASH_DIRECTORY" sh -c "$cmd")
}

# mailed_ids: the case IDs in the mail body (first column of the TSV)
mailed_ids () {
	sed -n "/^Subject: /,\$p" "$TRASH_DIRECTORY/mailbox" | sed 1d |
		cut -f1 | LC_ALL=C sort
}

test_expect_success 'a store with cases due, overdue, and neither, on Monday 2026-11-23 at 10:00' '
	cd "$TRASH_DIRECTORY" &&
	new_store cron &&
	# A: general, notify due 10:05 (due)
	A=$(new_case 2026-11-23T09:55 --amount 1200) &&
	ev 2026-11-23T09:56 assign $A --department 餐饮部 &&
	# B: general, notify due 09:40, never notified (overdue)
	B=$(new_case 2026-11-23T09:30 --amount 1200) &&
	ev 2026-11-23T09:31 assign $B --department 餐饮部 &&
	# C: minor, notified and met on time, resolve due 11:58 (neither)
	C=$(new_case 2026-11-23T09:58) &&
	ev 2026-11-23T09:58 assign $C --department 餐饮部 &&
	ev 2026-11-23T09:59 notify $C &&
	ev 2026-11-23T10:00 onsite $C &&
	# D: general, notified late, then resolved (not overdue: resolved)
	D=$(new_case 2026-11-23T09:00 --amount 1200) &&
	ev 2026-11-23T09:01 assign $D --department 客房部 &&
	ev 2026-11-23T09:20 notify $D &&
	ev 2026-11-23T09:21 onsite $D &&
	ev 2026-11-23T09:30 plan $D --text 换房 &&
	complaint --actor 王五 --now 2026-11-23T09:31 approve $D >/dev/null &&
	ev 2026-11-23T09:50 resolve $D --text 已换房 &&
	# E: minor, deadlines missed, resolved and closed
	E=$(new_case 2026-11-23T08:00) &&
	ev 2026-11-23T08:01 assign $E --department 餐饮部 &&
	ev 2026-11-23T09:40 resolve $E --text 已致歉 &&
	ev 2026-11-23T09:41 close $E &&
	# G: general, notify due 10:00 = now (due, not yet overdue)
	G=$(new_case 2026-11-23T09:50 --amount 1200) &&
	ev 2026-11-23T09:50 assign $G --department 餐饮部 &&
	# H: notified 09:50, onsite due 10:00 = now (due)
	H=$(new_case 2026-11-23T09:45) &&
	ev 2026-11-23T09:45 assign $H --department 餐饮部 &&
	ev 2026-11-23T09:50 notify $H &&
	# J: new, not even assigned, notify due 10:07 (due)
	J=$(new_case 2026-11-23T09:57) &&
	# K: notified 09:45, onsite due 09:55 missed (overdue)
	K=$(new_case 2026-11-23T09:40) &&
	ev 2026-11-23T09:40 assign $K --department 餐饮部 &&
	ev 2026-11-23T09:45 notify $K &&
	# L: minor, notify and onsite on time, resolve due 10:00 = now (due)
	L=$(new_case 2026-11-23T08:00) &&
	ev 2026-11-23T08:01 assign $L --department 客房部 &&
	ev 2026-11-23T08:05 notify $L &&
	ev 2026-11-23T08:10 onsite $L &&
	# M: minor, all on time, resolve due 11:56 (neither)
	M=$(new_case 2026-11-23T09:56) &&
	ev 2026-11-23T09:56 assign $M --department 客房部 &&
	ev 2026-11-23T09:57 notify $M &&
	ev 2026-11-23T09:58 onsite $M &&
	cd "$TRASH_DIRECTORY"
'

test_expect_success 'the filters alone and together (either) at 10:00' '
	cd "$TRASH_DIRECTORY/cron" &&
	expect_ids $A $G $H $J $L &&
	listed --now 2026-11-23T10:00 list --due-within 10m &&
	expect_ids $B $K &&
	listed --now 2026-11-23T10:00 list --overdue &&
	expect_ids $A $B $G $H $J $K $L &&
	listed --now 2026-11-23T10:00 list --overdue --due-within 10m &&
	listed --now 2026-11-23T10:00 list --due-within 10m --overdue &&
	cd "$TRASH_DIRECTORY"
'

test_expect_success 'the README cron line at 10:00 mails exactly the due and the overdue cases' '
	run_cron 2026-11-23T10:00 &&
	test_path_is_file mailbox &&
	test_grep "^To: duty@example.com" mailbox &&
	test_grep "^Subject: complaints due" mailbox &&
	expect_ids $A $B $G $H $J $K $L &&
	mailed_ids >actual &&
	test_cmp expect actual
'

test_expect_success 'five minutes later: G, H and L passed their deadline and are overdue; A is still due' '
	run_cron 2026-11-23T10:05 &&
	(cd cron && ids --now 2026-11-23T10:05 list --overdue) >actual &&
	expect_ids $B $G $H $K $L &&
	test_cmp expect actual &&
	expect_ids $A $B $G $H $J $K $L &&
	mailed_ids >actual &&
	test_cmp expect actual
'

test_expect_success 'when nothing is due or overdue the cron line sends no mail' '
	run_cron 2026-11-23T07:00 &&
	test_path_is_missing mailbox
'

test_done
