#!/bin/sh
test_description='new records a case: the ID, the commit, the file, classification, deadlines'
. "$(dirname "$0")/test-lib.sh"

new_store store

# severity ID: the case's level as show --format json says
severity () {
	complaint show "$1" --format json | jq -r .severity
}

# deadline ID EVENT: the case's deadline for EVENT, as show --format json says
deadline () {
	complaint show "$1" --format json | jq -r ".deadlines.$2 // \"none\""
}

test_expect_success 'new prints only the ID on stdout' '
	complaint --actor 客服中心/赵六 --now 2026-11-22T14:10 new \
		--customer 王先生 --contact 13800000000 --channel phone \
		--category service --summary 上菜延迟一小时 --amount 1200 \
		--received 2026-11-22T14:05 >out 2>err &&
	test_must_be_empty err &&
	test_line_count = 1 out &&
	grep -E "^C-[0-9]{8}-[0-9A-Z]{8}\$" out &&
	ID=$(cat out) &&
	case $ID in C-20261122-*) ;; *) echo "ID $ID does not start with the date received" >&2; false ;; esac
'

test_expect_success 'exactly one new commit: new <ID>: <summary>, with trailers' '
	test "$(git rev-list --count HEAD)" = 2 &&
	git log -1 --format=%s >actual &&
	echo "new $ID: 上菜延迟一小时" >expect &&
	test_cmp expect actual &&
	git log -1 --format="%(trailers:key=Complaint-Id,valueonly)%(trailers:key=Action,valueonly)%(trailers:key=Actor,valueonly)" >actual &&
	printf "%s\n" "$ID" new 客服中心/赵六 >expect &&
	sed "/^\$/d" actual >actual.tmp &&
	test_cmp expect actual.tmp
'

test_expect_success 'the commit author is the actor, its dates are --now' '
	git log -1 --format="%an|%aI|%cI" >actual &&
	echo "客服中心/赵六|2026-11-22T14:10:00+08:00|2026-11-22T14:10:00+08:00" >expect &&
	test_cmp expect actual
'

test_expect_success 'the case file is cases/YYYY/MM/<ID>.yaml, the only file the commit touches' '
	test_path_is_file "cases/2026/11/$ID.yaml" &&
	git diff-tree --no-commit-id --name-status -r HEAD >actual &&
	printf "A\tcases/2026/11/%s.yaml\n" "$ID" >expect &&
	test_cmp expect actual
'

test_expect_success 'the store is clean after new: status, index, fsck --strict' '
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	git diff --cached --quiet &&
	git diff --quiet &&
	git fsck --strict --no-dangling >out 2>&1 &&
	test_must_be_empty out &&
	test_path_is_missing .git/index.lock
'

test_expect_success 'PyYAML reads the fields of SPEC section 3, in that order' '
	python3 - "cases/2026/11/$ID.yaml" "$ID" <<-\EOF
	import datetime, sys, yaml
	path, cid = sys.argv[1], sys.argv[2]
	order = ["id", "status", "severity", "received_at", "channel", "kind",
	         "category", "customer", "summary", "description", "amount",
	         "scope", "flags", "department", "responsible", "head", "leader",
	         "deadlines", "events"]
	required = ["id", "status", "severity", "received_at", "channel", "kind",
	            "category", "customer", "summary", "deadlines", "events"]
	text = open(path, encoding="utf-8").read()
	d = yaml.safe_load(text)
	keys = list(d)
	unknown = [k for k in keys if k not in order]
	assert not unknown, "unknown fields %r" % unknown
	assert keys == sorted(keys, key=order.index), "order %r" % keys
	missing = [k for k in required if k not in d]
	assert not missing, "missing %r" % missing
	assert d["id"] == cid, d["id"]
	assert d["status"] == "new", d["status"]
	assert d["severity"] == "general", d["severity"]
	tz = datetime.timezone(datetime.timedelta(hours=8))
	assert d["received_at"] == datetime.datetime(2026, 11, 22, 14, 5, tzinfo=tz), d["received_at"]
	assert d["channel"] == "phone" and d["kind"] == "complaint" and d["category"] == "service"
	# the contact is text, not the number 13800000000
	assert d["customer"] == {"name": "王先生", "contact": "13800000000"}, d["customer"]
	assert d["summary"] == "上菜延迟一小时"
	assert float(d["amount"]) == 1200.0 and not isinstance(d["amount"], str), d["amount"]
	ev = d["events"]
	assert isinstance(ev, list) and len(ev) == 1, ev
	assert ev[0]["by"] == "客服中心/赵六" and ev[0]["action"] == "new", ev[0]
	assert ev[0]["at"] == d["received_at"], ev[0]
	assert list(ev[0])[:3] == ["at", "by", "action"], list(ev[0])
	# plain text a person reads: no escapes of the Chinese
	assert "上菜延迟一小时" in text and "\\u" not in text
	EOF
