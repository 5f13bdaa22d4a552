#!/bin/sh
test_description='score and report judge a period under its own policy only

SPEC section 6: a period is computed under the policy as it stood at its
end.  A later policy commit that removes a category or renames a level
changes nothing in a past month: its cases are read and derived under the
period'"'"'s policy alone (not first under the current one, which no longer
knows their category or level), with and without --as-of and the cache,
and nothing is said about files that could not be read.'
. "$(dirname "$0")/test-lib.sh"

# October 2026, default policy:
#  A 10-12 10:00 minor, category finance, 餐饮部/张三, every deadline met
#  B 10-13 09:00 major (amount 20000), category service, 客房部/赵一,
#    notified late (10:00, due 09:10)
#  C 10-20 10:00 minor, category service, reclassified major 10-20 12:00
# Then, on 2026-11-15, a policy commit removes the category finance and
# renames the level major to serious.

complaint --now 2026-09-30T09:00 init store >/dev/null &&
test_ignore_scratch store &&
cd store || exit 1
COMPLAINT_ACTOR=客服中心/赵六
export COMPLAINT_ACTOR

ev () {
	ev_t=$1
	shift
	complaint --now "$ev_t" "$@" >/dev/null
}

# period NAME 'GLOBAL OPTIONS' ['COMMAND OPTIONS']: score (json, table) and
# report (json, md) of October into NAME.*; every command must be silent
# on stderr
period () {
	period_n=$1 period_g=$2 period_o=${3:-}
	for period_c in "score json" "score table" "report json" "report md"; do
		set -- $period_c
		complaint $period_g $1 --month 2026-10 $period_o --format $2 \
			>"../$period_n.$1.$2" 2>"../$period_n.err" &&
		test_must_be_empty "../$period_n.err" || return 1
	done
}

# same NAME: NAME.* are byte for byte the published ones
same () {
	for same_f in score.json score.table report.json report.md; do
		test_cmp_bytes "../pub.$same_f" "../$1.$same_f" || return 1
	done
}

test_expect_success 'October: three cases, one in finance, two major' '
	A=$(complaint --now 2026-10-12T10:00 new --customer 甲 --channel phone --category finance --summary 多收费 --received 2026-10-12T10:00) &&
	ev 2026-10-12T10:01 assign $A --department 餐饮部 --responsible 张三 &&
	ev 2026-10-12T10:05 notify $A &&
	ev 2026-10-12T10:12 onsite $A &&
	ev 2026-10-12T11:00 resolve $A --text 已退款 &&
	B=$(complaint --now 2026-10-13T09:00 new --customer 乙 --channel phone --category service --summary 房间不洁 --amount 20000 --received 2026-10-13T09:00) &&
	ev 2026-10-13T09:01 assign $B --department 客房部 --responsible 赵一 &&
	ev 2026-10-13T10:00 notify $B &&
	C=$(complaint --now 2026-10-20T10:00 new --customer 丙 --channel email --category service --summary 态度差 --received 2026-10-20T10:00) &&
	ev 2026-10-20T10:01 assign $C --department 餐饮部 --responsible 张三 &&
	ev 2026-10-20T12:00 reclassify $C major --reason 复查升级
'

test_expect_success 'publish October at 2026-11-01T08:00' '
	period pub "--now 2026-11-01T08:00" &&
	jq -c "[.by_severity.minor, .by_severity.major, .by_category.finance, .totals.received]" ../pub.report.json >actual &&
	echo "[1,2,1,3]" >expect &&
	test_cmp expect actual &&
	jq -r ".items[] | select(.rule == \"occurrence:major\") | .case" ../pub.score.json | sort -u >actual &&
	printf "%s\n" $B $C | sort >expect &&
	test_cmp expect actual
'

test_expect_success 'a policy commit on 2026-11-15 removes the category finance and renames major' '
	python3 - <<-\EOF &&
	p = "policy.yaml"
	s = open(p, encoding="utf-8").read()
	s2 = s.replace("categories: [product, service, finance, transport, other]",
	               "categories: [product, service, transport, other]", 1)
	s2 = s2.replace("  - id: major\n", "  - id: serious\n", 1)
	assert "finance" not in s2 and "id: serious" in s2 and "id: major" not in s2, "edit failed"
	open(p, "w", encoding="utf-8").write(s2)
	EOF
	complaint policy check policy.yaml &&
	GIT_AUTHOR_DATE=2026-11-15T10:00:00+08:00 GIT_COMMITTER_DATE=2026-11-15T10:00:00+08:00 \
		git commit -q -m "policy: no finance, major is serious" policy.yaml &&
	git status --porcelain >out &&
	test_must_be_empty out
'

test_expect_success 'October afterwards: the same bytes, no warning (cache filled, then warm)' '
	period later "--now 2026-11-01T08:00" &&
	same later &&
	period later "--now 2026-11-01T08:00" &&
	same later
'

test_expect_success 'October afterwards without the cache: the same bytes, no warning' '
	period nocache "--no-cache --now 2026-11-01T08:00" &&
	same nocache
'

test_expect_success 'October --as-of the publication: the same bytes, no warning' '
	period asof "" "--as-of 2026-11-01T08:00" &&
	same asof &&
	period asof --no-cache "--as-of 2026-11-01T08:00" &&
	same asof
'

test_expect_success 'October later, --as-of after the policy commit and without: October policy, every case' '
	period now "--now 2026-11-20T10:00" &&
	period nowasof "--now 2026-11-20T10:00" "--as-of 2026-11-20T10:00" &&
	for f in score.json score.table report.json report.md; do
		test_cmp_bytes ../now.$f ../nowasof.$f || return 1
	done &&
	jq -c "[.policy, ([.items[] | .rule] | unique)]" ../now.score.json >actual &&
	echo "[\"winery-2022\",[\"late\",\"occurrence:major\",\"occurrence:minor\"]]" >expect &&
	test_cmp expect actual &&
	jq -c "[.by_severity.minor, .by_severity.major, .by_category.finance, .totals.received]" ../now.report.json >actual &&
	echo "[1,2,1,3]" >expect &&
	test_cmp expect actual
'

test_expect_success 'list, under the current policy, still names the case it cannot judge' '
	complaint --now 2026-11-20T10:00 list >out 2>err &&
	test_grep "$A" err &&
	test_grep "finance" err
'

test_done
