#!/bin/sh
# make demo: a store from the bundled policy in a temporary directory,
# a few sample complaints walked through the procedure, then list and show.
set -e
bin=$(cd "$(dirname "$0")/.." && pwd)/complaint
dir=$(mktemp -d "${TMPDIR:-/tmp}/complaint-demo.XXXXXX")
c() { "$bin" -C "$dir/store" "$@"; }
export COMPLAINT_ACTOR=客服中心/赵六
unset COMPLAINT_DIR COMPLAINT_NOW

echo "== complaint init $dir/store"
"$bin" --now 2026-11-02T08:00 init "$dir/store"

echo "== recording complaints"
a=$(c --now 2026-11-02T12:05 new --customer 王先生 --contact 13800000000 --channel phone \
	--category service --summary '上菜延迟一小时' --amount 300)
b=$(c --now 2026-11-03T19:40 new --customer 'Ms. Li' --channel online --category product \
	--summary 'Cork taint in two bottles: "refund, please"' --amount 1200 \
	--description 'Bought 2026-10-30.
Both bottles smell of wet cardboard.')
d=$(c --now 2026-11-04T10:00 new --customer 陈女士 --channel onsite --category product \
	--summary '酒瓶破裂划伤手' --flag safety --scope single)
echo "$a $b $d"

echo "== walking $a (minor) to close"
c --now 2026-11-02T12:09 assign "$a" --department 餐饮部 --responsible 张三
c --now 2026-11-02T12:12 notify "$a"
c --now 2026-11-02T12:20 onsite "$a"
c --now 2026-11-02T13:30 resolve "$a" --text '致歉并赠送果盘' --cause '厨房人手不足'
c --now 2026-11-03T10:00 callback "$a" --satisfied
c --now 2026-11-03T10:01 close "$a"

echo "== $b (general) needs the unit leader's approval"
c --now 2026-11-03T19:45 assign "$b" --department 客房部
c --now 2026-11-03T19:50 notify "$b"
c --now 2026-11-03T20:10 plan "$b" --text 'Replace both bottles and refund shipping'
c --now 2026-11-03T20:30 resolve "$b" --text 'done' || echo "(refused, as the procedure says)"
c --now 2026-11-03T20:40 --actor 王五 approve "$b"
c --now 2026-11-03T21:00 resolve "$b" --text 'Bottles replaced' --compensation 45

echo "== complaint list"
c --now 2026-11-05T09:00 list
echo "== complaint list --overdue --format json"
c --now 2026-11-05T09:00 list --overdue --format json
echo "== complaint show $b"
c --now 2026-11-05T09:00 show "$b"
echo "== git log --oneline (the audit trail)"
git -C "$dir/store" log --oneline | head -20
echo
echo "The demo store is in $dir/store (try: ./complaint -C $dir/store show $d)"