'

test_expect_success 'show --format json agrees with the file' '
	complaint show "$ID" --format json >out.json &&
	jq -e ".id == \"$ID\" and .status == \"new\" and .severity == \"general\"" out.json &&
	jq -e ".received_at == \"2026-11-22T14:05:00+08:00\"" out.json &&
	jq -e ".customer.name == \"王先生\" and .customer.contact == \"13800000000\"" out.json
'

test_expect_success 'deadlines of a general case received 2026-11-22T14:05' '
	for ev in notify onsite resolve; do
		yaml_get "cases/2026/11/$ID.yaml" deadlines $ev || return 1
	done >actual &&
	cat >expect <<-\EOF &&
	2026-11-22T14:15:00+08:00
	2026-11-22T14:25:00+08:00
	2026-11-23T02:05:00+08:00
	EOF
	test_cmp expect actual &&
	test "$(deadline $ID plan)" = none
'

test_expect_success 'the actor: --actor before COMPLAINT_ACTOR before user.name before USER' '
	git config user.name "Git Name" &&
	A=$(env COMPLAINT_ACTOR=环境 complaint --actor 选项 --now 2026-11-22T15:00 new \
		--customer a --channel phone --category service --summary s1) &&
	test "$(git log -1 --format=%an)" = 选项 &&
	test "$(yaml_get "$(case_path $A)" events 0 by)" = 选项 &&
	B=$(env COMPLAINT_ACTOR=环境 complaint --now 2026-11-22T15:00 new \
		--customer a --channel phone --category service --summary s2) &&
	test "$(git log -1 --format=%an)" = 环境 &&
	test "$(yaml_get "$(case_path $B)" events 0 by)" = 环境 &&
	C=$(complaint --now 2026-11-22T15:00 new \
		--customer a --channel phone --category service --summary s3) &&
	test "$(git log -1 --format=%an)" = "Git Name" &&
	test "$(yaml_get "$(case_path $C)" events 0 by)" = "Git Name" &&
	git config --unset user.name &&
	D=$(complaint --now 2026-11-22T15:00 new \
		--customer a --channel phone --category service --summary s4) &&
	test "$(git log -1 --format=%an)" = tester &&
	test "$(yaml_get "$(case_path $D)" events 0 by)" = tester &&
	test "$(git log -1 --format="%(trailers:key=Actor,valueonly)" | sed "/^\$/d")" = tester
'

test_expect_success 'COMPLAINT_NOW sets the commit dates and the default received time' '
	E=$(env COMPLAINT_NOW=2026-11-22T16:00 complaint new \
		--customer a --channel phone --category service --summary s5) &&
	test "$(git log -1 --format="%aI %cI")" = "2026-11-22T16:00:00+08:00 2026-11-22T16:00:00+08:00" &&
	test "$(yaml_get "$(case_path $E)" received_at)" = 2026-11-22T16:00:00+08:00 &&
	F=$(env COMPLAINT_NOW=2026-11-22T16:00 complaint --now 2026-11-22T17:30 new \
		--customer a --channel phone --category service --summary s6) &&
	test "$(git log -1 --format="%aI %cI")" = "2026-11-22T17:30:00+08:00 2026-11-22T17:30:00+08:00" &&
	test "$(yaml_get "$(case_path $F)" received_at)" = 2026-11-22T17:30:00+08:00
'

test_expect_success '--now with an offset is the same instant' '
	G=$(complaint --now 2026-11-22T10:00:00Z new \
		--customer a --channel phone --category service --summary s7) &&
	test "$(git log -1 --format="%at %ct")" = "$(date -d 2026-11-22T10:00:00Z +%s) $(date -d 2026-11-22T10:00:00Z +%s)" &&
	test "$(yaml_get "$(case_path $G)" received_at)" = 2026-11-22T18:00:00+08:00
'

test_expect_success 'the month directory is the month received in the policy timezone' '
	H=$(complaint --now 2026-11-02T09:00 new --received 2026-10-31T16:30:00Z \
		--customer a --channel phone --category service --summary s8) &&
	case $H in C-20261101-*) ;; *) echo "ID $H: not dated 20261101" >&2; false ;; esac &&
	test_path_is_file "cases/2026/11/$H.yaml" &&
	I=$(complaint --now 2026-11-02T09:00 new --received 2026-10-31T15:59:00Z \
		--customer a --channel phone --category service --summary s9) &&
	test_path_is_file "cases/2026/10/$I.yaml" &&
	test "$(yaml_get "cases/2026/10/$I.yaml" received_at)" = 2026-10-31T23:59:00+08:00
'

test_expect_success 'each new is one commit' '
	n=$(git rev-list --count HEAD) &&
	complaint --now 2026-11-22T18:00 new --customer a --channel phone \
		--category service --summary one >/dev/null &&
	complaint --now 2026-11-22T18:00 new --customer a --channel phone \
		--category service --summary two >/dev/null &&
	test "$(git rev-list --count HEAD)" = $((n + 2)) &&
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_expect_success 'classification by amount, scope and flags' '
	cat >table.tmp <<-\EOF &&
	minor    --amount 0
	minor    --amount 999.99
	general  --amount 1000
	general  --amount 9999.99
	major    --amount 10000
	major    --amount 49999
	critical --amount 50000
	minor    --scope single
	general  --scope several
	major    --scope public
	critical --scope media
	critical --flag safety
	critical --flag regulator
	general  --amount 999.99 --scope several
	major    --amount 10000 --scope several
	critical --amount 1 --flag safety
	minor    --kind unfounded
	EOF
	while read want args; do
		id=$(complaint --now 2026-11-22T18:00 new --customer c --channel phone \
			--category product --summary "classify $args" $args) || return 1
		got=$(severity $id) &&
		if test "$got" != "$want"; then
			echo "$args: got $got, wanted $want" >&2
			return 1
		fi
	done <table.tmp &&
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out
'

test_expect_success '--severity with --reason overrides classification' '
	J=$(complaint --now 2026-11-22T18:00 new --customer c --channel phone \
		--category product --summary up --amount 10 \
		--severity major --reason "媒体关注") &&
	test "$(severity $J)" = major &&
	K=$(complaint --now 2026-11-22T18:00 new --customer c --channel phone \
		--category product --summary down --amount 60000 \
		--severity minor --reason "金额有误") &&
	test "$(severity $K)" = minor &&
	test "$(yaml_get "$(case_path $K)" severity)" = minor &&
	complaint show $K --format json >out.json &&
	jq -e "[.events[] | tostring | test(\"金额有误\")] | any" out.json
'

test_expect_success 'a major case: 2wd across the National Day holiday' '
	L=$(complaint --now 2026-10-20T09:00 new --received 2026-09-29T15:00 \
		--customer c --channel phone --category product --summary 国庆 --amount 10000) &&
	test "$(severity $L)" = major &&
	for ev in notify onsite plan resolve; do
		echo "$ev $(deadline $L $ev)"
	done >actual &&
	cat >expect <<-\EOF &&
	notify 2026-09-29T15:10:00+08:00
	onsite 2026-09-29T15:20:00+08:00
	plan 2026-09-30T15:00:00+08:00
	resolve 2026-10-08T23:59:59+08:00
	EOF
	test_cmp expect actual
'

test_expect_success 'major: received the day before the holiday, and on the holiday' '
	M=$(complaint --now 2026-10-20T09:00 new --received 2026-09-30T10:00 \
		--customer c --channel phone --category product --summary m1 --amount 10000) &&
	test "$(deadline $M resolve)" = 2026-10-09T23:59:59+08:00 &&
	N=$(complaint --now 2026-10-20T09:00 new --received 2026-10-03T12:00 \
		--customer c --channel phone --category product --summary m2 --amount 10000) &&
	test "$(deadline $N resolve)" = 2026-10-09T23:59:59+08:00 &&
	O=$(complaint --now 2026-10-20T09:00 new --received 2026-09-24T10:00 \
		--customer c --channel phone --category product --summary m3 --amount 10000) &&
	test "$(deadline $O resolve)" = 2026-09-29T23:59:59+08:00
'

test_expect_success 'major: the working day starts in the policy timezone, not UTC' '
	P=$(complaint --now 2026-10-20T09:00 new --received 2026-09-29T16:30:00Z \
		--customer c --channel phone --category product --summary tz --amount 10000) &&
	test "$(deadline $P resolve)" = 2026-10-09T23:59:59+08:00
'

test_expect_success 'critical: 7wd counts the make-up Saturday 2026-10-10' '
	Q=$(complaint --now 2026-10-20T09:00 new --received 2026-09-28T09:00 \
		--customer c --channel phone --category product --summary 安全 --flag safety) &&
	test "$(severity $Q)" = critical &&
	test "$(deadline $Q plan)" = 2026-09-30T09:00:00+08:00 &&
	test "$(deadline $Q resolve)" = 2026-10-13T23:59:59+08:00
'

test_expect_success 'a year the calendar does not cover: weekdays only, and a warning' '
	R=$(complaint --now 2027-03-05T09:00 new --received 2027-03-02T10:00 \
		--customer c --channel phone --category product --summary y27 \
		--amount 10000 2>err) &&
	echo "$R" | grep -E "^C-20270302-[0-9A-Z]{8}\$" &&
	test_grep "2027" err &&
	test "$(deadline $R resolve)" = 2027-03-04T23:59:59+08:00
'

test_expect_success 'after all of this the store is clean' '
	git status --porcelain --untracked-files=all >out &&
	test_must_be_empty out &&
	git fsck --strict --no-dangling >out 2>&1 &&
	test_must_be_empty out
'

test_done
